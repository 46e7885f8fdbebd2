import type { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DashboardState } from "../../write-api/dashboard/dashboardView.ts";
import { testSettings } from "../../write-api/testing/testWriteApi.ts";
import type { Harness } from "./readerHarness.ts";
import { readerWithDashboard } from "./readerWithDashboard.ts";

// A real reader over HTTP, and the dashboard of a write API on the same primary fetching its status.
let t: Awaited<ReturnType<typeof readerWithDashboard>>;
let h: Harness;
let dashboard: Hono;
beforeAll(async () => {
  t = await readerWithDashboard();
  ({ h, dashboard } = t);
});
afterAll(() => t.close());

const state = async () => {
  const res = await dashboard.request("http://localhost/dashboard/state", {
    headers: { authorization: `Bearer ${testSettings.adminToken}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as DashboardState;
};

describe("the dashboard against a real reader", () => {
  it("shows a lagging reader's lag in events and ms, then its agreement once caught up", async () => {
    const res = await h.api.command({
      commands: [
        { type: "category.create", slug: "hats", name: "Hats" },
        { type: "category.create", slug: "caps", name: "Caps" },
      ],
    });
    expect(res.status).toBe(200);
    const { version } = (await res.json()) as { version: number };

    const behind = await state();
    expect(behind.primary.head).toBe(version);
    expect(behind.regions).toHaveLength(1);
    const [lagging] = behind.regions;
    expect(lagging).toMatchObject({
      region: "test",
      runtime: "node",
      store: "sqlite",
      reachable: true,
      watermark: 0,
      lagEvents: version,
      agreement: "unknown",
    });
    expect(lagging?.lagMs).toEqual(expect.any(Number));
    expect(lagging?.lagMs).toBeGreaterThanOrEqual(0);
    expect(behind.converged).toBe(false);

    await h.reader.catchUp.run();
    const caughtUp = await state();
    expect(caughtUp.regions[0]).toMatchObject({
      watermark: version,
      lagEvents: 0,
      lagMs: 0,
      agreement: "equal",
      digest: caughtUp.primary.digest,
    });
    expect(caughtUp.converged).toBe(true);
  });
});

describe("the dashboard's history sampler", () => {
  // the reader's own count of the status reads it answered
  const statusReads = async (reader: Harness) => {
    const text = await (await reader.app.request("http://localhost/metrics")).text();
    const line = text
      .split("\n")
      .find((l) => l.startsWith("cqrs_http_requests_total{") && l.includes('route="/v1/status"'));
    return Number(line?.split(" ").pop() ?? 0);
  };
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const until = async (ok: () => Promise<boolean>, deadlineMs = 15_000) => {
    const deadline = Date.now() + deadlineMs;
    while (!(await ok())) {
      if (Date.now() > deadline) throw new Error("not by the deadline");
      await pause(20);
    }
  };

  it("samples a real reader until its write API shuts down, then never again", async () => {
    const s = await readerWithDashboard({ history: { sampleMs: 20, windowMs: 60_000 } });
    try {
      const before = await statusReads(s.h);
      await until(async () => (await statusReads(s.h)) > before);
      s.shutDownDashboard();
      // a sample in flight may still land: wait for a count that holds over ten sample periods
      let settled = await statusReads(s.h);
      await until(async () => {
        await pause(200);
        const now = await statusReads(s.h);
        const held = now === settled;
        settled = now;
        return held;
      });
      await pause(400);
      expect(await statusReads(s.h)).toBe(settled);
    } finally {
      await s.close();
    }
  });
});
