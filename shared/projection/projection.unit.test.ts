import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventLog } from "../testing/eventLog.ts";
import { MemoryRecords } from "../views/stores/memory/memoryRecords.ts";
import { evolve, needs } from "./evolve.ts";
import { projectBatchSync } from "./project.ts";
import { planBatch } from "./protocol.ts";
import { emptySlice, type ViewSlice, withLoaded } from "./slice.ts";
import { listingSortKeys } from "./sortKeys.ts";
import { compareCodePoints, queryTerms, searchTerms, words } from "./text.ts";

/** The rounds of needs a batch asks a store for, in order. */
function rounds(recs: MemoryRecords, events: EventLog["events"]) {
  const asked: string[][] = [];
  let slice: ViewSlice = emptySlice();
  for (let n = needs(events, slice); n.length > 0; n = needs(events, slice)) {
    asked.push(n.map((x) => x.kind));
    slice = withLoaded(slice, recs.load(n));
  }
  return { asked, changes: evolve(slice, events) };
}

function seeded() {
  const log = new EventLog();
  const home = log.category("home", "Home");
  const lamps = log.category("lamps", "Lamps", home);
  log.product({ slug: "a", name: "A", categoryId: lamps, price: { amount: 100, currency: "EUR" } });
  log.product({ slug: "b", name: "B", categoryId: lamps, price: { amount: 200, currency: "EUR" } });
  const recs = new MemoryRecords();
  recs.apply(projectBatchSync(log.events, (n) => recs.load(n)));
  return { log, recs, home, lamps };
}

describe("needs: the round trips a store pays per batch", () => {
  it("asks for categories and the named products first, then the counters they touch", () => {
    const { log, recs } = seeded();
    const batch = [log.stock("prd_a", 0)];
    expect(needs(batch, emptySlice())).toEqual([
      { kind: "categories" },
      { kind: "products", ids: ["prd_a"] },
    ]);
    expect(rounds(recs, batch).asked).toEqual([["categories", "products"], ["counters"]]);
  });

  it("loads a renamed category's members, and a price range only when the min or max leaves", () => {
    const { log, recs, home } = seeded();
    // a rename also rewrites the category's stats and the navigation tree
    expect(rounds(recs, [log.renameCategory(home, "House")]).asked).toEqual([
      ["categories"],
      ["counters", "members", "navigation"],
    ]);
    expect(rounds(recs, [log.price("prd_b", 150)]).asked).toEqual([
      ["categories", "products"],
      ["counters"],
      ["priceRange"],
    ]);
  });

  it("refuses to evolve before its needs are loaded", () => {
    const { log } = seeded();
    expect(() => evolve(emptySlice(), [log.stock("prd_a", 1)])).toThrow(/before its needs/);
  });
});

describe("apply protocol plan", () => {
  const log = seeded().log;
  const [e1, e2, e3, e4] = log.events;
  it("sorts, drops applied and repeated seqs, and names the first hole", () => {
    expect(
      planBatch(
        1,
        [e3, e2, e2, e1].filter((e) => e !== undefined),
      ),
    ).toMatchObject({
      status: "apply",
      watermark: 3,
    });
    expect(
      planBatch(
        4,
        [e1, e2, e4].filter((e) => e !== undefined),
      ),
    ).toEqual({ status: "duplicate" });
    expect(
      planBatch(
        0,
        [e1, e3, e4].filter((e) => e !== undefined),
      ),
    ).toEqual({
      status: "gap",
      missing: { from: 2, to: 2 },
    });
  });
});

describe("text", () => {
  it("normalizes case, diacritics and compatibility forms, splitting on the rest", () => {
    expect(words("Crème Brûlée, ﬁne İstanbul ΆΘΗΝΑ 2-pack")).toEqual([
      "creme",
      "brulee",
      "fine",
      "istanbul",
      "αθηνα",
      "2",
      "pack",
    ]);
    expect(queryTerms("Lamp LAMP lámp")).toEqual(["lamp"]);
    expect(searchTerms("Desk lamp", "A lamp")).toEqual([
      ["a", 1],
      ["desk", 2],
      ["lamp", 3],
    ]);
  });

  it("orders by code point where UTF-16 would not", () => {
    const astral = "𝒜"; // U+1D49C, a surrogate pair
    expect(astral < "\uFFFD").toBe(true);
    expect(compareCodePoints(astral, "\uFFFD")).toBeGreaterThan(0);
  });

  it("makes listing keys sort like (price, id), (-price, id) and (-createdSeq)", () => {
    const item = fc.record({
      id: fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/),
      amount: fc.integer({ min: 0, max: 1_000_000_000_000 }),
      createdSeq: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    });
    fc.assert(
      fc.property(item, item, (a, b) => {
        const ka = listingSortKeys({ ...a, name: "n" });
        const kb = listingSortKeys({ ...b, name: "n" });
        const order = (x: string, y: string) => Math.sign(compareCodePoints(x, y));
        const byId = compareCodePoints(a.id, b.id);
        expect(order(ka.price_asc, kb.price_asc)).toBe(Math.sign(a.amount - b.amount || byId));
        expect(order(ka.price_desc, kb.price_desc)).toBe(Math.sign(b.amount - a.amount || byId));
        if (a.createdSeq !== b.createdSeq) {
          expect(order(ka.newest, kb.newest)).toBe(Math.sign(b.createdSeq - a.createdSeq));
        }
      }),
      { numRuns: 500 },
    );
  });
});
