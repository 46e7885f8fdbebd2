import { describe, expect, it } from "vitest";
import type { Category } from "../../../domain/catalog.ts";
import type { RecordChange } from "../../../projection/index.ts";
import { categoriesAfter, categoryMemo } from "./categoryMemo.ts";

const category = (id: string, name: string): Category => ({
  id,
  slug: id,
  name,
  parentId: null,
  version: 1,
});
const upsert = (c: Category): RecordChange => ({
  op: "upsert",
  record: { kind: "category", key: c.id, value: c },
});

describe("categoryMemo", () => {
  it("holds only what a committed apply staged, at its watermark", () => {
    const memo = categoryMemo();
    const list = [category("a", "A")];
    memo.stage(3, list);
    expect(memo.at(3)).toBeUndefined();
    memo.committed(3);
    expect(memo.at(3)).toBe(list);
    expect(memo.at(2)).toBeUndefined();
    expect(memo.at(4)).toBeUndefined();
  });

  it("keeps nothing for an apply that staged but never committed", () => {
    const memo = categoryMemo();
    memo.stage(5, [category("a", "A")]);
    memo.committed(6);
    expect(memo.at(5)).toBeUndefined();
    expect(memo.at(6)).toBeUndefined();
  });

  it("keeps the later of two applies that commit out of order", () => {
    const memo = categoryMemo();
    const [older, newer] = [[category("a", "A")], [category("a", "B")]];
    memo.stage(7, older);
    memo.stage(8, newer);
    memo.committed(8);
    memo.committed(7);
    expect(memo.at(8)).toBe(newer);
    expect(memo.at(7)).toBeUndefined();
  });
});

describe("categoriesAfter", () => {
  it("replaces a renamed category in place, adds new ones last, drops deleted ones, ignores other records", () => {
    const [a, b, c] = [category("a", "A"), category("b", "B"), category("c", "C")];
    const renamed = category("a", "A2");
    const changes: RecordChange[] = [
      upsert(renamed),
      upsert(c),
      { op: "delete", kind: "category", key: "b" },
      { op: "delete", kind: "product", key: "a" },
    ];
    expect(categoriesAfter([a, b], changes)).toEqual([renamed, c]);
    expect(categoriesAfter([a, b], [])).toEqual([a, b]);
    // no category among the changes: the same list, so what was derived from it stays valid
    const list = [a, b];
    expect(categoriesAfter(list, [{ op: "delete", kind: "product", key: "a" }])).toBe(list);
  });
});
