// Test support only: the store never imports this file.
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, vi } from "vitest";
import type { D1Binding, D1Statement } from "./d1.ts";

export interface LocalD1 {
  /** an empty database of the pool, D1 as workerd runs it; `release` empties it and gives it back */
  take(): Promise<{ d1: D1Binding; release(): Promise<void> }>;
  stop(): Promise<void>;
}

// The statements run on the real D1 bindings inside workerd: this Worker only
// carries them there and the rows (or D1's error message) back. Miniflare's
// own binding proxy (getD1Database) makes prepare, bind and all a blocking
// round trip each (~9 ms a query against ~2 ms here), too slow for the
// generations contract's 30 s tests.
const bridge = `export default {
  async fetch(request, env) {
    const { db, op, statements } = await request.json();
    const d1 = env[db];
    const prepared = statements.map((s) => (s.args.length ? d1.prepare(s.sql).bind(...s.args) : d1.prepare(s.sql)));
    try {
      if (op === "all") return Response.json((await prepared[0].all()).results);
      return Response.json((await d1.batch(prepared)).map((r) => ({ results: r.results })));
    } catch (e) {
      return Response.json({ message: String(e.message), cause: e.cause ? String(e.cause.message) : null }, { status: 500 });
    }
  },
};`;

type Wire = { sql: string; args: unknown[] };

function bindingOver(url: URL, db: string): D1Binding {
  const send = async (op: "all" | "batch", statements: Wire[]) => {
    const res = await fetch(url, {
      method: "POST",
      body: JSON.stringify({ db, op, statements }),
    });
    const body = (await res.json()) as unknown;
    if (res.ok) return body as never;
    const { message, cause } = body as { message: string; cause: string | null };
    throw new Error(message, cause ? { cause: new Error(cause) } : undefined);
  };
  const statement = (wire: Wire): D1Statement & { wire: Wire } => ({
    wire,
    bind: (...args) => statement({ sql: wire.sql, args }),
    all: async <T>() => ({ results: (await send("all", [wire])) as T[] }),
  });
  return {
    prepare: (sql) => statement({ sql, args: [] }),
    batch: (statements) =>
      send(
        "batch",
        statements.map((s) => (s as D1Statement & { wire: Wire }).wire),
      ),
  };
}

/**
 * D1 databases on one workerd process through Miniflare (its `d1Databases`):
 * every statement runs on workerd's D1, not in Node. Starting workerd costs
 * about a second, so a suite takes empty databases from a pool and gives them
 * back emptied, instead of a process per store.
 *
 * @example
 * const local = await startLocalD1();
 * const { d1, release } = await local.take();
 */
export async function startLocalD1(size = 8): Promise<LocalD1> {
  const names = Array.from({ length: size }, (_, i) => `D1_${i}`);
  const mf = new Miniflare({
    modules: true,
    script: bridge,
    d1Databases: Object.fromEntries(names.map((n) => [n, `local-${n}`])),
    // straight into the Worker: Miniflare's entry Worker would double each query's ~2 ms
    unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
  });
  await mf.ready;
  const url = await mf.unsafeGetDirectURL();
  const free = [...names];
  const empty = async (d1: D1Binding) => {
    const { results } = await d1
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf\\_%' ESCAPE '\\'",
      )
      .all<{ name: string }>();
    if (results.length > 0)
      await d1.batch(results.map((r) => d1.prepare(`DROP TABLE IF EXISTS "${r.name}"`)));
  };
  return {
    async take() {
      const name = free.shift();
      if (!name) throw new Error(`all ${size} local D1 databases are taken: release one first`);
      const d1 = bindingOver(url, name);
      await empty(d1);
      return {
        d1,
        async release() {
          await empty(d1);
          free.push(name);
        },
      };
    },
    stop: () => mf.dispose(),
  };
}

/**
 * A pool for the suite that calls it: started before its tests, stopped after.
 * Each query crosses from Node into workerd and back (~2 ms, more on a busy
 * machine), and the contracts' rebuild tests make thousands: past vitest's
 * 30 s, so the suite's tests get 120 s.
 *
 * @example
 * const local = localD1ForSuite();
 * it("…", async () => { const { d1, release } = await local().take(); });
 */
export function localD1ForSuite(): () => LocalD1 {
  vi.setConfig({ testTimeout: 120_000 });
  let local: LocalD1 | undefined;
  beforeAll(async () => {
    local = await startLocalD1();
  });
  afterAll(async () => {
    await local?.stop();
  });
  return () => {
    if (!local) throw new Error("the local D1 pool starts before the suite's tests");
    return local;
  };
}
