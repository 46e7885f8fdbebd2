import { createClient } from "@libsql/client";
import { closedLoop } from "../load/closedLoop.ts";
import { diskWrittenBytes, kibPerWrite } from "./diskWrites.ts";

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

const insert = async () => {
  const n = `${job.prefix}-${unique++}`;
  const id = `raw_${n}`;
  const data = JSON.stringify({ id, sku: `R-${n}`, slug: `r-${n}`, name: "Raw oak lamp" });
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
};

const before = diskWrittenBytes("self");
const result = await closedLoop(job, insert, { yieldBetween: true });
client.close();
// every insert of the run, warm-up included, against everything the run wrote
const kib = kibPerWrite(before, diskWrittenBytes("self"), unique);
process.stdout.write(`${JSON.stringify({ ...result, kibPerWrite: kib })}\n`);
