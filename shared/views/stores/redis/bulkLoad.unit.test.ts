import { describe, expect, it } from "vitest";
import { HashSum, recordHash } from "../../../digest/index.ts";
import type { ViewRecord } from "../../../projection/records.ts";
import { bulkRequests } from "./bulkLoad.ts";

const bodyBytes = (args: string[]) => Buffer.byteLength(JSON.stringify(args), "utf8");

/** Pages whose keys and text are the worst case for JSON: escapes, control characters, CJK. */
function nastyRecords(count: number): ViewRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    kind: "page",
    key: `\u0001"\\\u0000${"界".repeat(i % 7)}-${i}`,
    value: { slug: `s${i}`, name: `"quoted" \\ 界界 \u0002 ${"x".repeat(i % 50)}` },
  })) as unknown as ViewRecord[];
}

describe("bulkRequests", () => {
  it("keeps every request body under the limit, however much its text escapes", () => {
    const records = nastyRecords(2_000);
    const maxBytes = 16 * 1024;
    const requests = [
      ...bulkRequests([records.slice(0, 700), records.slice(700)], maxBytes, new HashSum()),
    ];
    expect(requests.length).toBeGreaterThan(1);
    for (const args of requests) expect(bodyBytes(args)).toBeLessThanOrEqual(maxBytes);
    expect(requests.flat()).toHaveLength(records.length);
  });

  it("packs each record once as kind NUL hash json NUL key, and sums their hashes", () => {
    const records = nastyRecords(50);
    const sum = new HashSum();
    const args = [...bulkRequests([records], 1 << 20, sum)].flat();
    const expected = new HashSum();
    args.forEach((arg, i) => {
      const record = records[i] as ViewRecord;
      const json = JSON.stringify(record.value);
      const hash = recordHash(record.kind, record.key, json);
      expected.add(hash);
      expect(arg).toBe(`page\u0000${hash}${json}\u0000${record.key}`);
    });
    expect(sum.toString()).toBe(expected.toString());
  });
});
