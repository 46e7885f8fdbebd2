import { signatureClaims, signClaims } from "../signing/signature.ts";
import type { StoredMessage } from "../state/types.ts";
import type { EndpointRequest, SendToEndpoint } from "./endpointSender.ts";

/** What one HTTP attempt against an endpoint came to. */
export type AttemptResult =
  | { ok: true; status: number }
  | {
      ok: false;
      status?: number;
      header?: Record<string, string[]>;
      body?: string;
      error: string;
    };

export interface SendOptions {
  signingKey: string;
  now: number;
  signal: AbortSignal;
  send: SendToEndpoint;
}

/**
 * The request QStash makes for one attempt: the stored body and headers plus
 * the headers its "Receiving messages" docs list (User-Agent, Upstash-Signature,
 * Upstash-Message-Id, Upstash-Retried, Upstash-Topic-Name, Upstash-Caller-Ip).
 * The JWT is signed per attempt, with `sub` set to this endpoint's URL.
 *
 * @example
 * const init = deliveryRequest(message, keys.current, Date.now());
 */
export const deliveryRequest = (
  message: StoredMessage,
  signingKey: string,
  now: number,
): Omit<EndpointRequest, "signal"> => {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.header)) headers[name.toLowerCase()] = value;
  headers["user-agent"] = "Upstash-QStash";
  headers["upstash-message-id"] = message.messageId;
  headers["upstash-retried"] = String(message.retried);
  if (message.topicName !== undefined) headers["upstash-topic-name"] = message.topicName;
  if (message.callerIp !== undefined) headers["upstash-caller-ip"] = message.callerIp;
  headers["upstash-signature"] = signClaims(
    signatureClaims(message.url, message.body, now),
    signingKey,
  );
  const hasBody = message.method !== "GET" && message.method !== "HEAD";
  return { method: message.method, headers, ...(hasBody ? { body: message.body } : {}) };
};

// the longest a Node timer counts; a longer one fires after 1 ms
const maxTimerMs = 2 ** 31 - 1;

/**
 * The attempt's own signal: aborted when the engine's is or once the
 * message's timeout passes; `release` lets go of both. Cheaper than
 * `AbortSignal.any` with `AbortSignal.timeout` (about 2 µs against 23), and on
 * Node 20 `any` leaves an entry on the engine's long-lived signal per attempt.
 */
const attemptSignal = (engine: AbortSignal, timeoutMs: number) => {
  const attempt = new AbortController();
  const onAbort = () => attempt.abort(engine.reason);
  if (engine.aborted) onAbort();
  else engine.addEventListener("abort", onAbort, { once: true });
  const timer = setTimeout(
    () => attempt.abort(new DOMException("The operation timed out.", "TimeoutError")),
    // a timer past 2^31-1 ms fires at once; an Upstash-Timeout of 30d means no sooner than that
    Math.min(timeoutMs, maxTimerMs),
  );
  return {
    signal: attempt.signal,
    release: () => {
      clearTimeout(timer);
      engine.removeEventListener("abort", onAbort);
    },
  };
};

/**
 * Makes one attempt. A 2xx answer is a delivery; anything else, a network
 * error or the message's timeout is a failed attempt (the caller retries).
 *
 * @example
 * const result = await sendDelivery(message, { signingKey, now: Date.now(), signal, send });
 */
export const sendDelivery = async (
  message: StoredMessage,
  options: SendOptions,
): Promise<AttemptResult> => {
  const request = deliveryRequest(message, options.signingKey, options.now);
  const { signal, release } = attemptSignal(options.signal, message.timeoutMs);
  try {
    const answer = await options.send(message.url, { ...request, signal });
    if (answer.status >= 200 && answer.status < 300) return { ok: true, status: answer.status };
    return {
      ok: false,
      status: answer.status,
      header: answer.header,
      body: answer.body,
      error: `endpoint answered ${answer.status}`,
    };
  } catch (error) {
    const cause = error instanceof Error ? (error.cause ?? error) : error;
    return { ok: false, error: `request failed: ${String(cause)}` };
  } finally {
    release();
  }
};
