import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { wakeupCost } from "./wakeupCost.ts";

describe("wakeup cost", () => {
  it.runIf(existsSync("/proc/self/stat"))(
    "drives a bare server at each rate in turn and reads the CPU it used per request answered",
    async () => {
      const costs = await wakeupCost([100, 1_000], 1_000);
      expect(costs?.map((c) => c.rate)).toEqual([100, 1_000]);
      for (const c of costs ?? []) {
        expect(c.requests).toBeGreaterThan(0);
        // answering hundreds of requests costs the server some clock ticks of CPU
        expect(c.cpuUsPerRequest).toBeGreaterThan(0);
        expect(Number.isFinite(c.cpuUsPerRequest)).toBe(true);
      }
    },
  );
});
