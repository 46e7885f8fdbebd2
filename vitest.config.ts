import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.{unit,int,e2e}.test.ts"],
    exclude: ["node_modules/**", ".data/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration suites start real processes (redis-server, workerd, bun, deno);
    // two cores cannot run many of them at once without starving each other.
    maxWorkers: 2,
  },
});
