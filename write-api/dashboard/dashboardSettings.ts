import type { envReader } from "../../shared/config/envReader.ts";
import type { QStashAccess } from "./deadLetters.ts";

export interface DashboardSettings {
  /** each reader's `GET /v1/status` URL, fetched server-side on every refresh */
  readerStatusUrls: string[];
  /** per-reader (and dead-letter queue) fetch timeout */
  timeoutMs: number;
  /** how often an open page refreshes */
  refreshMs: number;
  /** where the dead-letter queue is read; null when QStash is not configured */
  qstash: QStashAccess | null;
}

const list = (value: string) =>
  value
    .split(",")
    .map((u) => u.trim())
    .filter(Boolean);

/**
 * A reader's status URL from its ingest URL: the same reader, `/v1/status`
 * instead of `/v1/ingest` (any path prefix kept).
 *
 * @example
 * statusUrlFromIngest("https://eu.example.com/v1/ingest"); // → "https://eu.example.com/v1/status"
 */
export const statusUrlFromIngest = (ingestUrl: string): string =>
  /\/v1\/ingest\/?$/.test(ingestUrl)
    ? ingestUrl.replace(/\/v1\/ingest\/?$/, "/v1/status")
    : `${new URL(ingestUrl).origin}/v1/status`;

/**
 * The dashboard's variables: `READER_STATUS_URLS` (default: derived from
 * `READER_INGEST_URLS`), `READER_STATUS_TIMEOUT_MS`, `DASHBOARD_REFRESH_MS`.
 *
 * @example
 * const dashboard = readDashboardSettings(envReader(process.env), { baseUrl, token });
 */
export function readDashboardSettings(
  e: ReturnType<typeof envReader>,
  qstash: QStashAccess | null,
): DashboardSettings {
  const explicit = e.optional("READER_STATUS_URLS");
  return {
    readerStatusUrls: explicit
      ? list(explicit)
      : list(e.string("READER_INGEST_URLS", "")).map(statusUrlFromIngest),
    timeoutMs: e.int("READER_STATUS_TIMEOUT_MS", 2_000, { min: 100, max: 60_000 }),
    refreshMs: e.int("DASHBOARD_REFRESH_MS", 2_000, { min: 250, max: 600_000 }),
    qstash,
  };
}
