import { createServer, type Server, type Socket } from "node:net";
import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readerWithDashboard } from "../../test/integration/readerWithDashboard.ts";
import { responseValidator } from "../../test/openapiValidator.ts";
import { createTestWriteApi, type TestWriteApi, testSettings } from "../testing/testWriteApi.ts";
import type { DashboardState } from "./dashboardView.ts";
import type { Point, RegionHistory, ReplicationHistory } from "./history/historySeries.ts";

const admin = testSettings.adminToken;
const listen = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)),
  );

// A reader that accepts the connection and never answers: only the timeout ends the fetch.
const sockets: Socket[] = [];
const hanging = createServer((s) => sockets.push(s));
let closedPort = 0;
let hangingPort = 0;
let api: TestWriteApi;

beforeAll(async () => {
  const closed = createServer();
  closedPort = await listen(closed);
  await new Promise((r) => closed.close(r));
  hangingPort = await listen(hanging);
  api = await createTestWriteApi({
    settings: {
      ...testSettings,
      dashboard: {
        readerStatusUrls: [
          `http://127.0.0.1:${closedPort}/v1/status`,
          `http://127.0.0.1:${hangingPort}/v1/status`,
        ],
        timeoutMs: 300,
        refreshMs: 1_000,
        qstash: null,
        history: { sampleMs: 100, windowMs: 60_000 },
      },
    },
  });
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => hanging.close(r));
  await api.close();
});

const get = (path: string, headers: Record<string, string> = {}) =>
  api.app.request(`http://localhost${path}`, { headers });
const login = (token: string) =>
  api.app.request("http://localhost/dashboard", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token }).toString(),
  });
const sessionFrom = (res: Response) => res.headers.get("set-cookie")?.split(";")[0] ?? "";

describe("dashboard auth", () => {
  it("without credentials: the login form with 401, and no operational data", async () => {
    const page = await get("/dashboard");
    expect(page.status).toBe(401);
    const html = await page.text();
    expect(html).toContain('name="token"');
    expect(html).not.toContain(String(hangingPort));
    expect(page.headers.get("cache-control")).toBe("no-store");
    for (const path of ["/dashboard/state", "/dashboard/live", "/dashboard/history"]) {
      const res = await get(path);
      expect(res.status, path).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: "unauthorized" } });
    }
  });

  it("a wrong bearer token or a wrong login is 401 and sets no cookie", async () => {
    const state = await get("/dashboard/state", { authorization: "Bearer not-the-admin-token" });
    expect(state.status).toBe(401);
    expect(await state.json()).toMatchObject({ error: { code: "unauthorized" } });
    const readerToken = await get("/dashboard/state", {
      authorization: `Bearer ${testSettings.readerToken}`,
    });
    expect(readerToken.status).toBe(401);
    const wrong = await login("not-the-admin-token");
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    expect(await wrong.text()).toContain("not the admin token");
    expect((await login("")).status).toBe(401);
  });

  it("the login sets an HttpOnly, SameSite=Strict session cookie that opens every dashboard route", async () => {
    const res = await login(admin);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/dashboard");
    const setCookie = res.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^cqrs_dashboard=/);
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).toContain("SameSite=Strict");
    expect(setCookie).not.toContain(admin);
    const cookie = sessionFrom(res);
    expect((await get("/dashboard", { cookie })).status).toBe(200);
    expect((await get("/dashboard/state", { cookie })).status).toBe(200);
    expect((await get("/dashboard/live", { cookie })).status).toBe(200);
    expect((await get("/dashboard/history", { cookie })).status).toBe(200);
    // a header, when sent, decides alone
    const wrongHeader = await get("/dashboard/state", {
      cookie,
      authorization: "Bearer not-the-admin-token",
    });
    expect(wrongHeader.status).toBe(401);
  });

  it("a forged or tampered session cookie is refused", async () => {
    const cookie = sessionFrom(await login(admin));
    const [name, value = ""] = cookie.split("=");
    const [expires, mac = ""] = value.split(".");
    const flipped = `${mac.slice(0, -1)}${mac.endsWith("A") ? "B" : "A"}`;
    for (const forged of [
      `${name}=${expires}.${flipped}`,
      `${name}=${Number(expires) + 1}.${mac}`,
      `${name}=${admin}`,
    ]) {
      expect((await get("/dashboard/state", { cookie: forged })).status, forged).toBe(401);
    }
  });

  it("the bearer admin token works without a cookie", async () => {
    const res = await get("/dashboard/state", { authorization: `Bearer ${admin}` });
    expect(res.status).toBe(200);
  });
});

