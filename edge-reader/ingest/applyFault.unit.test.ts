import { describe, expect, it } from "vitest";
import { AppError } from "../../shared/errors/index.ts";
import type { StoredEvent } from "../../shared/events/types.ts";
import { newReaderState } from "../catchUp/readerState.ts";
import { applyFault } from "./applyFault.ts";

const events = [{ seq: 7 }, { seq: 9 }] as StoredEvent[];

describe("applyFault", () => {
  it("records a store or projection failure as the reader's lastPoison and rethrows it", () => {
    const state = newReaderState();
    const broken = new TypeError("Cannot read properties of undefined (reading 'currency')");
    expect(() => applyFault(state, () => 1_000, events)(broken)).toThrow(broken);
    expect(state.lastPoison).toEqual({
      at: 1_000,
      message: "the push could not be applied to this reader's views",
      details: { from: 7, to: 9, error: "TypeError" },
    });
    // the message may quote data or SQL: only the error's name reaches the public status
    expect(JSON.stringify(state.lastPoison)).not.toContain("currency");
  });

  it("leaves our own errors (a primary out of reach, say) to their status, not reported as poison", () => {
    const state = newReaderState();
    const unavailable = new AppError("unavailable", "the primary is unreachable");
    expect(() => applyFault(state, () => 1_000, events)(unavailable)).toThrow(unavailable);
    expect(state.lastPoison).toBeNull();
  });
});
