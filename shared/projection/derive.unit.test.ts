import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Category } from "../domain/catalog.ts";
import type { CategoryRef } from "../views/readModels.ts";
import { categoryPath } from "./derive.ts";
import { listingSortKeys, nameSortKey } from "./sortKeys.ts";
import { words } from "./text.ts";

/** `categoryPath` as first written: a Set of the ids seen, refs put in front. */
function referencePath(categories: ReadonlyMap<string, Category>, id: string): CategoryRef[] {
  const path: CategoryRef[] = [];
  const seen = new Set<string>();
  for (let c = categories.get(id); c && !seen.has(c.id); ) {
    seen.add(c.id);
    path.unshift({ id: c.id, slug: c.slug, name: c.name });
    c = c.parentId === null ? undefined : categories.get(c.parentId);
  }
  return path;
}

const category = (id: string, parentId: string | null): Category => ({
  id,
  slug: `s-${id}`,
  name: `N ${id}`,
  parentId,
  version: 1,
});

describe("categoryPath", () => {
  it("walks any map as the Set walk does: cycles, ids that differ from their keys, long chains", () => {
    const key = fc.integer({ min: 0, max: 40 }).map((n) => `c${n}`);
    const entry = fc.tuple(key, key, fc.option(key, { nil: null }));
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 60 }), key, (entries, start) => {
        const categories = new Map(entries.map(([k, id, parent]) => [k, category(id, parent)]));
        expect(categoryPath(categories, start)).toEqual(referencePath(categories, start));
      }),
      { numRuns: 2_000 },
    );
  });

  it("follows a chain of any length to its root", () => {
    for (const depth of [1, 15, 16, 17, 200]) {
      const chain = Array.from({ length: depth }, (_, i) =>
        category(`c${i}`, i ? `c${i - 1}` : null),
      );
      const categories = new Map(chain.map((c) => [c.id, c]));
      const path = categoryPath(categories, `c${depth - 1}`);
      expect(path).toEqual(referencePath(categories, `c${depth - 1}`));
      expect(path.map((c) => c.id)).toEqual(chain.map((c) => c.id));
    }
  });
});

describe("listingSortKeys", () => {
  it("pads as padStart did, for any amount and seq, in range or not", () => {
    const maxAmount = 10 ** 13 - 1;
    const reference = (p: { id: string; name: string; amount: number; createdSeq: number }) => {
      const amount = Math.min(Math.max(Math.trunc(p.amount), 0), maxAmount);
      const pad = (n: number, digits: number) => String(n).padStart(digits, "0");
      return {
        price_asc: `${pad(amount, 13)}|${p.id}`,
        price_desc: `${pad(maxAmount - amount, 13)}|${p.id}`,
        name: `${words(p.name).join(" ")}\u0001${p.id}`,
        newest: `${pad(Number.MAX_SAFE_INTEGER - p.createdSeq, 16)}|${p.id}`,
      };
    };
    const number = fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.double(), fc.constant(1e13));
    fc.assert(
      fc.property(fc.string(), fc.string(), number, number, (id, name, amount, createdSeq) => {
        const p = { id, name, amount, createdSeq };
        expect(listingSortKeys(p)).toEqual(reference(p));
      }),
      { numRuns: 2_000 },
    );
  });

  it("gives the name key of the name asked for, whatever was asked before", () => {
    expect(nameSortKey("Crème lamp")).toBe("creme lamp");
    expect(nameSortKey("Crème lamp")).toBe("creme lamp");
    expect(nameSortKey("Desk")).toBe("desk");
    expect(nameSortKey("Crème lamp")).toBe("creme lamp");
  });
});
