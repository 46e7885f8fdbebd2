import type { StoredEvent } from "../events/types.ts";
import { evolve, needs } from "./evolve.ts";
import type { RecordChange } from "./records.ts";
import { emptySlice, type Loaded, type Need, withLoaded } from "./slice.ts";

/** Rounds never exceed three; more means a store answered a need incompletely. */
const maxRounds = 6;

/**
 * Runs a batch through the projection: asks `load` for each round of needs
 * (one call per round, so a remote store pays one round trip per round), then
 * evolves. All domain logic is here; `load` only reads records.
 *
 * @example
 * const changes = await projectBatch(events, (needs) => Promise.all(needs.map(loadOne)));
 */
export async function projectBatch(
  events: readonly StoredEvent[],
  load: (needs: Need[]) => Promise<Loaded[]>,
): Promise<RecordChange[]> {
  let slice = emptySlice();
  for (let round = 0; round < maxRounds; round++) {
    const missing = needs(events, slice);
    if (missing.length === 0) return evolve(slice, events);
    slice = withLoaded(slice, await load(missing));
  }
  throw new Error("the projection's needs were not met after repeated loads");
}

/**
 * The same for stores that read synchronously (the in-memory reference).
 *
 * @example
 * const changes = projectBatchSync(events, (needs) => needs.map(loadFromMaps));
 */
export function projectBatchSync(
  events: readonly StoredEvent[],
  load: (needs: Need[]) => Loaded[],
): RecordChange[] {
  let slice = emptySlice();
  for (let round = 0; round < maxRounds; round++) {
    const missing = needs(events, slice);
    if (missing.length === 0) return evolve(slice, events);
    slice = withLoaded(slice, load(missing));
  }
  throw new Error("the projection's needs were not met after repeated loads");
}
