import type { RespReply } from "../protocol/reply.ts";

/**
 * Maps what ioredis' `callBuffer` returns, with `protocol: 2` and
 * `stringNumbers: true`, to a typed reply: bulk and status strings arrive as
 * Buffers, integers as decimal strings (never rounded JS numbers), nil as null,
 * errors inside arrays (EXEC, Lua tables) as Error instances.
 *
 * @example
 * ```ts
 * toReply([Buffer.from("a"), "12", null]);
 * // { type: "array", items: [string "a", integer "12", nil] }
 * ```
 */
export const toReply = (value: unknown): RespReply => {
  if (value === null || value === undefined) return { type: "nil" };
  if (Buffer.isBuffer(value)) return { type: "string", bytes: value };
  if (typeof value === "string") {
    return /^-?\d+$/.test(value)
      ? { type: "integer", digits: value }
      : { type: "string", bytes: Buffer.from(value, "utf8") };
  }
  if (typeof value === "number" || typeof value === "bigint") {
    return { type: "integer", digits: value.toString() };
  }
  if (value instanceof Error) return { type: "error", message: value.message };
  if (Array.isArray(value)) return { type: "array", items: value.map(toReply) };
  throw new TypeError(`unexpected reply from ioredis: ${Object.prototype.toString.call(value)}`);
};
