/** One HTTP/1.1 response as the load generator needs it: its status, and whether the connection stays open. */
export interface HttpResponseEnd {
  status: number;
  keepAlive: boolean;
}

/** A response the reader cannot follow (it is not HTTP/1.x, or its framing is broken). */
export class HttpFramingError extends Error {
  override readonly name = "HttpFramingError";
}

const headEnd = Buffer.from("\r\n\r\n");
const lineEnd = Buffer.from("\r\n");

interface Head {
  status: number;
  keepAlive: boolean;
  /** bytes of body after the head; "chunked", or "close" for a body that ends with the connection */
  body: number | "chunked" | "close";
  /** where the body starts in the buffer */
  start: number;
}

function parseHead(buffer: Buffer): Head | null {
  const end = buffer.indexOf(headEnd);
  if (end === -1) return null;
  const lines = buffer.toString("latin1", 0, end).split("\r\n");
  const statusLine = /^HTTP\/1\.([01]) (\d{3})/.exec(lines[0] ?? "");
  if (!statusLine) throw new HttpFramingError(`not an HTTP/1.x status line: ${lines[0]}`);
  const status = Number(statusLine[2]);
  let keepAlive = statusLine[1] === "1";
  let length: number | null = null;
  let chunked = false;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const colon = line.indexOf(":");
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line
      .slice(colon + 1)
      .trim()
      .toLowerCase();
    if (name === "content-length") length = Number(value);
    else if (name === "transfer-encoding")
      chunked = value.split(",").some((v) => v.trim() === "chunked");
    else if (name === "connection")
      keepAlive = value.includes("keep-alive") || (keepAlive && !value.includes("close"));
  }
  const bodiless = status === 204 || status === 304 || (status >= 100 && status < 200);
  let body: Head["body"];
  if (bodiless) body = 0;
  else if (chunked) body = "chunked";
  else if (length !== null) {
    if (!Number.isSafeInteger(length) || length < 0)
      throw new HttpFramingError(`bad content-length`);
    body = length;
  } else body = "close";
  return { status, keepAlive: keepAlive && body !== "close", body, start: end + headEnd.length };
}

/** Where a chunked body ends (the byte after its last CRLF), or null while more bytes are needed. */
function chunkedEnd(buffer: Buffer, from: number): number | null {
  let at = from;
  for (;;) {
    const sizeEnd = buffer.indexOf(lineEnd, at);
    if (sizeEnd === -1) return null;
    const size = Number.parseInt(
      buffer.toString("latin1", at, sizeEnd).split(";")[0] as string,
      16,
    );
    if (Number.isNaN(size)) throw new HttpFramingError("bad chunk size");
    if (size === 0) {
      // trailers, then an empty line
      const trailersEnd = buffer.indexOf(lineEnd, sizeEnd + 2);
      if (trailersEnd === -1) return null;
      if (trailersEnd === sizeEnd + 2) return trailersEnd + 2;
      const end = buffer.indexOf(headEnd, sizeEnd);
      return end === -1 ? null : end + headEnd.length;
    }
    at = sizeEnd + 2 + size + 2;
    if (at > buffer.length) return null;
  }
}

/**
 * Follows one connection's responses as their bytes arrive, one request at a
 * time: `push` a chunk, and it says when the response in flight has ended.
 * Only framing is read (status, content-length or chunked, keep-alive); the
 * body's bytes are skipped, never decoded.
 *
 * @example
 * const reader = new HttpResponseReader();
 * socket.on("data", (chunk) => { const end = reader.push(chunk); if (end) done(end); });
 */
export class HttpResponseReader {
  private buffer: Buffer = Buffer.alloc(0);
  private head: Head | null = null;

  /** Adds bytes; answers the response they complete, if any (the bytes after it are kept for the next). */
  push(chunk: Buffer): HttpResponseEnd | null {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    this.head ??= parseHead(this.buffer);
    const head = this.head;
    if (!head || head.body === "close") return null;
    const end =
      head.body === "chunked" ? chunkedEnd(this.buffer, head.start) : head.start + head.body;
    if (end === null || end > this.buffer.length) return null;
    this.buffer = this.buffer.subarray(end);
    this.head = null;
    return { status: head.status, keepAlive: head.keepAlive };
  }

  /** The connection closed: answers a response whose body ran to the close, else null (it was cut short). */
  closed(): HttpResponseEnd | null {
    const head = this.head ?? (this.buffer.length > 0 ? parseHead(this.buffer) : null);
    this.buffer = Buffer.alloc(0);
    this.head = null;
    return head?.body === "close" ? { status: head.status, keepAlive: false } : null;
  }
}
