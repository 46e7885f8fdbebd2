import { z } from "zod";
import { eventTypes, type StoredEvent } from "../../shared/events/types.ts";
import type { EventPage, EventSource } from "./eventSource.ts";

export interface HttpEventSourceOptions {
  /** the write API's base URL, e.g. http://127.0.0.1:8080 */
  source: string;
  /** the reader token the write API's `/v1/events` accepts */
  token: string;
  /** for tests: a Hono app's `request`, say */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** tries per page on network errors, 429 and 5xx */
  attempts?: number;
  /** first backoff; doubles per retry */
  backoffMs?: number;
}

const pageSchema = z.object({
  events: z.array(
    z.object({
      seq: z.number().int().positive(),
      type: z.enum(eventTypes as [string, ...string[]]),
      aggregateId: z.string(),
      data: z.record(z.string(), z.unknown()),
      at: z.string(),
    }),
  ),
  head: z.number().int().nonnegative(),
});

/** A failure talking to the primary, with what it answered. */
export class EventSourceError extends Error {
  override readonly name = "EventSourceError";
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

const retryable = (status: number) => status === 429 || status >= 500;

async function describeFailure(res: Response): Promise<string> {
  const text = await res.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { error?: { message?: string } };
    if (body.error?.message) return body.error.message;
  } catch {}
  return text.slice(0, 200) || res.statusText;
}

function checkPage(page: z.infer<typeof pageSchema>, after: number, limit: number): EventPage {
  const events = page.events as unknown as StoredEvent[];
  if (events.length > limit)
    throw new EventSourceError(`asked for ${limit} events, got ${events.length}`);
  events.forEach((e, i) => {
    const previous = i === 0 ? after : (events[i - 1]?.seq ?? after);
    if (e.seq <= previous) throw new EventSourceError(`events out of order at seq ${e.seq}`);
  });
  return { events, head: page.head };
}

/**
 * The primary's log over HTTP: `GET {source}/v1/events?after=N&limit=M` with
 * `Authorization: Bearer <reader token>`. Validates every page; retries
 * network errors, 429 and 5xx with backoff; a refused token fails at once.
 *
 * @example
 * const source = createHttpEventSource({ source: "http://127.0.0.1:8080", token });
 * const { events, head } = await source.pull(0, 1000);
 */
export function createHttpEventSource(options: HttpEventSourceOptions): EventSource {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const attempts = options.attempts ?? 4;
  const pause = (attempt: number) =>
    new Promise((r) => setTimeout(r, (options.backoffMs ?? 100) * 2 ** (attempt - 1)));
  const base = options.source.replace(/\/+$/, "");
  return {
    async pull(after, limit) {
      const url = `${base}/v1/events?after=${after}&limit=${limit}`;
      for (let attempt = 1; ; attempt++) {
        let res: Response;
        try {
          res = await doFetch(url, {
            headers: { authorization: `Bearer ${options.token}`, accept: "application/json" },
            signal: AbortSignal.timeout(30_000),
          });
        } catch (error) {
          if (attempt >= attempts)
            throw new EventSourceError(`cannot reach ${url}: ${String(error)}`);
          await pause(attempt);
          continue;
        }
        if (res.ok) {
          const parsed = pageSchema.safeParse(await res.json().catch(() => null));
          if (!parsed.success)
            throw new EventSourceError(`${url} answered something that is not an event page`);
          return checkPage(parsed.data, after, limit);
        }
        if (!retryable(res.status) || attempt >= attempts) {
          const hint = res.status === 401 ? " (check --reader-token or READER_TOKEN)" : "";
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
