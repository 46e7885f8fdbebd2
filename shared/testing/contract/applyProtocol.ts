import { describe, expect, it } from "vitest";
import { EventLog } from "../eventLog.ts";
import { referenceFold } from "../referenceFold.ts";
import type { OpenStore } from "./harness.ts";

/**
 * A small catalog of 8 events: two categories, four products, a price change and an archive.
 *
 * @example
 * await store.apply(smallCatalog().events);
 */
export function smallCatalog(): EventLog {
  const log = new EventLog();
  const home = log.category("home", "Home");
  const lamps = log.category("lamps", "Lamps", home);
  const desk = log.product({ slug: "desk-lamp", name: "Desk lamp", categoryId: lamps });
  log.product({ slug: "floor-lamp", name: "Floor lamp", categoryId: lamps, stock: 0 });
  const rug = log.product({ slug: "rug", name: "Rug", categoryId: home });
  log.product({ slug: "vase", name: "Vase", categoryId: home, status: "draft" });
  log.price(desk, 2_500);
  log.archive(rug);
  return log;
}

/**
 * One section of `testViewStore`.
 *
 * @example
 * applyProtocolContract(storeOpener(factory));
 */
export function applyProtocolContract(open: OpenStore): void {
  describe("apply protocol", () => {
    it("applies a batch and moves the watermark to its last seq", async () => {
      const store = await open();
      const { events } = smallCatalog();
      expect(await store.watermark()).toBe(0);
      expect(await store.apply(events)).toEqual({ status: "applied", watermark: 8, applied: 8 });
      expect(await store.watermark()).toBe(8);
      expect((await store.digest()).digest).toBe((await referenceFold(events)).digest);
    });

    it("acknowledges a duplicate delivery without changing anything", async () => {
      const { events } = smallCatalog();
      const store = await open(events);
      const before = (await store.digest()).digest;
      expect(await store.apply(events)).toEqual({ status: "duplicate", watermark: 8 });
      expect(await store.apply(events.slice(2, 5))).toEqual({ status: "duplicate", watermark: 8 });
      expect(await store.apply([])).toEqual({ status: "duplicate", watermark: 8 });
      expect((await store.digest()).digest).toBe(before);
    });

    it("sorts an unsorted batch and drops repeats inside it", async () => {
      const { events } = smallCatalog();
      const store = await open();
      const shuffled = [...events].reverse().concat(events.slice(0, 3));
      expect(await store.apply(shuffled)).toEqual({ status: "applied", watermark: 8, applied: 8 });
      expect((await store.digest()).digest).toBe((await referenceFold(events)).digest);
    });

    it("reports a gap naming the missing range and changes nothing", async () => {
      const { events } = smallCatalog();
      const store = await open(events.slice(0, 3));
      const before = (await store.digest()).digest;
      const result = await store.apply(events.slice(5));
      expect(result).toEqual({ status: "gap", watermark: 3, missing: { from: 4, to: 5 } });
      expect(await store.watermark()).toBe(3);
      expect((await store.digest()).digest).toBe(before);
    });

    it("treats a hole inside a batch as a gap and applies none of it", async () => {
      const { events } = smallCatalog();
      const store = await open(events.slice(0, 2));
      const holed = [...events.slice(2, 4), ...events.slice(6)];
      const result = await store.apply(holed);
      expect(result).toEqual({ status: "gap", watermark: 2, missing: { from: 5, to: 6 } });
      expect(await store.watermark()).toBe(2);
    });

    it("applies only the new part of a partially overlapping batch", async () => {
      const { events } = smallCatalog();
      const store = await open(events.slice(0, 5));
      expect(await store.apply(events.slice(2))).toEqual({
        status: "applied",
        watermark: 8,
        applied: 3,
      });
      expect((await store.digest()).digest).toBe((await referenceFold(events)).digest);
    });

    it("applies a batch once when it is delivered twice at the same time", async () => {
      const { events } = smallCatalog();
      const store = await open(events.slice(0, 2));
      const batch = events.slice(2);
      const results = await Promise.all([
        store.apply(batch),
        store.apply(batch),
        store.apply(batch),
      ]);
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual(["applied", "duplicate", "duplicate"]);
      expect(await store.watermark()).toBe(8);
      expect((await store.digest()).digest).toBe((await referenceFold(events)).digest);
    });

    it("never applies a later batch before an earlier one racing it", async () => {
      const { events } = smallCatalog();
      const store = await open();
      const [first, second] = await Promise.all([
        store.apply(events.slice(4)),
        store.apply(events.slice(0, 4)),
      ]);
      expect(second).toMatchObject({ status: "applied", watermark: 4 });
      if (first?.status === "gap") {
        expect(first.missing.from).toBeLessThanOrEqual(5);
        expect(await store.apply(events.slice(4))).toMatchObject({
          status: "applied",
          watermark: 8,
        });
      } else {
        expect(first).toMatchObject({ status: "applied", watermark: 8 });
      }
      expect((await store.digest()).digest).toBe((await referenceFold(events)).digest);
    });
  });
}