describe("dashboard with unreachable readers", () => {
  it("shows each as unreachable and still answers with the primary's figures", async () => {
    const write = await api.command({ type: "category.create", slug: "hats", name: "Hats" });
    expect(write.status).toBe(200);
    const { version } = (await write.json()) as { version: number };
    const res = await get("/dashboard/state", { authorization: `Bearer ${admin}` });
    expect(res.status).toBe(200);
    const state = (await res.json()) as DashboardState;
    expect(state.primary).toMatchObject({ head: version, watermark: version });
    expect(state.converged).toBe(false);
    expect(
      state.regions.map((r) => [r.region, r.reachable, r.agreement, r.watermark, r.lagEvents]),
    ).toEqual([
      [`127.0.0.1:${closedPort}`, false, "unknown", null, null],
      [`127.0.0.1:${hangingPort}`, false, "unknown", null, null],
    ]);
    expect(state.regions[0]?.error).toMatch(/ECONNREFUSED|fetch failed/);
    expect(state.regions[1]?.error).toBe("no answer within 300 ms");
    expect(state.deadLetters).toMatchObject({ available: false });
  });

  it("renders the page with both rows marked unreachable", async () => {
    const res = await get("/dashboard", { authorization: `Bearer ${admin}` });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    for (const port of [closedPort, hangingPort]) {
      expect(html).toContain(
        `data-region="127.0.0.1:${port}" data-agreement="unknown" data-reachable="false"`,
      );
    }
    expect(html).toContain('data-testid="primary-head"');
    // the inline script runs only with this response's nonce
    const nonce = html.match(/<script nonce="([^"]+)">/)?.[1];
    expect(nonce).toBeTruthy();
    expect(res.headers.get("content-security-policy")).toContain(`'nonce-${nonce}'`);
  });
});

describe("the dashboard in the write API's OpenAPI document", () => {
  it("is documented, and the served document is still valid OpenAPI 3.1", async () => {
    const document = (await (await get("/openapi.json")).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        "/dashboard",
        "/dashboard/state",
        "/dashboard/live",
        "/dashboard/history",
      ]),
    );
    const result = await new Validator().validate(document);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
  });
});

