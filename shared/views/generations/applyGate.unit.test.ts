import { describe, expect, it } from "vitest";
import { createApplyGate } from "./applyGate.ts";

const deferred = () => {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
};

describe("createApplyGate", () => {
  it("closes only once the ops in flight have settled, and holds new ones until it opens", async () => {
    const gate = createApplyGate();
    const order: string[] = [];
    const first = deferred();
    const inFlight = gate.pass(async () => {
      await first.promise;
      order.push("in flight");
    });
    const held = deferred();
    const closed = gate.closedFor(async () => {
      order.push("closed");
      await held.promise;
      order.push("opening");
      return 7;
    });
    const later = gate.pass(async () => {
      order.push("later");
    });
    await new Promise((r) => setTimeout(r, 0));
    expect(order).toEqual([]);

    first.resolve();
    await inFlight;
    await new Promise((r) => setTimeout(r, 0));
    expect(order).toEqual(["in flight", "closed"]);

    held.resolve();
    expect(await closed).toBe(7);
    await later;
    expect(order).toEqual(["in flight", "closed", "opening", "later"]);
  });

  it("opens again when the closed op fails, and lets one closer in at a time", async () => {
    const gate = createApplyGate();
    const order: string[] = [];
    const failing = gate.closedFor(async () => {
      order.push("first");
      throw new Error("pull failed");
    });
    const second = gate.closedFor(async () => {
      order.push("second");
    });
    await expect(failing).rejects.toThrow("pull failed");
    await second;
    expect(await gate.pass(async () => "through")).toBe("through");
    expect(order).toEqual(["first", "second"]);
  });
});
