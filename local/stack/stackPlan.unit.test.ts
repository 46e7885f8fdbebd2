import { describe, expect, it } from "vitest";
import type { DevSecrets } from "./devSecrets.ts";
import { stackPlan } from "./stackPlan.ts";

const secrets: DevSecrets = {
  adminToken: "admin",
  readerToken: "reader",
  consistencySecret: "consistency",
  qstashToken: "qstash",
  qstashCurrentSigningKey: "current",
  qstashNextSigningKey: "next",
  redisRestToken: "rest",
};
const ports = { writeApi: 8080, qstash: 8081, redis: 8082, redisRest: 8083, readers: 8091 };
const writeApiOf = (env: NodeJS.ProcessEnv) => {
  const service = stackPlan({ dataDir: "/tmp/stack", ports, secrets, env }).services.find(
    (s) => s.name === "write-api",
  );
  return { command: service?.command, args: service?.args };
};

describe("the stack's write API runtime (WRITE_API_RUNTIME)", () => {
  it("is Node unless asked", () => {
    expect(writeApiOf({})).toEqual({
      command: process.execPath,
      args: ["--import", "tsx", "write-api/runtimes/node.ts"],
    });
  });

  it("starts the Bun or the Deno entry when asked", () => {
    expect(writeApiOf({ WRITE_API_RUNTIME: "bun" })).toEqual({
      command: "node_modules/.bin/bun",
      args: ["write-api/runtimes/bun.ts"],
    });
    expect(writeApiOf({ WRITE_API_RUNTIME: "deno" })).toEqual({
      command: "node_modules/.bin/deno",
      args: ["run", "-A", "--node-modules-dir=manual", "write-api/runtimes/deno.ts"],
    });
  });

  it("refuses a runtime it cannot start, naming the ones it can", () => {
    expect(() => writeApiOf({ WRITE_API_RUNTIME: "workerd" })).toThrow(
      'WRITE_API_RUNTIME must be one of node, bun, deno, got "workerd"',
    );
  });
});
