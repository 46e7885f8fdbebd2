import { describe, expect, it } from "vitest";
import { answerHeaders } from "./answerHeaders.ts";

describe("answerHeaders", () => {
  it("hands out one Headers per key, holding exactly the fields of its first use", () => {
    const headersOf = answerHeaders("Headers");
    const fields42 = () => ({ "X-Served-By": "replica", "X-Replica-Watermark": "42" });
    const a = headersOf("42", fields42);
    let built = 0;
    const counted = () => {
      built++;
      return fields42();
    };
    expect(headersOf("42", counted)).toBe(a);
    expect(built).toBe(0);
    expect([...new Headers(a).entries()]).toEqual([
      ["x-replica-watermark", "42"],
      ["x-served-by", "replica"],
    ]);
    const b = headersOf("43", () => ({ "X-Served-By": "replica", "X-Replica-Watermark": "43" }));
    expect(b).not.toBe(a);
    expect(new Headers(b).get("x-replica-watermark")).toBe("43");
  });

  it("keeps at most its bound, the oldest going first", () => {
    const headersOf = answerHeaders("Headers", 2);
    const first = headersOf("1", () => ({ W: "1" }));
    headersOf("2", () => ({ W: "2" }));
    headersOf("3", () => ({ W: "3" }));
    expect(headersOf("1", () => ({ W: "1" }))).not.toBe(first);
  });

  it("is not changed by a Response made from it", () => {
    const headersOf = answerHeaders("Headers");
    const shared = headersOf("r", () => ({ "X-Served-By": "replica" }));
    const res = new Response("{}", { headers: shared });
    res.headers.set("X-Extra", "1");
    expect(new Headers(shared).has("x-extra")).toBe(false);
  });

  it("hands out plain objects when asked, one per key", () => {
    const headersOf = answerHeaders("object");
    const a = headersOf("42", () => ({ "X-Replica-Watermark": "42" }));
    expect(a).toEqual({ "X-Replica-Watermark": "42" });
    expect(headersOf("42", () => ({ "X-Replica-Watermark": "other" }))).toBe(a);
    new Response("{}", { headers: a }).headers.set("X-Extra", "1");
    expect(a).toEqual({ "X-Replica-Watermark": "42" });
  });
});
