import { describe, expect, it } from "vitest";
import { afterRead, afterWrite, maxTokenScopes, versionFor } from "./tokenNeed.ts";

describe("token needs", () => {
  it("ask a read its floor, or a named scope's higher version", () => {
    const need = { v: 10, k: { "p:lamp": 42, all: 42 } };
    expect(versionFor(need, ["p:lamp"])).toBe(42);
    expect(versionFor(need, ["p:chair"])).toBe(10);
    expect(versionFor(need, ["c:desks", "all"])).toBe(42);
    expect(versionFor({ v: 7 }, ["p:lamp"])).toBe(7);
  });

  it("after a write, name its scopes at its version above the floor", () => {
    expect(afterWrite({ v: 10 }, 42, ["p:lamp", "all"])).toEqual({
      v: 10,
      k: { "p:lamp": 42, all: 42 },
    });
    // a later write raises what it touches again and keeps the rest
    expect(afterWrite({ v: 10, k: { "p:lamp": 42, all: 42 } }, 50, ["p:chair", "all"])).toEqual({
      v: 10,
      k: { "p:lamp": 42, all: 50, "p:chair": 50 },
    });
  });

  it("fold into the floor when the write's reach is unknown or the token would outgrow its bound", () => {
    expect(afterWrite({ v: 10, k: { "p:lamp": 42 } }, 50, null)).toEqual({ v: 50 });
    const many = Array.from({ length: maxTokenScopes + 1 }, (_, i) => `p:product-${i}`);
    expect(afterWrite({ v: 10 }, 50, many)).toEqual({ v: 50 });
    const long = [`p:${"x".repeat(700)}`];
    expect(afterWrite({ v: 10 }, 50, long)).toEqual({ v: 50 });
    // the fold keeps what earlier writes asked, too
    expect(afterWrite({ v: 10, k: { "p:lamp": 60 } }, 50, null)).toEqual({ v: 60 });
  });

  it("after a read, raise the floor to what was served and drop the scopes it covers", () => {
    const need = { v: 10, k: { "p:lamp": 42, "p:chair": 50 } };
    expect(afterRead(need, 30)).toEqual({ v: 30, k: { "p:lamp": 42, "p:chair": 50 } });
    expect(afterRead(need, 42)).toEqual({ v: 42, k: { "p:chair": 50 } });
    expect(afterRead(need, 60)).toEqual({ v: 60 });
    // never lowers the floor: monotonic reads
    expect(afterRead({ v: 70 }, 60)).toEqual({ v: 70 });
  });
});
