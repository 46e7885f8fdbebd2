// Local support (tests and the bench): the Worker store never imports this file.
import { Miniflare } from "miniflare";
import type { D1Binding, D1Statement } from "./d1.ts";

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

export interface D1Bridge {
  /** the D1 database bound as `name`, driven from Node */
  binding(name: string): D1Binding;
  stop(): Promise<void>;
}

/**
 * D1 databases (binding name → database id) on one workerd process through
 * Miniflare, reachable from Node: the test pool's databases, and the bench's
 * way to fill a D1 folder (`persistDir`) that a Worker then serves, as
 * `wrangler d1 execute` fills one before a deploy.
 *
 * @example
 * const bridge = await startD1Bridge({ databases: { VIEWS_DB: "views" }, persistDir: ".data/d1" });
 * const d1 = bridge.binding("VIEWS_DB");
 */
export async function startD1Bridge(options: {
  databases: Record<string, string>;
  persistDir?: string;
}): Promise<D1Bridge> {
  const mf = new Miniflare({
    modules: true,
    script: bridge,
    d1Databases: options.databases,
    ...(options.persistDir && { d1Persist: options.persistDir }),
    // straight into the Worker: Miniflare's entry Worker would double each query's ~2 ms
    unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
  });
  await mf.ready;
  const url = await mf.unsafeGetDirectURL();
  return { binding: (name) => bindingOver(url, name), stop: () => mf.dispose() };
}
