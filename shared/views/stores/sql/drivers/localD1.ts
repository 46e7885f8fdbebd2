// Test support only: the store never imports this file.
import { afterAll, beforeAll, vi } from "vitest";
import type { D1Binding } from "./d1.ts";
import { startD1Bridge } from "./d1Bridge.ts";

export interface LocalD1 {
  /** an empty database of the pool, D1 as workerd runs it; `release` empties it and gives it back */
  take(): Promise<{ d1: D1Binding; release(): Promise<void> }>;
  stop(): Promise<void>;
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
  const bridge = await startD1Bridge({
    databases: Object.fromEntries(names.map((n) => [n, `local-${n}`])),
  });
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
      const d1 = bridge.binding(name);
      await empty(d1);
      return {
        d1,
        async release() {
          await empty(d1);
          free.push(name);
        },
      };
    },
    stop: () => bridge.stop(),
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
