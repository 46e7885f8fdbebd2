import { describe, expect, it } from "vitest";
import { readerStatusFixture } from "../../shared/testing/readerStatusFixture.ts";
import { type CqrsIo, runCqrs } from "./cli.ts";
import type { FetchLike } from "./statusFetch.ts";

/** Status answers from memory: each region's watermark can move between polls. */
function fakeStack(readers: Record<string, () => { watermark: number; digest: string } | null>) {
  const fetch: FetchLike = async (requested) => {
    const url = requested.replace(/\?.*$/, "");
    const json = (body: unknown) => new Response(JSON.stringify(body));
    if (url === "http://w/v1/status") {
      return json({ role: "primary", head: 10, published: 10, watermark: 10, digest: "d10" });
    }
    for (const [region, state] of Object.entries(readers)) {
      if (url === `http://${region}/v1/status`) {
        const s = state();
        if (!s) throw new TypeError("fetch failed", { cause: { code: "ECONNREFUSED" } });
        return json(readerStatusFixture({ region, ...s }));
      }
    }
    throw new TypeError("fetch failed", { cause: { code: "ENOTFOUND" } });
  };
  return fetch;
}

async function run(fetch: FetchLike, ...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const io: CqrsIo = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: {
      write: (t) => {
        stderr += t;
      },
      isTTY: false,
    },
    env: {},
    cwd: "/nowhere",
    fetch,
  };
  return { code: await runCqrs(argv, io), stdout, stderr };
}

const where = (...regions: string[]) => [
  "--write-api",
  "http://w",
  ...regions.flatMap((r) => ["--reader", `http://${r}`]),
];

describe("runCqrs", () => {
  it("verify waits for a lagging region to reach the head, then exits 0", async () => {
    let polls = 0;
    const fetch = fakeStack({
      eu: () => ({ watermark: 10, digest: "d10" }),
      us: () => (++polls < 3 ? { watermark: 7, digest: "d7" } : { watermark: 10, digest: "d10" }),
    });
    const { code, stdout } = await run(fetch, "verify", "--timeout", "5", ...where("eu", "us"));
    expect(code).toBe(0);
    // three polls until quiet, then one more for digests computed now
    expect(polls).toBe(4);
    expect(stdout).toContain("all 2 regions agree with the primary at seq 10");
  });

  it("verify exits 1 when a region stays behind past the timeout", async () => {
    const fetch = fakeStack({ eu: () => ({ watermark: 9, digest: "d9" }) });
    const { code, stdout } = await run(fetch, "verify", "--timeout", "300ms", ...where("eu"));
    expect(code).toBe(1);
    expect(stdout).toContain("✗ eu: watermark 9 never reached the primary's 10 (head 10)");
  });

  it("verify exits 2 naming an unreachable region", async () => {
    const fetch = fakeStack({ eu: () => ({ watermark: 10, digest: "d10" }), ap: () => null });
    const { code, stdout } = await run(
      fetch,
      "verify",
      "--timeout",
      "0",
      "--json",
      ...where("eu", "ap"),
    );
    expect(code).toBe(2);
    expect(JSON.parse(stdout)).toMatchObject({ ok: false, code: 2, unreachable: ["http://ap"] });
  });

  it("status takes region, runtime and store from the reader when only a URL is given", async () => {
    const fetch = fakeStack({ eu: () => ({ watermark: 10, digest: "d10" }) });
    const { code, stdout } = await run(fetch, "status", ...where("eu"));
    expect(code).toBe(0);
    expect(stdout.split("\n")[2]).toBe("eu      node+sqlite    10         0    ✓       never");
  });

  it("status asks for the kept digests, and with --fresh for digests computed from every record", async () => {
    const asked: string[] = [];
    const stack = fakeStack({ eu: () => ({ watermark: 10, digest: "d10" }) });
    const fetch: FetchLike = (url, init) => {
      asked.push(url);
      return stack(url, init);
    };
    await run(fetch, "status", ...where("eu"));
    expect(asked.sort()).toEqual(["http://eu/v1/status", "http://w/v1/status"]);
    asked.length = 0;
    await run(fetch, "status", "--fresh", ...where("eu"));
    expect(asked.sort()).toEqual(["http://eu/v1/status?fresh=1", "http://w/v1/status?fresh=1"]);
  });

  it("prints a one-line error and exits 2 when the write API is unreachable", async () => {
    const { code, stdout, stderr } = await run(
      fakeStack({}),
      "status",
      "--write-api",
      "http://gone",
    );
    expect({ code, stdout, stderr }).toEqual({
      code: 2,
      stdout: "",
      stderr: "cqrs: cannot reach the write API at http://gone/v1/status: ENOTFOUND\n",
    });
  });

  it("puts the usage on stderr and exits 64 for an unknown command or flag", async () => {
    for (const argv of [["launch"], ["status", "--colour"], []]) {
      const { code, stdout, stderr } = await run(fakeStack({}), ...argv);
      expect(code).toBe(64);
      expect(stdout).toBe("");
      expect(stderr).toMatch(/^cqrs: .*\n\nusage: npm run cqrs -- <command>/);
    }
  });

  it("prints the usage on stdout for --help", async () => {
    const { code, stdout } = await run(fakeStack({}), "--help");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: npm run cqrs -- <command> \[options\]/);
  });

  it("asks for a QStash token before calling QStash", async () => {
    const { code, stderr } = await run(
      fakeStack({}),
      "dlq",
      "list",
      ...where(),
      "--qstash-url",
      "http://q",
    );
    expect(code).toBe(64);
    expect(stderr).toMatch(/^cqrs: no QStash token/);
  });
});
