import { afterEach, expect } from "vitest";
import type { StoredEvent } from "../../events/types.ts";
import type { Page } from "../../views/readModels.ts";
import type { Read, ViewStore } from "../../views/viewStore.ts";

export type ViewStoreFactory = () => Promise<{ store: ViewStore; cleanup(): Promise<void> }>;

/** Opens a fresh store per call; everything opened in a test is cleaned up after it. */
export type OpenStore = (events?: readonly StoredEvent[]) => Promise<ViewStore>;

/**
 * Inside a `describe`: opens what `factory` gives, as often as a test asks,
 * and cleans each up after that test, the last opened first.
 *
 * @example
 * const open = openedPerTest(factory);
 * it("…", async () => { const { store } = await open(); });
 */
export function openedPerTest<T extends { cleanup(): Promise<void> }>(
  factory: () => Promise<T>,
): () => Promise<T> {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return async () => {
    const opened = await factory();
    cleanups.push(() => opened.cleanup());
    return opened;
  };
}

/**
 * @example
 * const open = storeOpener(factory);
 * it("…", async () => { const store = await open(log.events); });
 */
export function storeOpener(factory: ViewStoreFactory): OpenStore {
  const opened = openedPerTest(factory);
  return async (events) => {
    const { store } = await opened();
    if (events && events.length > 0) {
      const result = await store.apply(events);
      expect(result.status).toBe("applied");
    }
    return store;
  };
}

/**
 * The data of a read that must have found something.
 *
 * @example
 * found(await readsOf(store).productPage({ slug: "lamp" })).name; // → "Lamp"
 */
export function found<T>(read: Read<T>): T {
  expect(read.data).not.toBeNull();
  return read.data as T;
}

/**
 * Follows `nextCursor` to the end. Fails the test instead of looping forever
 * if a store keeps handing out cursors.
 *
 * @example
 * const all = await allPages((cursor) => readsOf(store).search({ q: "lamp", limit: 2, cursor }));
 */
export async function allPages<T>(
  fetch: (cursor: string | undefined) => Promise<Read<Page<T>>>,
  maxPages = 1_000,
): Promise<T[][]> {
  const pages: T[][] = [];
  let cursor: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const page = found(await fetch(cursor));
    pages.push(page.items);
    if (page.nextCursor === null) return pages;
    cursor = page.nextCursor;
  }
  throw new Error(`still paging after ${maxPages} pages`);
}

/** @example ids([{ id: "a" }, { id: "b" }]); // → ["a", "b"] */
export const ids = (items: ReadonlyArray<{ id: string }>) => items.map((i) => i.id);

/**
 * Rejects with the typed 400 a route turns into `{ error: { code: "bad_request" } }`.
 *
 * @example
 * await expectBadRequest(readsOf(store).search({ q: "x", limit: 0 }));
 */
export async function expectBadRequest(promise: Promise<unknown>): Promise<void> {
  await expect(promise).rejects.toMatchObject({ status: 400, code: "bad_request" });
}
