/** A seeded source of numbers in [0, 1). */
export type Prng = () => number;

/**
 * mulberry32: tiny, fast and good enough to pick faults; not for secrets.
 *
 * @example
 * const next = createPrng(42); next(); // always the same first number for seed 42
 */
export const createPrng = (seed: number): Prng => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
};

/**
 * Folds several integers into one seed (FNV-1a over their 32-bit words), so a
 * draw depends only on (seed, message, attempt) and never on which delivery
 * happened to run first.
 *
 * @example
 * createPrng(mixSeed(42, 7, 0));
 */
export const mixSeed = (...parts: number[]): number => {
  let hash = 0x811c9dc5;
  for (const part of parts) {
    let word = part | 0;
    for (let i = 0; i < 4; i++) {
      hash = Math.imul(hash ^ (word & 0xff), 0x01000193);
      word >>>= 8;
    }
  }
  return hash >>> 0;
};
