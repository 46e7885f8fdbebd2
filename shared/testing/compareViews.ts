import { canonicalJson } from "../digest/index.ts";
import type { StoredEvent } from "../events/types.ts";
import type { AnyReadModel, InputOf } from "../views/models/readModel.ts";
import { readModelList } from "../views/models/readModelList.ts";
import type { Page } from "../views/readModels.ts";
import type { ViewStore } from "../views/viewStore.ts";
import { readModel } from "./modelReads.ts";

/** Inputs to read besides each model's own examples, by model name. */
export type ExtraExamples = {
  [M in (typeof readModelList)[number] as M["name"]]?: ReadonlyArray<InputOf<M>>;
};

/** Everything a storefront can read for a log, watermarks aside. */
export type ViewSnapshot = Record<string, unknown>;

const isPage = (data: unknown): data is Page<unknown> =>
  typeof data === "object" && data !== null && "nextCursor" in data && "items" in data;

/** A read, and when it answers a page, the pages after it until the last. */
async function allOf(store: ViewStore, model: AnyReadModel, input: Record<string, unknown>) {
  const first = await readModel(store, model, input);
  if (!isPage(first.data)) return first.data;
  const pages: unknown[][] = [first.data.items];
  for (let cursor = first.data.nextCursor, i = 0; cursor !== null; i++) {
    if (i > 10_000) throw new Error("a store kept handing out cursors");
    const next = (await readModel(store, model, { ...input, cursor })).data;
    if (!isPage(next)) throw new Error(`${model.name} stopped answering pages mid-walk`);
    pages.push(next.items);
    cursor = next.nextCursor;
  }
  return pages;
}

/**
 * Every read model's answers for the examples it draws from `events`
 * (`model.examples`), following cursors to the end, and the digest.
 *
 * @example
 * const snap = await viewSnapshot(store, log.events);
 */
export async function viewSnapshot(
  store: ViewStore,
  events: readonly StoredEvent[],
  extra: ExtraExamples = {},
): Promise<ViewSnapshot> {
  const snap: ViewSnapshot = { digest: (await store.digest()).digest };
  for (const model of readModelList as readonly AnyReadModel[]) {
    const more = (extra as Record<string, readonly unknown[] | undefined>)[model.name] ?? [];
    for (const input of [...model.examples(events), ...more] as Array<Record<string, unknown>>) {
      snap[`${model.name} ${JSON.stringify(input)}`] = await allOf(store, model, input);
    }
  }
  return snap;
}

/**
 * What differs between two stores' views, one line per differing read; empty
 * when they agree. Use it to hold the primary's inline views to a replica or
 * to a rebuild at the same watermark.
 *
 * @example
 * expect(await diffViews(primaryViews, rebuilt, events)).toEqual([]);
 */
export async function diffViews(
  a: ViewStore,
  b: ViewStore,
  events: readonly StoredEvent[],
  extra: ExtraExamples = {},
): Promise<string[]> {
  const [wa, wb] = [await a.watermark(), await b.watermark()];
  const diffs = wa === wb ? [] : [`watermark: ${wa} vs ${wb}`];
  const [sa, sb] = [await viewSnapshot(a, events, extra), await viewSnapshot(b, events, extra)];
  return diffs.concat(diffSnapshots(sa, sb));
}

/** @example diffSnapshots(snapA, snapB); // → ["page lamp: {…} vs null"] */
export function diffSnapshots(a: ViewSnapshot, b: ViewSnapshot): string[] {
  const out: string[] = [];
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const [x, y] = [canonicalJson(a[key] ?? null), canonicalJson(b[key] ?? null)];
    if (x !== y) out.push(`${key}: ${x.slice(0, 400)} vs ${y.slice(0, 400)}`);
  }
  return out;
}
