import { Receiver } from "@upstash/qstash";
import type { PushVerifier } from "./ingestRoute.ts";

/**
 * Verifies pushes with the official QStash Receiver: HS256 with the current or
 * the next signing key, issuer, expiry, the body hash, and always the subject,
 * which the Receiver checks only when given `url`, so a message signed for
 * another reader is refused here. `devMode: false` keeps a stray QSTASH_DEV
 * in the environment from swapping in the SDK's well-known dev keys.
 *
 * @example
 * const verify = qstashVerifier({ current, next }, "https://eu.example.com/v1/ingest");
 * await verify(req.headers.get("upstash-signature"), rawBodyText); // → true | false
 */
export function qstashVerifier(
  keys: { current: string; next: string },
  ingestUrl: string,
): PushVerifier {
  const receiver = new Receiver({
    currentSigningKey: keys.current,
    nextSigningKey: keys.next,
    devMode: false,
  });
  return async (signature, body) => {
    try {
      return await receiver.verify({ signature, body, url: ingestUrl });
    } catch {
      return false;
    }
  };
}
