import { createClient } from "@libsql/client";
import type { LoadResult } from "../load/loadJob.ts";
import { percentile } from "../load/stats.ts";

// Child process: `node --import tsx bench/writes/rawInsertChild.ts '<json>'`.
// The floor under a single-command write: the same two rows the write API
// commits for a product.create (its event, its product row), through
// @libsql/client, one "write" (BEGIN IMMEDIATE) transaction each, on a file
// in WAL mode with synchronous FULL, as openPrimary sets it. No HTTP, no
// decision, no inline views, no idempotency.
interface RawJob {
  path: string;
  concurrency: number;
  durationMs: number;
  warmupMs: number;
  prefix: string;
}

const job = JSON.parse(process.argv[2] ?? "{}") as RawJob;
const client = createClient({ url: `file:${job.path}`, concurrency: 1 });
await client.execute("PRAGMA journal_mode = WAL");
await client.execute("PRAGMA synchronous = FULL");
const category = String((await client.execute("SELECT id FROM categories LIMIT 1")).rows[0]?.id);

let unique = 0;
let measuring = false;
let stopped = false;
let errors = 0;
let firstError: string | null = null;
const latencies: number[] = [];

const insert = async () => {
  const n = `${job.prefix}-${unique++}`;
  const id = `raw_${n}`;
  const data = JSON.stringify({ id, sku: `R-${n}`, slug: `r-${n}`, name: "Raw oak lamp" });
  const started = performance.now();
  try {
    await client.batch(
      [
        {
          sql: "INSERT INTO events (type, aggregate_id, data, schema_version, at) VALUES ('product.created', ?, ?, 1, ?)",
          args: [id, data, new Date().toISOString()],
        },
        {
          sql: `INSERT INTO products (id, sku, slug, name, description, category_id, price_amount,
              price_currency, status, attributes, stock, created_seq, version)
            VALUES (?, ?, ?, 'Raw oak lamp', 'written by the raw limit', ?, 4999, 'EUR', 'active', '{}', 10,
              last_insert_rowid(), last_insert_rowid())`,
          args: [id, `R-${n}`, `r-${n}`, category],
        },
      ],
      "write",
    );
    if (measuring) latencies.push(performance.now() - started);
  } catch (e) {
    if (measuring) {
      errors++;
      firstError ??= String(e);
    }
  }
};

// libsql runs a local-file batch synchronously and resolves it as a microtask:
// without yielding, these loops would starve the timers that end the cell.
const loop = async () => {
  while (!stopped) {
    await insert();
    await new Promise((r) => setImmediate(r));
  }
};
const loops = Array.from({ length: job.concurrency }, loop);
await new Promise((r) => setTimeout(r, job.warmupMs));
measuring = true;
const started = performance.now();
await new Promise((r) => setTimeout(r, job.durationMs));
measuring = false;
const seconds = (performance.now() - started) / 1_000;
stopped = true;
await Promise.all(loops);
client.close();
latencies.sort((a, b) => a - b);
const result: LoadResult = {
  requests: latencies.length,
  errors,
  firstError,
  seconds,
  rps: latencies.length / seconds,
  p50: percentile(latencies, 50),
  p99: percentile(latencies, 99),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
