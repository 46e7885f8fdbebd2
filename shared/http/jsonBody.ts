import type { Context } from "hono";
import { AppError, PayloadTooLargeError } from "../errors/index.ts";

export interface JsonBody {
  /** the exact bytes received, for hashing and signature checks */
  raw: Uint8Array<ArrayBuffer>;
  value: unknown;
}

/** The request body's exact bytes: 413 past `limit`, whatever Content-Length claims. */
export const readBodyBytes = async (
  request: Request,
  limit: number,
): Promise<Uint8Array<ArrayBuffer>> => {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > limit) throw new PayloadTooLargeError(limit);
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
