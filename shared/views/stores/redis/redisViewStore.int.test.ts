import { afterAll, beforeAll } from "vitest";
import { testViewStore } from "../../../testing/viewStoreContract.ts";
import { type LocalUpstash, startLocalUpstash } from "./localUpstash.ts";
import { createRedisViewStore } from "./redisViewStore.ts";

// A real redis-server behind the local Upstash REST server, driven only
// through the official client. Every store gets a prefix of its own, so no
// two stores (cases, or the two stores of one property run) share a key.
let upstash: LocalUpstash;
let stores = 0;

beforeAll(async () => {
  upstash = await startLocalUpstash();
});
afterAll(async () => {
  await upstash?.stop();
});

// As openStore.ts builds it: the client's defaults, JSON deserialization and
// auto-pipelining on.
testViewStore("Upstash Redis, client defaults", async () => {
  const store = createRedisViewStore(upstash.client(), { prefix: `contract:${stores++}:` });
  return { store, cleanup: () => store.close() };
});
