import { describe, expect, it } from "vitest";
import { generateHistory } from "../testing/randomHistory.ts";
import { digestByWatermark } from "./digestByWatermark.ts";
import { createMemoryViewStore } from "./stores/memory/memoryViewStore.ts";

describe("digestByWatermark", () => {
  it("recomputes the digest only when the watermark moves", async () => {
    const store = createMemoryViewStore();
    let computed = 0;
    const counting = {
      ...store,
      watermark: () => store.watermark(),
      digest: () => {
        computed++;
        return store.digest();
      },
    };
    const current = digestByWatermark(counting);
    const events = generateHistory(40, 7);
    await store.apply(events.slice(0, 20));
    const first = await current();
    expect(await current()).toEqual(first);
    expect(computed).toBe(1);
    await store.apply(events.slice(20));
    const second = await current();
    expect(computed).toBe(2);
    expect(second).toEqual({ watermark: events.at(-1)?.seq, digest: await store.digest() });
    expect(second.digest).not.toBe(first.digest);
  });

  it("recomputes at the same watermark after a switch to another view generation", async () => {
    const store = createMemoryViewStore();
    let computed = 0;
    let generation = "g1";
    const current = digestByWatermark(
      {
        ...store,
        digest: () => {
          computed++;
          return store.digest();
        },
      },
      () => generation,
    );
    await store.apply(generateHistory(20, 3));
    await current();
    await current();
    generation = "g2";
    await current();
    expect(computed).toBe(2);
  });
});
