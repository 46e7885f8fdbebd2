import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findFreePort } from "../redis/freePort.ts";
import { type ServedWorker, serveWorker } from "./serveWorker.ts";

const config = join(import.meta.dirname, "testing", "cronCounter.toml");
type Counter = { greeting: string | null; scheduledRuns: number; lastCron: string };

const read = async (w: ServedWorker): Promise<Counter> =>
  (await (await fetch(w.url)).json()) as Counter;

const until = async (check: () => Promise<boolean>, deadlineMs = 20_000) => {
  const stopAt = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > stopAt) throw new Error(`condition not met within ${deadlineMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe("serveWorker: a wrangler.toml's Worker on workerd through Miniflare", () => {
  let withCron: ServedWorker;
  let withoutCron: ServedWorker;
  beforeAll(async () => {
    [withCron, withoutCron] = await Promise.all([
      serveWorker({
        config,
        vars: { GREETING: "hello" },
        host: "127.0.0.1",
        port: await findFreePort("127.0.0.1"),
        cronIntervalMs: 100,
        cron: "*/5 * * * *",
      }),
      serveWorker({ config, vars: {}, host: "127.0.0.1", port: await findFreePort("127.0.0.1") }),
    ]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([withCron?.dispose(), withoutCron?.dispose()]);
  });

  it("serves the bundle on the port asked for, with the vars bound", async () => {
    expect(withCron.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await read(withCron)).greeting).toBe("hello");
    expect((await read(withoutCron)).greeting).toBeNull();
  });

  it("fires the scheduled handler on the interval, with the cron asked for", async () => {
    await until(async () => (await read(withCron)).scheduledRuns >= 3);
    expect((await read(withCron)).lastCron).toBe("*/5 * * * *");
  });

  it("fires nothing when no interval is asked for", async () => {
    // withCron has ticked several times by now, in the same span
    await until(async () => (await read(withCron)).scheduledRuns >= 5);
    expect((await read(withoutCron)).scheduledRuns).toBe(0);
  });

  it("leaves the trigger endpoint off the served port: its requests reach the Worker's fetch", async () => {
    for (const w of [withCron, withoutCron]) {
      const res = await fetch(`${w.url}/cdn-cgi/handler/scheduled?cron=*+*+*+*+*`);
      expect(Object.keys((await res.json()) as Counter)).toEqual([
        "greeting",
        "scheduledRuns",
        "lastCron",
      ]);
    }
    expect((await read(withoutCron)).scheduledRuns).toBe(0);
  });
});
