import { QStashHttpError } from "../http/errors.ts";
import type { FlowControlValue } from "../state/types.ts";
import { parseDurationMs } from "./duration.ts";
import { compileRetryDelay } from "./retryDelay.ts";

const FORWARD_PREFIX = "upstash-forward-";
const METHODS = new Set(["GET", "POST", "PUT", "DELETE", "PATCH"]);
// Accepted by QStash but not modelled here; refusing them beats silently doing nothing.
const UNSUPPORTED = ["upstash-callback", "upstash-failure-callback", "upstash-cron"];

/** Everything a publish's `Upstash-*` headers and body say about the messages to make. */
export interface PublishSpec {
  method: string;
  /** Delivered headers: Content-Type and each `Upstash-Forward-X` as `X`. */
  header: Record<string, string>;
  body: Uint8Array<ArrayBuffer>;
  notBefore: number;
  retries: number;
  retryDelayExpression?: string;
  deduplicationId?: string;
  contentBasedDeduplication: boolean;
  timeoutMs: number;
  labels: string[];
  flowControlKey?: string;
  flowControl?: FlowControlValue;
}

export interface PublishDefaults {
  retries: number;
  timeoutMs: number;
}

const bad = (message: string) => new QStashHttpError(400, message);

const readRetries = (value: string | null, fallback: number): number => {
  if (value === null) return fallback;
  if (!/^\d+$/.test(value.trim())) throw bad(`invalid Upstash-Retries: ${value}`);
  return Number(value);
};

const readNotBefore = (headers: Headers, now: number): number => {
  const notBefore = headers.get("upstash-not-before");
  if (notBefore !== null) {
    // Unix seconds; it overrides Upstash-Delay, as QStash documents.
    if (!/^\d+$/.test(notBefore.trim())) throw bad(`invalid Upstash-Not-Before: ${notBefore}`);
    return Number(notBefore) * 1_000;
  }
  const delay = headers.get("upstash-delay");
  if (delay === null) return now;
  const ms = parseDurationMs(delay);
  if (ms === undefined) throw bad(`invalid Upstash-Delay: ${delay}`);
  return now + ms;
};

const readDeduplicationId = (headers: Headers): string | undefined => {
  const id = headers.get("upstash-deduplication-id") ?? undefined;
  // QStash (us-east-1) refuses this with exactly this message; failing here
  // catches an id scheme that would only break in production.
  if (id?.includes(":")) throw bad("DeduplicationId cannot contain ':'");
  return id;
};

const readRetryDelay = (headers: Headers): string | undefined => {
  const expression = headers.get("upstash-retry-delay") ?? undefined;
  if (expression === undefined) return undefined;
  try {
    compileRetryDelay(expression);
  } catch (error) {
    throw bad(`invalid Upstash-Retry-Delay: ${(error as Error).message}`);
  }
  return expression;
};

/**
 * Reads a publish request's headers the way QStash does. Throws a 400
 * `QStashHttpError` for a malformed or unsupported header.
 *
 * @example
 * parsePublishSpec(c.req.raw.headers, bytes, Date.now(), { retries: 3, timeoutMs: 30_000 });
 */
export const parsePublishSpec = (
  headers: Headers,
  body: Uint8Array<ArrayBuffer>,
  now: number,
  defaults: PublishDefaults,
): PublishSpec => {
  for (const name of UNSUPPORTED) {
    if (headers.has(name)) throw bad(`${name} is not supported by the local QStash server`);
  }
  const method = (headers.get("upstash-method") ?? "POST").toUpperCase();
  if (!METHODS.has(method)) throw bad(`invalid Upstash-Method: ${method}`);

  const header: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (name === "content-type") header[name] = value;
    else if (name.startsWith(FORWARD_PREFIX)) header[name.slice(FORWARD_PREFIX.length)] = value;
  });

  const timeout = headers.get("upstash-timeout");
  const timeoutMs = timeout === null ? defaults.timeoutMs : parseDurationMs(timeout);
  if (timeoutMs === undefined || timeoutMs <= 0) throw bad(`invalid Upstash-Timeout: ${timeout}`);

  const labels = (headers.get("upstash-label") ?? "")
    .split(",")
    .map((label) => label.trim())
    .filter((label) => label.length > 0);
  const flowControlKey = headers.get("upstash-flow-control-key") ?? undefined;
  const flowControl = readFlowControl(headers.get("upstash-flow-control-value"));
  if (flowControl && flowControlKey === undefined) {
    throw bad("Upstash-Flow-Control-Value needs an Upstash-Flow-Control-Key");
  }
  const retryDelayExpression = readRetryDelay(headers);
  const deduplicationId = readDeduplicationId(headers);

  return {
    method,
    header,
    body,
    notBefore: readNotBefore(headers, now),
    retries: readRetries(headers.get("upstash-retries"), defaults.retries),
    contentBasedDeduplication: headers.get("upstash-content-based-deduplication") === "true",
    timeoutMs,
    labels,
    ...(retryDelayExpression === undefined ? {} : { retryDelayExpression }),
    ...(deduplicationId === undefined ? {} : { deduplicationId }),
    ...(flowControlKey === undefined ? {} : { flowControlKey }),
    ...(flowControl === undefined ? {} : { flowControl }),
  };
};

/**
 * `parallelism=2, rate=10, period=1m`, as the SDK writes `flowControl`: each
 * part optional, at least one, `period` a duration (seconds when bare).
 */
function readFlowControl(value: string | null): FlowControlValue | undefined {
  if (value === null) return undefined;
  const out: FlowControlValue = {};
  for (const part of value.split(",")) {
    const [name, raw, ...rest] = part.trim().split("=");
    const text = raw?.trim() ?? "";
    if (rest.length > 0 || !name) throw bad(`invalid Upstash-Flow-Control-Value: ${value}`);
    if (name === "parallelism" || name === "rate") {
      if (!/^\d+$/.test(text) || Number(text) < 1) {
        throw bad(`invalid Upstash-Flow-Control-Value: ${name} must be a positive integer`);
      }
      out[name] = Number(text);
    } else if (name === "period") {
      const ms = parseDurationMs(/^\d+$/.test(text) ? `${text}s` : text);
      if (ms === undefined || ms < 1_000) {
        throw bad(`invalid Upstash-Flow-Control-Value: period must be a duration of 1s or more`);
      }
      out.period = Math.round(ms / 1_000);
    } else {
      throw bad(`invalid Upstash-Flow-Control-Value: unknown part ${name}`);
    }
  }
  if (out.parallelism === undefined && out.rate === undefined) {
    throw bad("invalid Upstash-Flow-Control-Value: give parallelism or rate");
  }
  return out;
}
