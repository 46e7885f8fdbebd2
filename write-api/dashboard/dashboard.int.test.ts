import { createServer, type Server, type Socket } from "node:net";
import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestWriteApi, type TestWriteApi, testSettings } from "../testing/testWriteApi.ts";
import type { DashboardState } from "./dashboardView.ts";

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
    for (const path of ["/dashboard/state", "/dashboard/live"]) {
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
      expect.arrayContaining(["/dashboard", "/dashboard/state", "/dashboard/live"]),
    );
    const result = await new Validator().validate(document);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
  });
});
