import { describe, expect, it } from "vitest";
import { summarize, summaryTable } from "./chaosSummary.ts";

const kill = { name: "kill -9 us-bun", faults: 1, accepted: 30, lost: 0, divergent: 0 };
const load = {
  name: "load",
  faults: 40,
  accepted: 200,
  lost: 1,
  divergent: 2,
  requests: 900,
  errors: { "read us-bun network": 3, "write 503": 1 },
  maxLagEvents: 12,
};

describe("the chaos summary", () => {
  it("adds up scenarios: faults, accepted, requests, errors by kind, the worst lag, lost and divergent", () => {
    const s = summarize(
      "chaos",
      [kill, load, { ...load, errors: { "write 503": 2 }, maxLagEvents: 5 }],
      null,
    );
    expect(s).toMatchObject({
      scenariosRun: 3,
      faultsInjected: 81,
      commandsAccepted: 430,
      requestsServed: 1_800,
      errors: { "read us-bun network": 3, "write 503": 3 },
      maxLagEvents: 12,
      lost: 2,
      divergentReplicas: 4,
    });
  });

  it("an empty run is all zeros, not NaN or -Infinity", () => {
    expect(summarize("soak", [], null)).toMatchObject({
      scenariosRun: 0,
      faultsInjected: 0,
      maxLagEvents: 0,
      lost: 0,
      divergentReplicas: 0,
    });
  });

  it("prints one row per scenario, the totals, the errors and the hostile inputs", () => {
    const hostile = { cases: 10, fuzzRuns: 100, total: 108 };
    const lines = summaryTable(summarize("chaos", [kill, load], hostile)).split("\n");
    expect(lines[0]).toBe("chaos summary");
    expect(lines.find((l) => l.startsWith("kill -9 us-bun"))?.split(/\s{2,}/)).toEqual([
      "kill -9 us-bun",
      "1",
      "30",
      "-",
      "-",
      "0",
      "0",
    ]);
    expect(lines.find((l) => l.startsWith("total"))?.split(/\s{2,}/)).toEqual([
      "total (2 scenarios)",
      "41",
      "230",
      "900",
      "12",
      "1",
      "2",
    ]);
    expect(lines).toContain("errors by kind: read us-bun network 3, write 503 1");
    expect(lines.at(-1)).toMatch(/^hostile inputs tried: 108 \(10 cases/);
  });
});
