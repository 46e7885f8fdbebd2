import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import { QStashHttpError } from "./errors.ts";

/**
 * The raw request body, refused with 413 past `maxBytes`.
 *
 * @example
 * const bytes = await readBytes(c, core.maxBodyBytes);
 */
export const readBytes = async (c: Context, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> => {
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.byteLength > maxBytes) {
    throw new QStashHttpError(413, `message body is larger than ${maxBytes} bytes`);
  }
  return bytes;
};

/**
 * The request body parsed as JSON, or a 400.
 *
 * @example
 * const payload = await readJson(c);
 */
export const readJson = async (c: Context): Promise<unknown> => {
  try {
    return await c.req.json();
  } catch {
    throw new QStashHttpError(400, "request body is not valid JSON");
  }
};

/**
 * The publisher's address, for `Upstash-Caller-Ip`; absent outside a real
 * Node server (e.g. `app.request` in tests).
 *
 * @example
 * const callerIp = callerIpOf(c);
 */
export const callerIpOf = (c: Context): string | undefined => {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
};
