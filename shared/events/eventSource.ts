import { AppError } from "../errors/index.ts";
import { asStoredEvents, eventPageSchema, isUnsupportedVersionIssue } from "./eventSchema.ts";
import type { StoredEvent } from "./types.ts";

/** One page of the primary's log, as `GET /v1/events?after=N&limit=M` serves it. */
export interface EventPage {
  /** in seq order, all after `after`, at most `limit` */
  events: StoredEvent[];
  /** the primary's highest committed seq when the page was read */
  head: number;
}

/** Where a store catches up or rebuilds from: the primary's log over HTTP, or memory in tests. */
export interface EventSource {
  pull(after: number, limit: number): Promise<EventPage>;
}

/**
 * The primary's log could not be read. A 503 where it surfaces in a request
 * (an ingest's gap fill), so QStash retries the push later.
 */
export class EventSourceError extends AppError {
  override readonly name = "EventSourceError";
  constructor(
    message: string,
    readonly httpStatus?: number,
  ) {
    super("unavailable", message);
  }
}

export interface HttpEventSourceOptions {
  /** the write API's base URL, e.g. http://127.0.0.1:8080 */
  url: string;
  /** the reader credential `/v1/events` accepts */
  readerToken: string;
  /** for tests: a Hono app's `request`, say */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** tries per page on network errors, 429 and 5xx */
  attempts?: number;
  /** first backoff; doubles per retry */
  backoffMs?: number;
  timeoutMs?: number;
}

const retryable = (status: number) => status === 429 || status >= 500;

const describeFailure = async (res: Response): Promise<string> => {
  const text = await res.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { error?: { message?: string } };
    if (body.error?.message) return body.error.message;
  } catch {
    // not JSON: show the text
  }
  return text.slice(0, 200) || res.statusText;
};

const checkPage = (
  events: StoredEvent[],
  head: number,
  after: number,
  limit: number,
): EventPage => {
  if (events.length > limit)
    throw new EventSourceError(`asked for ${limit} events, got ${events.length}`);
  let previous = after;
  for (const e of events) {
    if (e.seq <= previous) throw new EventSourceError(`events out of order at seq ${e.seq}`);
    previous = e.seq;
  }
  return { events, head };
};

/**
 * The primary's log over HTTP: `GET {url}/v1/events?after=N&limit=M` with the
 * reader credential. Validates every page; retries network errors, 429 and
 * 5xx with backoff; a refused credential fails at once.
 *
 * @example
 * const source = httpEventSource({ url: "http://127.0.0.1:8080", readerToken });
 * const { events, head } = await source.pull(0, 1000);
 */
export function httpEventSource(options: HttpEventSourceOptions): EventSource {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const attempts = options.attempts ?? 3;
  const pause = (attempt: number) =>
    new Promise((r) => setTimeout(r, (options.backoffMs ?? 100) * 2 ** (attempt - 1)));
  const base = options.url.replace(/\/+$/, "");
  return {
    async pull(after, limit) {
      const url = `${base}/v1/events?after=${after}&limit=${limit}`;
      for (let attempt = 1; ; attempt++) {
        let res: Response;
        try {
          res = await doFetch(url, {
            headers: { authorization: `Bearer ${options.readerToken}`, accept: "application/json" },
            signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
          });
        } catch (error) {
          if (attempt >= attempts)
            throw new EventSourceError(`cannot reach ${url}: ${String(error)}`);
          await pause(attempt);
          continue;
        }
        if (res.ok) {
          const parsed = eventPageSchema.safeParse(await res.json().catch(() => null));
          if (!parsed.success) {
            const tooNew = parsed.error.issues.find(isUnsupportedVersionIssue);
            throw new EventSourceError(
              tooNew
                ? `${url} serves an event this reader cannot read (upgrade the reader): ${tooNew.message}`
                : `${url} answered something that is not an event page`,
            );
          }
          return checkPage(asStoredEvents(parsed.data.events), parsed.data.head, after, limit);
        }
        if (!retryable(res.status) || attempt >= attempts) {
          const hint = res.status === 401 ? " (check the reader token)" : "";
          throw new EventSourceError(
            `${url} → ${res.status}: ${await describeFailure(res)}${hint}`,
            res.status,
          );
        }
        await pause(attempt);
      }
    },
  };
}

/**
 * A log held in memory, for tests and tools.
 *
 * @example
 * const source = memoryEventSource(events);
 * await source.pull(0, 2); // → { events: [e1, e2], head: n }
 */
export function memoryEventSource(events: readonly StoredEvent[]): EventSource {
  const sorted = [...events].sort((a, b) => a.seq - b.seq);
  const head = sorted.at(-1)?.seq ?? 0;
  return {
    async pull(after, limit) {
      const start = sorted.findIndex((e) => e.seq > after);
      return { events: start < 0 ? [] : sorted.slice(start, start + limit), head };
    },
  };
}
