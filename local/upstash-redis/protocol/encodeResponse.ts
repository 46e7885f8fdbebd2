import type { RespReply, TransactionOutcome } from "./reply.ts";

/** `base64` when the request carried `Upstash-Encoding: base64`, else UTF-8 text. */
export type ResponseEncoding = "base64" | "utf8";

/** A ready-to-send JSON response: status and body text. */
export interface EncodedResponse {
  readonly status: 200 | 400;
  readonly body: string;
}

const isOk = (bytes: Uint8Array): boolean =>
  bytes.length === 2 && bytes[0] === 0x4f && bytes[1] === 0x4b;

const encodeString = (bytes: Uint8Array, encoding: ResponseEncoding): string => {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Upstash docs: with base64 "all strings in the response will be base64
  // encoded, except for the OK response"; @upstash/redis relies on that.
  if (encoding === "base64")
    return isOk(buffer) ? '"OK"' : JSON.stringify(buffer.toString("base64"));
  // Without base64, invalid UTF-8 becomes U+FFFD, which is what Upstash documents too.
  return JSON.stringify(buffer.toString("utf8"));
};

/**
 * Renders a reply as the JSON text of a `result` value. Integers are written
 * with Redis' own digits rather than through a JS number, so nothing is
 * rounded on this side; nil is `null`; arrays nest.
 *
 * @example
 * ```ts
 * encodeResult({ type: "integer", digits: "9007199254740993" }, "base64"); // '9007199254740993'
 * ```
 */
export const encodeResult = (reply: RespReply, encoding: ResponseEncoding): string => {
  switch (reply.type) {
    case "nil":
      return "null";
    case "integer":
      return reply.digits;
    case "string":
      return encodeString(reply.bytes, encoding);
    // An error nested in an array (a Lua table, say) has no JSON slot of its own.
    case "error":
      return encodeString(Buffer.from(reply.message, "utf8"), encoding);
    case "array":
      return `[${reply.items.map((item) => encodeResult(item, encoding)).join(",")}]`;
  }
};

/**
 * The body Upstash sends for an error: `{"error":"ERR …"}`. Errors are never base64.
 *
 * @example
 * ```ts
 * errorBody("Unauthorized"); // '{"error":"Unauthorized"}'
 * ```
 */
export const errorBody = (message: string): string => JSON.stringify({ error: message });

const itemBody = (reply: RespReply, encoding: ResponseEncoding): string =>
  reply.type === "error" ? errorBody(reply.message) : `{"result":${encodeResult(reply, encoding)}}`;

/**
 * Response to a single command: `{"result": …}` with 200, or `{"error": …}` with 400.
 *
 * @example
 * ```ts
 * singleResponse({ type: "nil" }, "utf8"); // { status: 200, body: '{"result":null}' }
 * ```
 */
export const singleResponse = (reply: RespReply, encoding: ResponseEncoding): EncodedResponse => ({
  status: reply.type === "error" ? 400 : 200,
  body: itemBody(reply, encoding),
});

/**
 * Response to `/pipeline`: always 200, one `{result}` or `{error}` per command.
 *
 * @example
 * ```ts
 * pipelineResponse([{ type: "integer", digits: "1" }], "utf8").body; // '[{"result":1}]'
 * ```
 */
export const pipelineResponse = (
  replies: readonly RespReply[],
  encoding: ResponseEncoding,
): EncodedResponse => ({
  status: 200,
  body: `[${replies.map((reply) => itemBody(reply, encoding)).join(",")}]`,
});

/**
 * Response to `/multi-exec`: like a pipeline when the transaction ran, a single
 * `{"error"}` with 400 when Redis discarded it as a whole.
 *
 * @example
 * ```ts
 * transactionResponse({ kind: "discarded", message: "EXECABORT …" }, "utf8").status; // 400
 * ```
 */
export const transactionResponse = (
  outcome: TransactionOutcome,
  encoding: ResponseEncoding,
): EncodedResponse =>
  outcome.kind === "discarded"
    ? { status: 400, body: errorBody(outcome.message) }
    : pipelineResponse(outcome.replies, encoding);
