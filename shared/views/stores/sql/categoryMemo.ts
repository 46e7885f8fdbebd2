import type { Category } from "../../../domain/catalog.ts";
import type { RecordChange } from "../../../projection/index.ts";

/**
 * The categories a store's views held at a watermark, kept between applies.
 * Every apply's projection needs the whole category list (a product's page
 * names its category and ancestors), and reading and parsing it was about a
 * quarter of a one-event apply on a 200-category catalog. Categories change only through applies, which
 * move the watermark in the same transaction, so the list a committed apply
 * left is the list at that watermark; an apply that finds any other watermark
 * (another process applied, a switch) reads the table as before.
 */
export interface CategoryMemo {
  /** the categories at `watermark`, if an apply through this memo committed them */
  at(watermark: number): readonly Category[] | undefined;
  /** what an apply in progress will leave at `watermark`, until `committed` says it committed */
  stage(watermark: number, categories: readonly Category[]): void;
  /** the apply that reached `watermark` committed: its categories are the ones to keep */
  committed(watermark: number): void;
}

/**
 * @example
 * const memo = categoryMemo();
 * memo.stage(12, categories); // inside the apply's transaction
 * memo.committed(12);         // after its commit
 * memo.at(12);                // → categories
 */
export function categoryMemo(): CategoryMemo {
  type Held = { watermark: number; categories: readonly Category[] };
  let kept: Held | null = null;
  // One apply's list at a time: another apply staging over it (a retry, a race) only costs a read later.
  let staged: Held | null = null;
  return {
    at: (watermark) => (kept?.watermark === watermark ? kept.categories : undefined),
    stage(watermark, categories) {
      staged = { watermark, categories };
    },
    committed(watermark) {
      if (staged?.watermark !== watermark) return;
      if (kept === null || kept.watermark < watermark) kept = staged;
      staged = null;
    },
  };
}

const touchesCategory = (c: RecordChange) =>
  c.op === "upsert" ? c.record.kind === "category" : c.kind === "category";

/**
 * The category list after a batch's changes: upserts replace or add, deletes remove.
 *
 * @example
 * categoriesAfter([shoes], [{ op: "upsert", record: { kind: "category", key: hats.id, value: hats } }]); // → [shoes, hats]
 */
export function categoriesAfter(
  before: readonly Category[],
  changes: readonly RecordChange[],
): readonly Category[] {
  // most batches change no category: the list stays the same object, so what
  // is derived from it once (the projection's map of it) stays valid
  if (!changes.some(touchesCategory)) return before;
  const byId = new Map(before.map((c) => [c.id, c]));
  for (const change of changes) {
    if (change.op === "upsert") {
      if (change.record.kind === "category") byId.set(change.record.key, change.record.value);
    } else if (change.kind === "category") {
      byId.delete(change.key);
    }
  }
  return [...byId.values()];
}
