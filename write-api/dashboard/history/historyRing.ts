/** A buffer of at most `capacity` values that forgets the oldest when full. */
export interface Ring<T> {
  push(value: T): void;
  /** oldest first */
  values(): T[];
  readonly size: number;
}

/**
 * A fixed-size ring: the dashboard's history stays the same size however long
 * the write API runs.
 *
 * @example
 * const ring = createRing<number>(2);
 * ring.push(1); ring.push(2); ring.push(3);
 * ring.values(); // → [2, 3]
 */
export function createRing<T>(capacity: number): Ring<T> {
  if (!Number.isSafeInteger(capacity) || capacity < 1) {
    throw new RangeError(`a ring holds at least one value, not ${capacity}`);
  }
  const slots: T[] = [];
  let next = 0;
  return {
    push(value) {
      slots[next] = value;
      next = (next + 1) % capacity;
    },
    values() {
      // until it first fills, the slots are in order; after, the oldest is at `next`
      return slots.length < capacity ? [...slots] : [...slots.slice(next), ...slots.slice(0, next)];
    },
    get size() {
      return slots.length;
    },
  };
}
