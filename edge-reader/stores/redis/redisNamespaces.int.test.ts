import { afterAll, beforeAll } from "vitest";
import { testViewNamespaces } from "../../../shared/testing/generationsContract.ts";
import { type LocalUpstash, startLocalUpstash } from "./localUpstash.ts";
import { redisViewNamespaces } from "./redisNamespaces.ts";

let upstash: LocalUpstash;
let bases = 0;

beforeAll(async () => {
  upstash = await startLocalUpstash();
});
afterAll(async () => {
  await upstash?.stop();
});

// Two clients on one base prefix stand for two Worker isolates on one database.
testViewNamespaces("Upstash Redis", async () => {
  const prefix = `generations:${bases++}:`;
  const open = () =>
    redisViewNamespaces(upstash.client({ automaticDeserialization: false }), { prefix });
  return { namespaces: open(), second: async () => open(), cleanup: async () => {} };
});

testViewNamespaces("Upstash Redis, client defaults", async () => {
  const prefix = `generations-defaults:${bases++}:`;
  const open = () => redisViewNamespaces(upstash.client(), { prefix });
  return { namespaces: open(), second: async () => open(), cleanup: async () => {} };
});
