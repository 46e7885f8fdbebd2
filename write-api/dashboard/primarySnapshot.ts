import type { Client } from "@libsql/client";
import type { ViewStore } from "../../shared/views/viewStore.ts";
import type { PrimaryStatus } from "./dashboardView.ts";

export interface PrimarySnapshot {
  status(): Promise<PrimaryStatus>;
  /** commit time (epoch ms) of each seq asked for that is in the log */
  commitTimes(seqs: readonly number[]): Promise<Map<number, number>>;
}

/**
 * The primary's side of the dashboard, read in-process: the same figures as
 * `GET /v1/status`, and the commit times that turn a lag in events into one in
 * milliseconds.
 *
 * @example
 * const snapshot = primarySnapshot(primary.readClient, views.store);
 * await snapshot.status(); // → { head: 42, published: 42, watermark: 42, digest: "9f…" }
 */
export function primarySnapshot(
  readClient: Client,
  views: ViewStore & { liveNamespace?: () => string },
): PrimarySnapshot {
  return {
    async status() {
      const [head, published] = await readClient.batch(
        [
          "SELECT coalesce(max(seq), 0) AS v FROM events",
          "SELECT coalesce((SELECT value FROM meta WHERE key = 'published'), 0) AS v",
        ],
        "read",
      );
      const { watermark, digest } = await views.digest();
      return {
        head: Number(head?.rows[0]?.v ?? 0),
        published: Number(published?.rows[0]?.v ?? 0),
        watermark,
        digest,
      };
    },
    async commitTimes(seqs) {
      const times = new Map<number, number>();
      if (seqs.length === 0) return times;
      const rows = await readClient.execute({
        sql: `SELECT seq, at FROM events WHERE seq IN (${seqs.map(() => "?").join(",")})`,
        args: [...seqs],
      });
      for (const r of rows.rows) {
        const at = Date.parse(String(r.at));
        if (Number.isFinite(at)) times.set(Number(r.seq), at);
      }
      return times;
    },
  };
}
