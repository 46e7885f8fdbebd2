import { AppError } from "../errors/index.ts";
import { asStoredEvents, eventPageSchema } from "./eventSchema.ts";
import type { StoredEvent } from "./types.ts";

export interface EventPage {
  events: StoredEvent[];
  /** the primary's highest committed seq when the page was read */
  head: number;
}

/** Where a store catches up from: the primary's log, in seq order. */
export interface EventSource {
  pull(after: number, limit: number): Promise<EventPage>;
}

/**
 * The write API's `GET /v1/events`, with the reader credential.
 *
 * @example
 * const source = httpEventSource({ url: "http://127.0.0.1:8080", readerToken });
 * const { events, head } = await source.pull(0, 1000);
 */
export function httpEventSource(options: {
  url: string;
  readerToken: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}): EventSource {
  const send = options.fetch ?? fetch;
  return {
    async pull(after, limit) {
      const url = `${options.url.replace(/\/$/, "")}/v1/events?after=${after}&limit=${limit}`;
      let res: Response;
      try {
        res = await send(url, {
          headers: { authorization: `Bearer ${options.readerToken}` },
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
      } catch (e) {
        throw new AppError(
          "unavailable",
          `the primary's log is unreachable: ${(e as Error).message}`,
          { cause: e },
        );
      }
      if (!res.ok) {
        throw new AppError("unavailable", `the primary's log answered ${res.status}`, {
          details: { status: res.status, body: (await res.text()).slice(0, 200) },
        });
      }
      const parsed = eventPageSchema.safeParse(await res.json());
      if (!parsed.success)
        throw new AppError("unavailable", "the primary's log answered an unexpected shape");
      return { events: asStoredEvents(parsed.data.events), head: parsed.data.head };
    },
  };
}
