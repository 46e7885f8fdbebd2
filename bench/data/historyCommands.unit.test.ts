import { describe, expect, it } from "vitest";
import { parseCommands } from "../../shared/commands/parseCommands.ts";
import { productCommand } from "./catalogCommands.ts";
import { followUpStream, initialHistoryState } from "./historyCommands.ts";

const products = 500;
const stream = () =>
  followUpStream(
    initialHistoryState(products, (i) => productCommand(42, i)),
    42,
    products,
  );

describe("follow-up commands", () => {
  it("are the same for the same seed", () => {
    expect(stream()(2_000)).toEqual(stream()(2_000));
  });

  it("pass the write API's validation and never take stock below zero", () => {
    const state = initialHistoryState(products, (i) => productCommand(42, i));
    const next = followUpStream(state, 42, products);
    const commands = next(10_000);
    expect(parseCommands({ commands: commands.slice(0, 1_000) })).toHaveLength(1_000);
    for (const c of commands) expect(() => parseCommands(c)).not.toThrow();
    expect(Math.min(...state.stock)).toBeGreaterThanOrEqual(0);
    const types = new Set(commands.map((c) => c.type));
    expect([...types].sort()).toEqual([
      "category.rename",
      "product.adjustStock",
      "product.archive",
      "product.changePrice",
      "product.publish",
      "product.update",
    ]);
  });
});
