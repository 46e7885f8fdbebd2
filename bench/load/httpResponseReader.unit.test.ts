import { describe, expect, it } from "vitest";
import { HttpFramingError, HttpResponseReader } from "./httpResponseReader.ts";

const sized =
  'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nContent-Length: 11\r\n\r\n{"ok":true}';
const chunked =
  "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nabcd\r\n0\r\n\r\n";
const trailers =
  "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nx-sum: 1\r\n\r\n";
const closing =
  "HTTP/1.1 500 Internal Server Error\r\nconnection: close\r\ncontent-length: 2\r\n\r\nno";

/** Feeds `bytes` split at every position in turn; answers each split's ends in order. */
function everySplit(bytes: string) {
  const all = Buffer.from(bytes);
  return Array.from({ length: all.length - 1 }, (_, at) => {
    const reader = new HttpResponseReader();
    return [reader.push(all.subarray(0, at + 1)), reader.push(all.subarray(at + 1))];
  });
}

describe("HttpResponseReader", () => {
  it("ends a response at its content-length, however the bytes arrive", () => {
    for (const [first, second] of everySplit(sized)) {
      expect(first).toBeNull();
      expect(second).toEqual({ status: 200, keepAlive: true });
    }
  });

  it("ends a chunked response after its last chunk and trailers, however the bytes arrive", () => {
    for (const bytes of [chunked, trailers]) {
      for (const [first, second] of everySplit(bytes)) {
        expect(first).toBeNull();
        expect(second?.keepAlive).toBe(true);
      }
    }
    expect(new HttpResponseReader().push(Buffer.from(chunked))?.status).toBe(404);
  });

  it("says the connection closes on connection: close and on HTTP/1.0 without keep-alive", () => {
    expect(new HttpResponseReader().push(Buffer.from(closing))).toEqual({
      status: 500,
      keepAlive: false,
    });
    const old = "HTTP/1.0 200 OK\r\ncontent-length: 0\r\n\r\n";
    expect(new HttpResponseReader().push(Buffer.from(old))?.keepAlive).toBe(false);
    const kept = "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\ncontent-length: 0\r\n\r\n";
    expect(new HttpResponseReader().push(Buffer.from(kept))?.keepAlive).toBe(true);
  });

  it("keeps the bytes after a response for the next one", () => {
    const reader = new HttpResponseReader();
    const both = Buffer.from(sized + chunked);
    expect(reader.push(both)?.status).toBe(200);
    expect(reader.push(Buffer.alloc(0))?.status).toBe(404);
  });

  it("ends a 204 at its head, and a body without length at the close (and not before)", () => {
    expect(new HttpResponseReader().push(Buffer.from("HTTP/1.1 204 No Content\r\n\r\n"))).toEqual({
      status: 204,
      keepAlive: true,
    });
    const reader = new HttpResponseReader();
    expect(reader.push(Buffer.from("HTTP/1.1 200 OK\r\n\r\nsome bytes"))).toBeNull();
    expect(reader.closed()).toEqual({ status: 200, keepAlive: false });
  });

  it("says a response cut short by the close is no response", () => {
    const reader = new HttpResponseReader();
    expect(reader.push(Buffer.from(sized.slice(0, -3)))).toBeNull();
    expect(reader.closed()).toBeNull();
    expect(new HttpResponseReader().closed()).toBeNull();
  });

  it("refuses what is not HTTP/1.x framing", () => {
    expect(() => new HttpResponseReader().push(Buffer.from("SSH-2.0-x\r\n\r\n"))).toThrow(
      HttpFramingError,
    );
    const badLength = "HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\n";
    expect(() => new HttpResponseReader().push(Buffer.from(badLength))).toThrow(/content-length/);
    const badChunk = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n";
    expect(() => new HttpResponseReader().push(Buffer.from(badChunk))).toThrow(/chunk size/);
  });
});
