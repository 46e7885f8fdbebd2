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
