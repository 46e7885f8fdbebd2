import { signatureClaims, signClaims } from "../signing/signature.ts";
import type { StoredMessage } from "../state/types.ts";

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
  fetch: typeof fetch;
}

// Enough of a failing endpoint's answer to debug it from the DLQ, not a whole page.
const MAX_RESPONSE_BODY = 64 * 1024;

/**
 * The request QStash makes for one attempt: the stored body and headers plus
 * the headers its "Receiving messages" docs list (User-Agent, Upstash-Signature,
 * Upstash-Message-Id, Upstash-Retried, Upstash-Topic-Name, Upstash-Caller-Ip).
 * The JWT is signed per attempt, with `sub` set to this endpoint's URL.
 *
 * @example
 * const init = await deliveryRequest(message, keys.current, Date.now());
 */
export const deliveryRequest = async (
  message: StoredMessage,
  signingKey: string,
  now: number,
): Promise<RequestInit & { headers: Headers }> => {
  const headers = new Headers(message.header);
  headers.set("User-Agent", "Upstash-QStash");
  headers.set("Upstash-Message-Id", message.messageId);
  headers.set("Upstash-Retried", String(message.retried));
  if (message.topicName !== undefined) headers.set("Upstash-Topic-Name", message.topicName);
  if (message.callerIp !== undefined) headers.set("Upstash-Caller-Ip", message.callerIp);
  const claims = signatureClaims(message.url, message.body, now);
  headers.set("Upstash-Signature", await signClaims(claims, signingKey));
  const hasBody = message.method !== "GET" && message.method !== "HEAD";
  return { method: message.method, headers, ...(hasBody ? { body: message.body } : {}) };
};

const readHeaders = (response: Response): Record<string, string[]> => {
  const out: Record<string, string[]> = {};
  response.headers.forEach((value, name) => {
    out[name] = [...(out[name] ?? []), value];
  });
  return out;
};

/**
 * Makes one attempt. A 2xx answer is a delivery; anything else, a network
 * error or the message's timeout is a failed attempt (the caller retries).
 *
 * @example
 * const result = await sendDelivery(message, { signingKey, now: Date.now(), signal, fetch });
 */
export const sendDelivery = async (
  message: StoredMessage,
  options: SendOptions,
): Promise<AttemptResult> => {
  const init = await deliveryRequest(message, options.signingKey, options.now);
  const signal = AbortSignal.any([options.signal, AbortSignal.timeout(message.timeoutMs)]);
  try {
    const response = await options.fetch(message.url, { ...init, signal, redirect: "manual" });
    if (response.status >= 200 && response.status < 300) {
      await response.body?.cancel();
      return { ok: true, status: response.status };
    }
    const text = await response.text();
    return {
      ok: false,
      status: response.status,
      header: readHeaders(response),
      body: text.slice(0, MAX_RESPONSE_BODY),
      error: `endpoint answered ${response.status}`,
    };
  } catch (error) {
    const cause = error instanceof Error ? (error.cause ?? error) : error;
    return { ok: false, error: `request failed: ${String(cause)}` };
  }
};