const adminHeaders = { authorization: `Bearer ${admin}` };
const history = async () => {
  const res = await get("/dashboard/history", adminHeaders);
  expect(res.status).toBe(200);
  return (await res.json()) as ReplicationHistory;
};
/** Polls the history until `ok` holds of it; fails with the last one past the deadline. */
const historyWhere = async (ok: (h: ReplicationHistory) => boolean, deadlineMs = 15_000) => {
  const until = Date.now() + deadlineMs;
  let last = await history();
  while (!ok(last)) {
    if (Date.now() > until)
      throw new Error(`no such history by the deadline: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
    last = await history();
  }
  return last;
};
const pointsAfter = (line: readonly Point[], at: number) => line.filter(([t]) => t > at);

describe("the dashboard's history", () => {
  it("is sampled on its interval, not by requests, and its write rate follows a burst of writes", async () => {
    // asking for the history takes no sample: the lines grow by the timer alone
    const idle = await historyWhere((h) => h.regions.every((r) => r.lagEvents.length >= 3));
    expect(idle).toMatchObject({ sampleMs: 100, windowMs: 60_000 });
    const before = Date.now();
    for (let i = 0; i < 5; i++) {
      const res = await api.command({
        commands: Array.from({ length: 10 }, (_, j) => ({
          type: "category.create",
          slug: `burst-${i}-${j}`,
          name: `Burst ${i}.${j}`,
        })),
      });
      expect(res.status).toBe(200);
    }
    // each rate times its sample's interval is the events committed in it
    const committedAfter = (x: ReplicationHistory) =>
      Math.round(
        x.writeRate.reduce((sum, [t, v], i) => {
          const prev = x.writeRate[i - 1]?.[0];
          return t > before && prev !== undefined ? sum + ((v ?? 0) * (t - prev)) / 1_000 : sum;
        }, 0),
      );
    const h = await historyWhere((x) => committedAfter(x) >= 50);
    // the burst's 50 events, spread over the samples that saw it, and nothing invented
    expect(committedAfter(h)).toBe(50);
    expect(pointsAfter(h.writeRate, before).some(([, v]) => (v ?? 0) > 0)).toBe(true);
    expect(h.to - h.from).toBeLessThanOrEqual(60_000);
  });

  it("an unreachable region is a gap in every line, not a zero", async () => {
    const h = await history();
    expect(h.regions.map((r) => r.region)).toEqual([
      `127.0.0.1:${closedPort}`,
      `127.0.0.1:${hangingPort}`,
    ]);
    for (const r of h.regions) {
      for (const line of [r.lagEvents, r.lagMs, r.applyRate, r.fallbackRate]) {
        expect(line.length).toBeGreaterThan(0);
        expect(line.every(([, v]) => v === null)).toBe(true);
      }
    }
  });

  it("answers exactly the documented schema", async () => {
    const document = await (await get("/openapi.json")).json();
    const check = responseValidator(document);
    const h = await history();
    expect(check("/dashboard/history", "get", h)).toEqual([]);
    expect(check("/dashboard/history", "get", { ...h, writeRate: [[1, 2, 3]] })).not.toEqual([]);
    expect(check("/dashboard/history", "get", { ...h, extra: 1 })).not.toEqual([]);
  });

  it("the page and its live part draw the charts, one line per region", async () => {
    for (const path of ["/dashboard", "/dashboard/live"]) {
      const html = await (await get(path, adminHeaders)).text();
      expect(html, path).toContain('data-testid="history" data-enabled="true"');
      const charts = [...html.matchAll(/<svg data-chart="(\w+)"/g)].map(([, id]) => id);
      expect(charts).toEqual(["writeRate", "applyRate", "lagEvents", "lagMs", "fallbackRate"]);
      const lines = [...html.matchAll(/<path data-series="([^"]+)"[^>]* d="([^"]*)"/g)];
      expect(lines.filter(([, s]) => s === "primary").map(([, , d]) => d)).toEqual([
        expect.stringMatching(/^M[\d.]+ [\d.]+(L[\d.]+ [\d.]+)+/),
      ]);
      for (const port of [closedPort, hangingPort]) {
        // drawn as a line with no points: never reachable
        expect(lines.filter(([, s]) => s === `127.0.0.1:${port}`).map(([, , d]) => d)).toEqual([
          "",
          "",
          "",
          "",
        ]);
      }
    }
  });
});

describe("the dashboard without history settings", () => {
  it("keeps no history: 404 on the JSON, a note on the page", async () => {
    const plain = await createTestWriteApi();
    try {
      const res = await plain.app.request("http://localhost/dashboard/history", {
        headers: adminHeaders,
      });
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: "not_found" } });
      const html = await (
        await plain.app.request("http://localhost/dashboard", { headers: adminHeaders })
      ).text();
      expect(html).toContain('data-testid="history" data-enabled="false"');
    } finally {
      await plain.close();
    }
  });
});

describe("the dashboard's history of a real reader", () => {
  it("shows its lag, then its applies, then the read it handed to the primary", async () => {
    // a second write API on the reader's primary, sampling it every 50 ms
    const { h, dashboard, close } = await readerWithDashboard({
      reader: { waitBoundMs: 10 },
      history: { sampleMs: 50, windowMs: 60_000 },
    });
    const lines = async () => {
      const res = await dashboard.request("http://localhost/dashboard/history", {
        headers: adminHeaders,
      });
      return ((await res.json()) as ReplicationHistory).regions[0];
    };
    /** the reader's lines once `ok` holds of them (none before the first sample) */
    const until = async (ok: (r: RegionHistory) => boolean) => {
      const deadline = Date.now() + 15_000;
      for (let r = await lines(); ; r = await lines()) {
        if (r && ok(r)) return r;
        if (Date.now() > deadline) throw new Error(`not by the deadline: ${JSON.stringify(r)}`);
        await new Promise((done) => setTimeout(done, 50));
      }
    };
    const last = (line: readonly Point[]) => line.at(-1)?.[1];
    try {
      const write = await h.api.command({
        commands: [
          { type: "category.create", slug: "hats", name: "Hats" },
          { type: "category.create", slug: "caps", name: "Caps" },
        ],
      });
      const { version } = (await write.json()) as { version: number };
      const behind = await until((r) => last(r.lagEvents) === version);
      expect(behind.region).toBe("test");
      expect(last(behind.lagMs)).toEqual(expect.any(Number));

      const caughtUpAt = Date.now();
      await h.reader.catchUp.run();
      const caughtUp = await until(
        (r) =>
          last(r.lagEvents) === 0 &&
          pointsAfter(r.applyRate, caughtUpAt).some(([, v]) => (v ?? 0) > 0),
      );
      expect(last(caughtUp.lagMs)).toBe(0);
      expect(caughtUp.fallbackRate.every(([, v]) => v === 0 || v === null)).toBe(true);

      // a write the reader cannot pull: a read behind its token goes to the primary
      h.failPulls(true);
      const next = await h.api.command({ type: "category.create", slug: "caps2", name: "Caps 2" });
      const token = next.headers.get("x-consistency-token") ?? "";
      const fallbackAt = Date.now();
      const read = await h.app.request("http://reader.test/v1/categories", {
        headers: { "x-consistency-token": token },
      });
      expect(read.headers.get("x-served-by")).toBe("primary");
      const status = (await (await h.app.request("http://reader.test/v1/status")).json()) as {
        primaryFallbacks: number;
      };
      expect(status.primaryFallbacks).toBe(1);
      const fellBack = await until((r) =>
        pointsAfter(r.fallbackRate, fallbackAt).some(([, v]) => (v ?? 0) > 0),
      );
      // one read, whatever the interval it fell in: rate × interval adds up to it
      const reads = fellBack.fallbackRate.reduce((sum, [t, v], i) => {
        const prev = fellBack.fallbackRate[i - 1]?.[0];
        return prev === undefined ? sum : sum + ((v ?? 0) * (t - prev)) / 1_000;
      }, 0);
      expect(Math.round(reads)).toBe(1);
    } finally {
      await close();
    }
  });
});
