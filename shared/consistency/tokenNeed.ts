/**
 * What a consistency token asks of a read. `v` is the floor every read must
 * reach, anywhere: the highest watermark the holder was served (monotonic
 * reads), or a write's version when a token names no scopes. `k` names the
 * read scopes the holder's writes changed, each with the version a read of
 * that scope must reflect; only scopes above the floor are kept. A read of a
 * scope the token does not name needs only the floor, so a lagging replica
 * serves it at once.
 */
export interface TokenNeed {
  v: number;
  k?: Readonly<Record<string, number>>;
}

/** Scopes a token may name; a write past it, or a token that would outgrow it, needs its version everywhere. */
export const maxTokenScopes = 16;
/** Bytes the scopes may take in a token's payload (JSON), so token and cookie stay small. */
export const maxScopeBytes = 640;

/**
 * The version a read of these scopes must reflect.
 *
 * @example
 * versionFor({ v: 10, k: { "p:desk-lamp": 42 } }, ["p:desk-lamp"]); // → 42
 * versionFor({ v: 10, k: { "p:desk-lamp": 42 } }, ["p:chair"]); // → 10
 */
export function versionFor(need: TokenNeed, scopes: readonly string[]): number {
  let version = need.v;
  if (!need.k) return version;
  for (const scope of scopes) {
    const v = need.k[scope];
    if (v !== undefined && v > version) version = v;
  }
  return version;
}

/** The highest version the token asks for anywhere: what a plain (unkeyed) token would carry. */
export const highestVersion = (need: TokenNeed): number =>
  Math.max(need.v, ...Object.values(need.k ?? {}));

/**
 * A record of scopes, without a prototype: V8 keeps such an object as a
 * dictionary. A scope names a product by its slug, so an ordinary object
 * would give V8 a new hidden class for every product a write touches (an
 * `afterWrite` took 13–15 µs on Node 20 that way, 2–4 this way).
 */
const scopeRecord = (): Record<string, number> => Object.create(null) as Record<string, number>;

const withFloor = (v: number, k: Readonly<Record<string, number>>): TokenNeed => {
  const kept = scopeRecord();
  let count = 0;
  for (const scope of Object.keys(k)) {
    const version = k[scope] as number;
    if (version <= v) continue;
    kept[scope] = version;
    count++;
  }
  return count === 0 ? { v } : { v, k: kept };
};

const fits = (k: Record<string, number>): boolean =>
  Object.keys(k).length <= maxTokenScopes && JSON.stringify(k).length <= maxScopeBytes;

/**
 * The need after a write at `version` that changed `scopes`; `null` scopes (a
 * write whose reach is unknown or too wide, a replayed answer) make the write's
 * version the floor. So does a token that would outgrow its bound: safe, only
 * slower for reads of other scopes.
 *
 * @example
 * afterWrite({ v: 10 }, 42, ["p:desk-lamp", "c:lamps"]); // → { v: 10, k: { "p:desk-lamp": 42, "c:lamps": 42 } }
 * afterWrite({ v: 10 }, 42, null); // → { v: 42 }
 */
export function afterWrite(
  need: TokenNeed,
  version: number,
  scopes: readonly string[] | null,
): TokenNeed {
  if (scopes === null) return { v: Math.max(highestVersion(need), version) };
  const k = scopeRecord();
  if (need.k) for (const scope of Object.keys(need.k)) k[scope] = need.k[scope] as number;
  for (const scope of scopes) k[scope] = Math.max(k[scope] ?? 0, version);
  const next = withFloor(need.v, k);
  if (next.k && !fits(next.k)) return { v: Math.max(highestVersion(need), version) };
  return next;
}

/**
 * The need after a read served at `watermark`: the floor rises to it (the
 * holder never sees the views go back, in any region), and every scope it
 * covers is dropped.
 *
 * @example
 * afterRead({ v: 10, k: { "p:desk-lamp": 42 } }, 30); // → { v: 30, k: { "p:desk-lamp": 42 } }
 * afterRead({ v: 10, k: { "p:desk-lamp": 42 } }, 42); // → { v: 42 }
 */
export const afterRead = (need: TokenNeed, watermark: number): TokenNeed =>
  withFloor(Math.max(need.v, watermark), need.k ?? {});

/** A stable text of a need: the key under which a signed token for it may be reused. */
export const needKey = (need: TokenNeed): string =>
  need.k ? `${need.v} ${JSON.stringify(need.k)}` : String(need.v);
