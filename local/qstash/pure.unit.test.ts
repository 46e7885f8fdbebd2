import { describe, expect, it } from "vitest";
import { QSTASH_RETRY_POLICY, retryDelayMs } from "./delivery/backoff.ts";
import { NO_FAULTS, planFaults, updateFaults } from "./delivery/faults.ts";
import { randomId } from "./ids.ts";
import { readDestination } from "./publish/destination.ts";
import { parseDurationMs } from "./publish/duration.ts";
import { compileRetryDelay } from "./publish/retryDelay.ts";
import { bodyHashClaim } from "./signing/signature.ts";
import { paginate, parseListQuery } from "./state/listQuery.ts";

describe("pure parts", () => {
  it("makes ids of base58 characters, all different across many refills of its random pool", () => {
    const ids = Array.from({ length: 2_000 }, () => randomId("msg"));
    for (const id of ids) expect(id).toMatch(/^msg_[1-9A-HJ-NP-Za-km-z]{26}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(randomId("sig", 5_000)).toHaveLength(5_004);
  });

  it("parses QStash durations", () => {
    expect(parseDurationMs("10s")).toBe(10_000);
    expect(parseDurationMs("1h30m")).toBe(5_400_000);
    expect(parseDurationMs("3")).toBe(3_000);
    expect(parseDurationMs("1w")).toBeUndefined();
    expect(parseDurationMs("s")).toBeUndefined();
  });

  it("follows QStash's documented backoff table in seconds", () => {
    const seconds = [0, 1, 2, 3, 4].map((n) => retryDelayMs(n, QSTASH_RETRY_POLICY) / 1_000);
    expect(seconds.map(Math.floor)).toEqual([12, 148, 1808, 22026, 86400]);
  });

  it("evaluates retry delay expressions without eval", () => {
    expect(compileRetryDelay("pow(2, retried) * 1000")(3)).toBe(8_000);
    expect(compileRetryDelay("max(1000, 10 * -retried)")(2)).toBe(1_000);
    expect(() => compileRetryDelay("process.exit(1)")).toThrow();
    expect(() => compileRetryDelay("1 +")).toThrow();
  });

  it("reads the destination, query string included, from the raw URL", () => {
    const raw = "http://q:8081/v2/publish/http://127.0.0.1:9/ingest?a=1&b=2";
    expect(readDestination(raw, "/v2/publish/")).toEqual({
      kind: "url",
      url: "http://127.0.0.1:9/ingest?a=1&b=2",
    });
    expect(readDestination("http://q/v2/publish/readers", "/v2/publish/")).toEqual({
      kind: "urlGroup",
      name: "readers",
    });
    expect(readDestination("http://q/v2/publish/bad name", "/v2/publish/")).toBeUndefined();
  });

  it("hashes the body as padded base64url", () => {
    expect(bodyHashClaim(new Uint8Array())).toBe("47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU=");
  });

  it("validates fault options and plans the same faults for the same inputs", () => {
    expect(updateFaults(NO_FAULTS, { reorder: -0.1 })).toEqual({
      ok: false,
      error: "reorder must be between 0 and 1",
    });
    expect(updateFaults(NO_FAULTS, { chaos: 1 }).ok).toBe(false);
    const config = { ...NO_FAULTS, drop: 0.5, duplicate: 0.5, reorder: 0.5, seed: 3 };
    expect(planFaults(config, 7, 1)).toEqual(planFaults(config, 7, 1));
    expect(planFaults({ ...config, drop: 1 }, 7, 1)).toMatchObject({
      drop: true,
      duplicate: false,
    });
  });

  it("pages list results with an opaque cursor", () => {
    const query = parseListQuery(new URLSearchParams("count=2&url=a&url=b"), "dlq");
    expect(query.url).toEqual(["a", "b"]);
    expect(paginate([1, 2, 3], query)).toEqual({ items: [1, 2], cursor: "2" });
    expect(paginate([1, 2, 3], { ...query, offset: 2 })).toEqual({ items: [3] });
  });
});
