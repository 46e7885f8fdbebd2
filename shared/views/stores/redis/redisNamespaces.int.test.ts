import { afterAll, beforeAll } from "vitest";
import { testViewNamespaces } from "../../../testing/generationsContract.ts";
import { redisKeys } from "./keys.ts";
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
/** The previous layout stamped nothing: a namespace without a stamp is read as layout 1. */
const ageLayout = (base: string) => async (namespace: string) => {
  await upstash.client().del(redisKeys(`${base}${namespace}:`).layout);
};

testViewNamespaces("Upstash Redis", async () => {
  const prefix = `generations:${bases++}:`;
  const open = () =>
    redisViewNamespaces(upstash.client({ automaticDeserialization: false }), { prefix });
  return {
    namespaces: open(),
    second: async () => open(),
    ageLayout: ageLayout(prefix),
    cleanup: async () => {},
  };
});

testViewNamespaces("Upstash Redis, client defaults", async () => {
  const prefix = `generations-defaults:${bases++}:`;
  const open = () => redisViewNamespaces(upstash.client(), { prefix });
  return {
    namespaces: open(),
    second: async () => open(),
    ageLayout: ageLayout(prefix),
    cleanup: async () => {},
  };
});
