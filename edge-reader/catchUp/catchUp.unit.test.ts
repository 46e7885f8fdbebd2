import { describe, expect, it } from "vitest";
import { memoryEventSource } from "../../shared/events/eventSource.ts";
import { generateHistory } from "../../shared/testing/randomHistory.ts";
import { createMemoryViewStore } from "../../shared/views/stores/memory/memoryViewStore.ts";
import { createCatchUp } from "./catchUp.ts";
import { newReaderState } from "./readerState.ts";

describe("catch-up", () => {
  it("pulls page by page up to the head and records what it heard", async () => {
    const events = generateHistory(120, 3);
    const store = createMemoryViewStore();
    const state = newReaderState();
    const catchUp = createCatchUp({
      store,
      source: memoryEventSource(events),
      state,
      pageSize: 25,
    });
    const head = events.at(-1)?.seq ?? 0;
    expect(await catchUp.run()).toEqual({ watermark: head, head, applied: events.length });
    expect(state).toMatchObject({ knownHead: head });
    expect(state.lastHeardAt).not.toBeNull();
    expect(await catchUp.run()).toEqual({ watermark: head, head, applied: 0 });
  });

  it("shares one run between concurrent callers", async () => {
    const events = generateHistory(60, 4);
    let pulls = 0;
    const source = memoryEventSource(events);
    const counting = {
      pull: (after: number, limit: number) => {
        pulls++;
        return source.pull(after, limit);
      },
    };
    const catchUp = createCatchUp({
      store: createMemoryViewStore(),
      source: counting,
      state: newReaderState(),
      pageSize: 100,
    });
    const [a, b] = await Promise.all([catchUp.run(), catchUp.run()]);
    expect(a).toEqual(b);
    // one page holds the whole log: two separate runs would have pulled twice
    expect(pulls).toBe(1);
  });

  it("fails instead of spinning when the log has a hole", async () => {
    const events = generateHistory(30, 5).filter((e) => e.seq !== 10);
    const catchUp = createCatchUp({
      store: createMemoryViewStore(),
      source: memoryEventSource(events),
      state: newReaderState(),
    });
    await expect(catchUp.run()).rejects.toThrow(/missing seqs 10-10/);
  });
});
