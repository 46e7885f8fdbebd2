import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventLog } from "../../../testing/eventLog.ts";
import { readsOf } from "../../../testing/modelReads.ts";
import { type LocalUpstash, startLocalUpstash } from "./localUpstash.ts";
import { createRedisViewStore } from "./redisViewStore.ts";

let upstash: LocalUpstash;
beforeAll(async () => {
  upstash = await startLocalUpstash();
});
afterAll(async () => {
  await upstash?.stop();
});

const keysUnder = async (prefix: string) =>
  (await upstash.client({ automaticDeserialization: false }).keys(`${prefix}*`))
    .map((k) => k.slice(prefix.length))
    .sort();

describe("the Redis facet layout", () => {
  it("keeps one length-prefixed zset per name and value and a count hash per name", async () => {
    const prefix = "facets:layout:";
    const store = createRedisViewStore(upstash.client(), { prefix });
    const log = new EventLog();
    const c = log.category("c", "C");
    log.product({ id: "p1", slug: "p1", name: "One", categoryId: c, attributes: { a: "bc" } });
    log.product({ id: "p2", slug: "p2", name: "Two", categoryId: c, attributes: { ab: "c" } });
    await store.apply(log.events);
    const facetKeys = (await keysUnder(prefix)).filter((k) => k.startsWith("facet"));
    expect(facetKeys).toEqual(["facet-values:a", "facet-values:ab", "facet:1:abc", "facet:2:abc"]);
  });

  it("leaves no facet key, count or record behind once the products leave", async () => {
    const prefix = "facets:leave:";
    const store = createRedisViewStore(upstash.client(), { prefix });
    const log = new EventLog();
    const c = log.category("c", "C");
    const p1 = log.product({ slug: "p1", name: "One", categoryId: c, attributes: { a: "x" } });
    const p2 = log.product({ slug: "p2", name: "Two", categoryId: c, attributes: { a: "x" } });
    await store.apply(log.events);
    await store.apply([log.archive(p1), log.delete(p2)]);
    const left = (await keysUnder(prefix)).filter(
      (k) => k.startsWith("facet") || k.startsWith("attribute") || k === "index:attribute",
    );
    expect(left).toEqual([]);
    expect((await readsOf(store).attributeValues({ name: "a" })).data).toEqual({
      name: "a",
      values: [],
    });
  });
});
