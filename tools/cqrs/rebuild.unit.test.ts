import { describe, expect, it } from "vitest";
import { readerStatusFixture } from "../../shared/testing/readerStatusFixture.ts";
import type { GenerationStatus } from "../../shared/views/generations/generationStatus.ts";
import { type CqrsIo, runCqrs } from "./cli.ts";
import type { FetchLike } from "./statusFetch.ts";

interface FakeReader {
  /** the answer to `POST /v1/admin/rebuild`; a thrown error is a network failure */
  post?: () => Response;
  /** the `generation` of each successive `GET /v1/status` ("down": refused); the last one repeats */
  polls: Array<GenerationStatus | "down">;
  digest?: string;
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });

const idle = (over: Partial<GenerationStatus> = {}): GenerationStatus => ({
  active: "gold",
  epoch: 0,
  versions: {},
  building: null,
  lastSwitchAt: null,
  lastError: null,
  ...over,
});

const building = (watermark: number, head: number | null, over: Partial<GenerationStatus> = {}) =>
  idle({
    building: {
      namespace: "gnew",
      epoch: 1,
      watermark,
      head,
      applied: watermark,
      startedAt: "2026-01-01T00:00:00.000Z",
    },
    ...over,
  });

const live = idle({
  active: "gnew",
  epoch: 1,
  lastSwitchAt: "2026-01-01T00:00:03.000Z",
});

/** Readers at http://<region>, answering the admin route and their status from a script. */
function fakeReaders(readers: Record<string, FakeReader>) {
  const seen: { url: string; method: string; authorization: string | null }[] = [];
  const polled: Record<string, number> = {};
  const posted = new Set<string>();
  const fetch: FetchLike = async (url, init) => {
    const headers = new Headers(init?.headers);
    seen.push({ url, method: init?.method ?? "GET", authorization: headers.get("authorization") });
    const [, region = "", path = ""] = /^http:\/\/([^/]+)(\/[^?]*)/.exec(url) ?? [];
    const reader = readers[region];
    if (!reader) throw new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
    if (path === "/v1/admin/rebuild" && init?.method === "POST") {
      posted.add(region);
      return reader.post?.() ?? json({ generation: building(0, null) }, 202);
    }
    if (path === "/v1/status") {
      // the CLI asks an unnamed reader for its region before anything else
      if (!posted.has(region))
        return json(
          readerStatusFixture({ region, watermark: 10, digest: "dold", generation: idle() }),
        );
      const n = polled[region] ?? 0;
      polled[region] = n + 1;
      const generation = reader.polls[Math.min(n, reader.polls.length - 1)];
      if (generation === "down") {
        throw new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
      }
      const switched = generation?.active === "gnew";
      return json(
        readerStatusFixture({
          region,
          watermark: 10,
          digest: switched ? (reader.digest ?? "dnew") : "dold",
          generation: generation ?? null,
        }),
      );
    }
    return json({ error: { code: "not_found", message: "no route" } }, 404);
  };
  return { fetch, seen };
}

/** The CLI with a clock that only sleeps move: no real waiting, no timing in the asserts. */
async function run(fetch: FetchLike, ...argv: string[]) {
  return runOn({ isTTY: false }, fetch, ...argv);
}

async function runOn(terminal: { isTTY: boolean }, fetch: FetchLike, ...argv: string[]) {
  let stdout = "";
  let stderr = "";
  let clock = 0;
  const io: CqrsIo = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: {
      write: (t) => {
        stderr += t;
      },
      isTTY: terminal.isTTY,
    },
    env: {},
    cwd: "/nowhere",
    fetch,
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
    },
  };
  return { code: await runCqrs(argv, io), stdout, stderr };
}

const stackFile = (...regions: string[]) => [
  "--write-api",
  "http://w",
  "--admin-token",
  "adm",
  ...regions.flatMap((r) => ["--reader", `http://${r}`]),
];

