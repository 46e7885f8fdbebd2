import { describe, expect, it } from "vitest";
import { readBodyBytes } from "./jsonBody.ts";

const streamOf = (chunks: string[], pulled: { count: number }) =>
  new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks[pulled.count++];
      if (next === undefined) controller.close();
      else controller.enqueue(new TextEncoder().encode(next));
    },
  });

const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request("http://localhost/v1/commands", {
    method: "POST",
    body,
    headers,
    duplex: "half",
  } as RequestInit);

describe("readBodyBytes", () => {
  it("reads a body framed by its Content-Length whole", async () => {
    const bytes = await readBodyBytes(post('{"a":1}', { "content-length": "7" }), 100);
    expect(new TextDecoder().decode(bytes)).toBe('{"a":1}');
  });

  it("refuses a declared length past the limit before reading anything", async () => {
    const pulled = { count: 0 };
    const request = post(streamOf(["x".repeat(50)], pulled), { "content-length": "101" });
    await expect(readBodyBytes(request, 100)).rejects.toMatchObject({ status: 413 });
    // the stream fills its one-chunk queue by itself; nothing read it further
    expect(pulled.count).toBeLessThanOrEqual(1);
  });

  it("refuses a body past the limit whose Content-Length lies", async () => {
    const request = post("x".repeat(500), { "content-length": "10" });
    await expect(readBodyBytes(request, 100)).rejects.toMatchObject({ status: 413 });
  });

  it("cuts a body without a length at the limit instead of reading it all", async () => {
    const pulled = { count: 0 };
    const chunks = Array.from({ length: 100 }, () => "x".repeat(40));
    await expect(readBodyBytes(post(streamOf(chunks, pulled)), 100)).rejects.toMatchObject({
      status: 413,
    });
    expect(pulled.count).toBeLessThan(10);
  });
});
