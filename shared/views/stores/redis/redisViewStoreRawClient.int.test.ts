import { afterAll, beforeAll } from "vitest";
import { testViewStore } from "../../../testing/viewStoreContract.ts";
import { type LocalUpstash, startLocalUpstash } from "./localUpstash.ts";
import { createRedisViewStore } from "./redisViewStore.ts";

// The contract again through the client the store's docs recommend: no JSON
// deserialization, one request per command. Fewer property runs than the
// defaults' 200 in redisViewStore.int.test.ts: this file guards the reply
// decoding, which every case already exercises.
let upstash: LocalUpstash;
let stores = 0;

beforeAll(async () => {
  upstash = await startLocalUpstash();
});
afterAll(async () => {
  await upstash?.stop();
});

testViewStore(
  "Upstash Redis, automaticDeserialization and auto-pipelining off",
  async () => {
    const redis = upstash.client({ automaticDeserialization: false, enableAutoPipelining: false });
    const store = createRedisViewStore(redis, { prefix: `raw:${stores++}:` });
    return { store, cleanup: () => store.close() };
  },
  { propertyRuns: 50 },
);
