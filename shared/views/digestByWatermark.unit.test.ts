import { describe, expect, it } from "vitest";
import { createMemoryViewStore } from "../testing/memoryViewStore.ts";
import { generateHistory } from "../testing/randomHistory.ts";
import { digestByWatermark } from "./digestByWatermark.ts";

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
});
