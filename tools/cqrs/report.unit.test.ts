import { describe, expect, it } from "vitest";
import { isQuiescent, regionVerdict, statusLines, verifyReport } from "./report.ts";
import type { PrimaryStatus, RegionProbe } from "./statusFetch.ts";

const primary: PrimaryStatus = {
  url: "http://w",
  head: 412,
  published: 410,
  watermark: 412,
  digest: "aaaa",
};
const at = (region: string, watermark: number, digest = "aaaa"): RegionProbe => ({
  reachable: true,
  url: `http://${region}`,
  region,
  runtime: "bun",
  store: "sqlite",
  watermark,
  digest,
  lastApplyAt: "2026-11-25T10:00:00.000Z",
});
const down = (region: string): RegionProbe => ({
  reachable: false,
  url: `http://${region}`,
  region,
  runtime: "deno",
  store: "sqlite",
  error: "ECONNREFUSED",
});

describe("regionVerdict", () => {
  it("compares digests only at the primary's watermark", () => {
    expect(regionVerdict(primary, at("eu", 412)).agreement).toBe("equal");
    expect(regionVerdict(primary, at("eu", 412, "bbbb")).agreement).toBe("differs");
    expect(regionVerdict(primary, at("eu", 400, "bbbb"))).toMatchObject({
      reachable: true,
      agreement: "unknown",
      lag: 12,
    });
    expect(regionVerdict(primary, down("ap"))).toMatchObject({
      reachable: false,
      agreement: "unknown",
      watermark: null,
      error: "ECONNREFUSED",
    });
  });
});

describe("isQuiescent", () => {
  it("holds when every watermark equals the head", () => {
    expect(isQuiescent({ primary, regions: [at("eu", 412), at("us", 412, "x")] })).toBe(true);
    expect(isQuiescent({ primary, regions: [at("eu", 412), at("us", 411)] })).toBe(false);
    expect(isQuiescent({ primary, regions: [down("ap")] })).toBe(false);
    expect(isQuiescent({ primary: { ...primary, watermark: 411 }, regions: [] })).toBe(false);
  });
});

describe("verifyReport", () => {
  it("is ok when every region agrees", () => {
    const report = verifyReport(primary, [at("eu", 412), at("us", 412)]);
    expect(report).toMatchObject({ ok: true, code: 0, diverged: [], unreachable: [] });
    expect(report.lines.at(-1)).toBe("all 2 regions agree with the primary at seq 412");
  });

  it("names a diverged region and both digests, exit 1", () => {
    const report = verifyReport(primary, [at("eu", 412), at("us", 412, "bbbb")]);
    expect(report).toMatchObject({ ok: false, code: 1, diverged: ["us"] });
    expect(report.lines).toContain(
      "✗ us: digest bbbb differs from the primary's aaaa at watermark 412",
    );
  });

  it("counts a region that never caught up as diverged", () => {
    const report = verifyReport(primary, [at("eu", 400)]);
    expect(report).toMatchObject({ code: 1, diverged: ["eu"] });
    expect(report.lines).toContain(
      "✗ eu: watermark 400 never reached the primary's 412 (head 412)",
    );
  });

  it("exits 2 for an unreachable region, unless another one diverged", () => {
    expect(verifyReport(primary, [at("eu", 412), down("ap")])).toMatchObject({
      code: 2,
      unreachable: ["ap"],
    });
    const both = verifyReport(primary, [at("eu", 412, "x"), down("ap")]);
    expect(both.code).toBe(1);
    expect(both.lines.at(-1)).toBe("diverged: eu; unreachable: ap");
  });
});

describe("statusLines", () => {
  it("shows the primary, then one aligned line per region", () => {
    const now = Date.parse("2026-11-25T10:00:05.000Z");
    const lines = statusLines(
      {
        primary,
        regions: [at("eu-workerd", 412), at("us-bun", 412, "b"), at("x", 402), down("ap-deno")],
      },
      now,
    );
    expect(lines).toEqual([
      "primary  http://w  head 412  published 410  digest aaaa",
      "REGION      RUNTIME+STORE  WATERMARK  LAG  DIGEST  LAST APPLY",
      "eu-workerd  bun+sqlite     412        0    ✓       2026-11-25T10:00:00.000Z (5 s ago)",
      "us-bun      bun+sqlite     412        0    ✗       2026-11-25T10:00:00.000Z (5 s ago)",
      "x           bun+sqlite     402        10   …       2026-11-25T10:00:00.000Z (5 s ago)",
      "ap-deno     deno+sqlite    -          -    ?       unreachable: ECONNREFUSED",
    ]);
  });
});
