import { describe, expect, it } from "vitest";
import { answerHeaders } from "./answerHeaders.ts";

describe("answerHeaders", () => {
  it("hands out one Headers per distinct set of values, holding exactly them", () => {
    const headersOf = answerHeaders();
    const a = headersOf({ "X-Served-By": "replica", "X-Replica-Watermark": "42" });
    expect(headersOf({ "X-Served-By": "replica", "X-Replica-Watermark": "42" })).toBe(a);
    expect([...a.entries()]).toEqual([
      ["x-replica-watermark", "42"],
      ["x-served-by", "replica"],
    ]);
    const b = headersOf({ "X-Served-By": "replica", "X-Replica-Watermark": "43" });
    expect(b).not.toBe(a);
    expect(b.get("x-replica-watermark")).toBe("43");
  });

  it("keeps at most its bound, the oldest going first", () => {
    const headersOf = answerHeaders(2);
    const first = headersOf({ W: "1" });
    headersOf({ W: "2" });
    headersOf({ W: "3" });
    expect(headersOf({ W: "1" })).not.toBe(first);
  });

  it("is not changed by a Response made from it", () => {
    const headersOf = answerHeaders();
    const shared = headersOf({ "X-Served-By": "replica" });
    const res = new Response("{}", { headers: shared });
    res.headers.set("X-Extra", "1");
    expect(shared.has("x-extra")).toBe(false);
  });
});
