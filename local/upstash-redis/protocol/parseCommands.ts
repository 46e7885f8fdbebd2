import type { CommandArgs } from "./reply.ts";
import { RestProtocolError } from "./restError.ts";

// @upstash/redis sends strings, numbers and booleans as they are and
// JSON-stringifies everything else (pkg/commands/command.ts defaultSerializer).
const toArg = (value: unknown, position: number): Buffer => {
  if (typeof value === "string") return Buffer.from(value, "utf8");
  if (typeof value === "number" && Number.isFinite(value)) return Buffer.from(String(value));
  if (typeof value === "boolean") return Buffer.from(String(value));
  throw new RestProtocolError(
    400,
    `ERR invalid argument at position ${position}: expected a string, number or boolean`,
  );
};

/**
 * Parses a request body as JSON; malformed JSON is a 400, as on Upstash.
 *
 * @example
 * ```ts
 * parseJsonBody(new TextEncoder().encode('["GET","k"]')); // ["GET", "k"]
 * ```
 */
export const parseJsonBody = (bytes: Uint8Array): unknown => {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new RestProtocolError(400, "ERR failed to parse the request body as JSON");
  }
};

/**
 * Turns the body of `POST /` (`["SET", "k", "v", "EX", 100]`) into command bytes.
 *
 * @example
 * ```ts
 * commandFromJson(["INCRBY", "n", 5]).map(String); // ["INCRBY", "n", "5"]
 * ```
 */
export const commandFromJson = (value: unknown): CommandArgs => {
  if (!Array.isArray(value) || value.length === 0) {
    throw new RestProtocolError(400, "ERR command must be a non-empty JSON array");
  }
  if (typeof value[0] !== "string" || value[0] === "") {
    throw new RestProtocolError(400, "ERR command name must be a non-empty string");
  }
  return value.map(toArg);
};

/**
 * Turns the body of `/pipeline` or `/multi-exec` (an array of commands) into command bytes.
 *
 * @example
 * ```ts
 * commandsFromJson([["SET", "k", "v"], ["GET", "k"]]).length; // 2
 * ```
 */
export const commandsFromJson = (value: unknown): CommandArgs[] => {
  if (!Array.isArray(value) || value.length === 0) {
    throw new RestProtocolError(400, "ERR body must be a non-empty JSON array of commands");
  }
  return value.map(commandFromJson);
};
