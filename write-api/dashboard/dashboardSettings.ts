import type { envReader } from "../../shared/config/envReader.ts";
import type { QStashAccess } from "./deadLetters.ts";
import type { HistorySettings } from "./history/historySampler.ts";

export interface DashboardSettings {
  /** each reader's `GET /v1/status` URL, fetched server-side on every refresh */
  readerStatusUrls: string[];
  /** per-reader (and dead-letter queue) fetch timeout */
  timeoutMs: number;
  /** how often an open page refreshes */
  refreshMs: number;
  /** where the dead-letter queue is read; null when QStash is not configured */
  qstash: QStashAccess | null;
  /**
   * The history behind the charts: every `sampleMs` the write API reads each
   * reader's status and the primary's head into memory, keeping the last
   * `windowMs` (at most ~36,000 samples). Absent: no sampler, no charts.
   */
  history?: HistorySettings;
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
 * `READER_INGEST_URLS`), `READER_STATUS_TIMEOUT_MS`, `DASHBOARD_REFRESH_MS`,
 * and the charts' `DASHBOARD_HISTORY_SAMPLE_MS` (2 s) and
 * `DASHBOARD_HISTORY_WINDOW_MS` (10 min).
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
    history: {
      sampleMs: e.int("DASHBOARD_HISTORY_SAMPLE_MS", 2_000, { min: 100, max: 60_000 }),
      windowMs: e.int("DASHBOARD_HISTORY_WINDOW_MS", 600_000, { min: 10_000, max: 3_600_000 }),
    },
  };
}
