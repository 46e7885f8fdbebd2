import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Client, Receiver } from "@upstash/qstash";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { localAdmin, waitFor } from "./testing/localAdmin.ts";
import { startTestReceiver, type TestReceiver } from "./testing/receiverApp.ts";

const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

const start = (env: Record<string, string>): Started => {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith("QSTASH_")),
  );
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    env: { ...clean, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on("data", (chunk) => {
    output += String(chunk);
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return { child, output: () => output, exited };
};

const printed = (output: string, name: string): string =>
  new RegExp(`^${name}=(.+)$`, "m").exec(output)?.[1] ?? "";

let receiver: TestReceiver;
beforeAll(async () => {
  receiver = await startTestReceiver();
});
afterAll(async () => {
  await receiver?.close();
});

describe("main.ts", () => {
  it("starts from env, prints generated credentials, serves the SDK and stops on SIGTERM", async () => {
    const run = start({ PORT: "0", QSTASH_FAULT_DUPLICATE: "1", QSTASH_FAULT_SEED: "9" });
    try {
      await waitFor(() => run.output().includes("QSTASH_NEXT_SIGNING_KEY="), 20_000, "startup");
      const url = printed(run.output(), "QSTASH_URL");
      const token = printed(run.output(), "QSTASH_TOKEN");
      expect(run.output()).toContain("generated: QSTASH_TOKEN, QSTASH_CURRENT_SIGNING_KEY");
      const verifier = new Receiver({
        currentSigningKey: printed(run.output(), "QSTASH_CURRENT_SIGNING_KEY"),
        nextSigningKey: printed(run.output(), "QSTASH_NEXT_SIGNING_KEY"),
      });

      const client = new Client({ baseUrl: url, token });
      const target = `${receiver.url}/from-main`;
      await client.publishJSON({ url: target, body: { hello: "main" } });
      await localAdmin(url, token).idle();
      const deliveries = receiver.at("/from-main");
      expect(deliveries).toHaveLength(2); // QSTASH_FAULT_DUPLICATE=1
      for (const d of deliveries) {
        await expect(
          verifier.verify({ signature: d.signature, body: d.body, url: target }),
        ).resolves.toBe(true);
      }
    } finally {
      run.child.kill("SIGTERM");
    }
    expect(await run.exited).toBe(0);
    expect(run.output()).toContain("SIGTERM: stopping");
  });

  it("exits 1 on an invalid fault option", async () => {
    const run = start({ PORT: "0", QSTASH_FAULT_DROP: "1.5" });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain("drop must be between 0 and 1");
  });
});
