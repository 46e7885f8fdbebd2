import type { Context } from "hono";
import { AppError, PayloadTooLargeError } from "../errors/index.ts";

export interface JsonBody {
  /** the exact bytes received, for hashing and signature checks */
  raw: Uint8Array<ArrayBuffer>;
  value: unknown;
}

/**
 * The request body's exact bytes: 413 past `limit`, whatever Content-Length
 * claims. A body framed by its Content-Length (no Transfer-Encoding) is all
 * the server hands over, so it is read whole: on Node, @hono/node-server then
 * reads it straight off the socket instead of through a web stream (about a
 * tenth of a write API's CPU per command). Any other body is counted as it
 * streams and cut at the limit.
 */
export const readBodyBytes = async (
  request: Request,
  limit: number,
): Promise<Uint8Array<ArrayBuffer>> => {
  const length = request.headers.get("content-length");
  const declared = Number(length ?? Number.NaN);
  if (declared > limit) throw new PayloadTooLargeError(limit);
  if (
    length !== null &&
    Number.isSafeInteger(declared) &&
    !request.headers.has("transfer-encoding")
  ) {
    const raw = new Uint8Array(await request.arrayBuffer());
    if (raw.byteLength > limit) throw new PayloadTooLargeError(limit);
    return raw;
  }
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    // A missing or lying Content-Length must not let a client stream past the limit.
    if (size > limit) {
      await reader.cancel();
      throw new PayloadTooLargeError(limit);
    }
    chunks.push(value);
  }
  const raw = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    raw.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return raw;
};

/**
 * Reads a JSON request body: 415 unless the content type is JSON, 413 past
 * `limit` bytes, 400 when it does not parse.
 *
 * @example
 * const { value, raw } = await readJsonBody(c, 1 << 20);
 */
export async function readJsonBody(c: Context, limit: number): Promise<JsonBody> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
    throw new AppError("unsupported_media_type", "send the body as application/json", {
      details: { contentType: type || null },
    });
  }
  const raw = await readBodyBytes(c.req.raw, limit);
  try {
    return { raw, value: JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(raw)) };
  } catch {
    throw new AppError("malformed_json", "the body is not valid UTF-8 JSON");
  }
}
