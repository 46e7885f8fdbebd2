import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { type LaunchedStack, launchStack } from "../../local/stack/launchStack.ts";
import { stackClient } from "./stackClient.ts";
import { freeStackPorts } from "./stackPorts.ts";

export interface TestStack {
  launched: LaunchedStack;
  dataDir: string;
  client: ReturnType<typeof stackClient>;
}

/**
 * The whole local stack for one test file: launched on free ports in a temp
 * folder before its tests (fast reconcile and QStash retries, so scenarios
 * settle in seconds), stopped and removed after them.
 *
 * @example
 * const t = useTestStack("chaos", { QSTASH_RETRY_MAX_MS: "300" });
 * it("converges", () => t.client.converged());
 */
export function useTestStack(name: string, env: Record<string, string> = {}): TestStack {
  const fixture = {} as TestStack;
  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), `edge-cqrs-${name}-`));
    fixture.dataDir = dataDir;
    fixture.launched = await launchStack({
      dataDir,
      ports: await freeStackPorts(),
      echo: false,
      // self-heal off unless a test asks: scenarios damage stores on purpose and watch what follows
      env: {
        RECONCILE_INTERVAL_MS: "1000",
        QSTASH_RETRY_BASE_MS: "100",
        SELF_HEAL_CHECK_MS: "0",
        ...env,
      },
    });
    fixture.client = stackClient(fixture.launched.stack);
    await fixture.client.converged(90_000);
  }, 180_000);
  afterAll(async () => {
    await fixture.launched?.group.stopAll();
    if (fixture.dataDir) rmSync(fixture.dataDir, { recursive: true, force: true });
  }, 60_000);
  return fixture;
}
