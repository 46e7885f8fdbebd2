const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * How QStash shows a stored body: `body` when it is UTF-8 text, otherwise
 * `bodyBase64` (its Message type documents exactly this split).
 *
 * @example
 * encodeBody(new TextEncoder().encode("hi")); // { body: "hi" }
 */
export const encodeBody = (bytes: Uint8Array): { body: string } | { bodyBase64: string } => {
  try {
    return { body: strictUtf8.decode(bytes) };
  } catch {
    return { bodyBase64: Buffer.from(bytes).toString("base64") };
  }
};
