/**
 * Trims an insertion-ordered map to its `max` newest entries, the oldest
 * going first: the bound of every small cache here (tokens, headers,
 * prepared statements, answers), whose keys only move forward.
 *
 * @example
 * cache.set(key, value);
 * keepNewest(cache, 64);
 */
export function keepNewest<K, V>(map: Map<K, V>, max: number): void {
  for (const key of map.keys()) {
    if (map.size <= max) return;
    map.delete(key);
  }
}
