import { describe, expect, it } from "vitest";
import { referenceFold } from "../referenceFold.ts";
import { smallCatalog } from "./applyProtocol.ts";
import type { OpenStore } from "./harness.ts";
import { treeCatalog } from "./statsAndNavigation.ts";

/**
 * One section of `testViewStore`.
 *
 * @example
 * digestContract(storeOpener(factory));
 */
export function digestContract(open: OpenStore): void {
  describe("digest", () => {
    it("is equal for two stores fed the same events in different batchings", async () => {
      const { log, lighting } = treeCatalog();
      log.renameCategory(lighting, "Lights");
      log.archive("l1");
      log.price("l2", 1);
      const { events } = log;
      const whole = await open(events);
      const single = await open();
      for (const e of events) await single.apply([e]);
      const uneven = await open();
      for (const [from, to] of [
        [0, 3],
        [3, 4],
        [4, 11],
        [11, events.length],
      ]) {
        await uneven.apply(events.slice(from, to).reverse());
      }
      const digest = (await whole.digest()).digest;
      expect(digest).toMatch(/^[0-9a-f]{64}$/);
      expect((await single.digest()).digest).toBe(digest);
      expect((await uneven.digest()).digest).toBe(digest);
      expect(digest).toBe((await referenceFold(events)).digest);
    });

    it("is kept with the watermark by every apply: the digest walked from every record agrees", async () => {
      const log = treeCatalog().log;
      const store = await open();
      for (const [i, e] of log.events.entries()) {
        await store.apply([e]);
        const kept = await store.digest();
        expect(kept).toEqual(await store.digest({ fresh: true }));
        expect(kept.watermark).toBe(i + 1);
      }
      await store.apply([
        log.archive("l1"),
        log.renameCategory("cat_home", "House"),
        log.price("l2", 7),
      ]);
      expect(await store.digest()).toEqual(await store.digest({ fresh: true }));
      expect((await store.digest()).digest).toBe((await referenceFold(log.events)).digest);
    });

    it("changes when the views change and is the reference value when empty", async () => {
      const log = smallCatalog();
      const store = await open();
      expect((await store.digest()).digest).toBe((await referenceFold([])).digest);
      await store.apply(log.events);
      const before = (await store.digest()).digest;
      await store.apply([log.stock("prd_desk-lamp", 1)]);
      expect((await store.digest()).digest).not.toBe(before);
      expect((await store.digest()).digest).toBe((await referenceFold(log.events)).digest);
    });
  });
}