describe("cqrs rebuild", () => {
  it("asks the reader to rebuild, draws the progress and prints the switch", async () => {
    const { fetch, seen } = fakeReaders({
      us: { polls: [building(0, null), building(4, 10), building(10, 10), live] },
    });
    const { code, stdout, stderr } = await run(fetch, "rebuild", "us", ...stackFile("us"));
    expect(code).toBe(0);
    expect(stdout).toBe(
      "✓ us: gold → gnew (epoch 1), 10 events from the log in 3.0 s, digest dnew\n",
    );
    expect(stderr).toContain("us [############------------------]  40.0%  4/10 events");
    expect(stderr).toContain("us [##############################] 100.0%  10/10 events");
    const post = seen.find((s) => s.method === "POST");
    expect(post).toEqual({
      url: "http://us/v1/admin/rebuild",
      method: "POST",
      authorization: "Bearer adm",
    });
    // the digest in the summary is computed now, not cached from the old generation
    expect(seen.at(-1)?.url).toBe("http://us/v1/status?fresh=1");
  });

  it("--all rebuilds each region in turn and --json lists the results", async () => {
    const { fetch } = fakeReaders({
      eu: { polls: [live], digest: "deu" },
      us: { polls: [building(5, 10), live], digest: "dus" },
    });
    const { code, stdout } = await run(
      fetch,
      "rebuild",
      "--all",
      "--json",
      ...stackFile("eu", "us"),
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      regions: [
        expect.objectContaining({ region: "eu", outcome: "switched", to: "gnew", digest: "deu" }),
        expect.objectContaining({ region: "us", outcome: "switched", from: "gold", digest: "dus" }),
      ],
    });
  });

  it("exits 64 naming the known regions for an unknown one", async () => {
    const { fetch } = fakeReaders({ eu: { polls: [live] }, us: { polls: [live] } });
    const { code, stdout, stderr } = await run(fetch, "rebuild", "mars", ...stackFile("eu", "us"));
    expect(code).toBe(64);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^cqrs: unknown region mars: the stack has eu, us\n/);
  });

  it.each([
    [404, "this reader has no admin routes (READER_ADMIN_TOKEN is unset)"],
    [401, "the admin token is not valid"],
  ])("exits 1 with the server's message when the reader answers %i", async (status, message) => {
    const { fetch } = fakeReaders({
      us: { post: () => json({ error: { code: "x", message } }, status), polls: [idle()] },
    });
    const { code, stdout } = await run(fetch, "rebuild", "us", ...stackFile("us"));
    expect(code).toBe(1);
    expect(stdout).toBe(`✗ us: the reader refused the rebuild: HTTP ${status}: ${message}\n`);
  });

  it("exits 2 when the reader does not answer", async () => {
    const fetch: FetchLike = async (url) => {
      if (url.endsWith("/v1/admin/rebuild")) {
        throw new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
      }
      return json(
        readerStatusFixture({ region: "us", watermark: 1, digest: "d", generation: idle() }),
      );
    };
    const { code, stdout } = await run(fetch, "rebuild", "us", ...stackFile("us"));
    expect(code).toBe(2);
    expect(stdout).toBe("✗ us: cannot reach http://us/v1/admin/rebuild: ECONNREFUSED\n");
  });

  it("keeps watching a reader that restarts mid-rebuild and resumes it", async () => {
    const { fetch } = fakeReaders({
      us: { polls: [building(4, 10), "down", "down", building(6, 10), live] },
    });
    const { code, stdout } = await run(fetch, "rebuild", "us", ...stackFile("us"));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^✓ us: gold → gnew \(epoch 1\)/);
  });

  it("exits 2 when the reader stays down past the grace period", async () => {
    const { fetch } = fakeReaders({ us: { polls: [building(4, 10), "down"] } });
    const { code, stdout } = await run(fetch, "rebuild", "us", ...stackFile("us"));
    expect(code).toBe(2);
    expect(stdout).toBe("✗ us: cannot reach http://us/v1/status: ECONNREFUSED\n");
  });

  it("exits 1 when the build keeps failing", async () => {
    const { fetch } = fakeReaders({
      us: { polls: [building(3, 10, { lastError: "the log skipped seqs 4..5" })] },
    });
    const { code, stdout } = await run(fetch, "rebuild", "us", ...stackFile("us"));
    expect(code).toBe(1);
    expect(stdout).toBe("✗ us: the build keeps failing: the log skipped seqs 4..5\n");
  });

  it("exits 1 when the timeout passes before the switch", async () => {
    const { fetch } = fakeReaders({ us: { polls: [building(3, 10)] } });
    const { code, stdout } = await run(
      fetch,
      "rebuild",
      "us",
      "--timeout",
      "5",
      ...stackFile("us"),
    );
    expect(code).toBe(1);
    expect(stdout).toBe("✗ us: not switched after 5 s (built up to seq 3 of 10)\n");
  });

  it("redraws the bar in place on a terminal, keeping the region in front", async () => {
    const { fetch } = fakeReaders({ us: { polls: [building(4, 10), live] } });
    const { code, stderr } = await runOn(
      { isTTY: true },
      fetch,
      "rebuild",
      "us",
      ...stackFile("us"),
    );
    expect(code).toBe(0);
    expect(stderr).toMatch(/^\rus \[#{12}-{18}\] {2}40\.0%.*\rus \[#{30}\] 100\.0%.*\n$/s);
  });

  it("waits through a status that answers 503 while the reader switches", async () => {
    const { fetch: reader } = fakeReaders({ us: { polls: [building(4, 10), live] } });
    let posted = false;
    let failures = 2;
    const fetch: FetchLike = async (url, init) => {
      if (init?.method === "POST") posted = true;
      else if (posted && url === "http://us/v1/status" && failures-- > 0) {
        return json({ error: { code: "unavailable", message: "switching" } }, 503);
      }
      return reader(url, init);
    };
    const { code, stdout } = await run(fetch, "rebuild", "us", ...stackFile("us"));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^✓ us: gold → gnew/);
    expect(failures).toBeLessThan(0);
  });

  it("exits 2 when a reader given by URL alone cannot say which region it is", async () => {
    const { fetch } = fakeReaders({ eu: { polls: [live] } });
    const { code, stderr } = await run(fetch, "rebuild", "us", ...stackFile("eu", "us"));
    expect(code).toBe(2);
    expect(stderr).toBe(
      "cqrs: cannot tell which reader is us: no answer from http://us (ECONNREFUSED)\n",
    );
  });

  it("needs an admin token", async () => {
    const { fetch } = fakeReaders({ us: { polls: [live] } });
    const { code, stderr } = await run(
      fetch,
      "rebuild",
      "us",
      "--write-api",
      "http://w",
      "--reader",
      "http://us",
    );
    expect(code).toBe(64);
    expect(stderr).toMatch(/^cqrs: no admin token/);
  });
});
