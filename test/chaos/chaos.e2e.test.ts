import { join } from "node:path";
import { Client } from "@upstash/qstash";
import { beforeAll, describe, expect, it } from "vitest";
import { waitForHttp } from "../../local/stack/processGroup.ts";
import { httpEventSource } from "../../shared/events/eventSource.ts";
import { openSqlViewStore } from "../../shared/views/sql/openSqlViewStore.ts";
import { rebuildViews } from "../../tools/rebuild/rebuildViews.ts";
import { useTestStack } from "../e2e/testStack.ts";

// kill -9 of each moving part while commands flow, a restart, and then the
// promise: nothing committed is lost and every replica converges on the primary.
// short QStash backoff, so a push to a dead reader reaches the dead-letter queue within seconds
const t = useTestStack("chaos", { QSTASH_RETRY_MAX_MS: "300" });
let productIds: string[] = [];
beforeAll(async () => {
  productIds = (await t.client.createdProducts()).map((p) => p.id);
});

const service = (name: string) => {
  const spec = t.launched.plan.services.find((s) => s.name === name);
  if (!spec) throw new Error(`no service ${name} in the plan`);
  return spec;
};

/** Sends `count` stock adjustments, killing `victim` after the first third; returns the highest version answered. */
async function writeThroughCrash(victim: string, count: number, offset: number): Promise<number> {
  let highest = 0;
  for (let i = 0; i < count; i++) {
    if (i === Math.floor(count / 3)) t.launched.group.kill(victim);
    const id = productIds[(offset + i) % productIds.length];
    const res = await t.client.command({ type: "product.adjustStock", id, delta: 1 });
    expect(res.status).toBe(200);
    highest = Math.max(highest, ((await res.json()) as { version: number }).version);
  }
  return highest;
}

/** After a scenario: every reader equals the primary, which equals a fresh rebuild, and holds every accepted version. */
async function expectConvergence(highest: number) {
  const { head, digest } = await t.client.converged(90_000);
  expect(head).toBeGreaterThanOrEqual(highest);
  const store = await openSqlViewStore(join(t.dataDir, `rebuild-${head}.db`));
  try {
    const summary = await rebuildViews({
      store,
      source: httpEventSource({
        url: t.launched.stack.writeApi.url,
        readerToken: t.launched.stack.tokens.reader,
      }),
    });
    expect(summary).toMatchObject({ watermark: head, digest });
  } finally {
    await store.close();
  }
}

describe("chaos: kill -9 and restart, then convergence", { timeout: 150_000 }, () => {
  it("a Bun reader on its embedded store, mid-apply", async () => {
    const highest = await writeThroughCrash("us-bun", 30, 0);
    t.launched.group.start(service("us-bun"));
    await waitForHttp(`${t.launched.stack.readers[1]?.url}/healthz`, 30_000);
    await expectConvergence(highest);
  });

  it("the workerd reader on the Redis store, mid-apply", async () => {
    const highest = await writeThroughCrash("eu-workerd", 30, 30);
    t.launched.group.start(service("eu-workerd"));
    await waitForHttp(`${t.launched.stack.readers[0]?.url}/healthz`, 90_000);
    await expectConvergence(highest);
  });

  it("redis-server under the Redis store", async () => {
    const highest = await writeThroughCrash("redis-server", 30, 60);
    t.launched.group.start(service("redis-server"));
    await expectConvergence(highest);
  });

  it("the local QStash server, with deliveries in flight", async () => {
    const highest = await writeThroughCrash("qstash", 30, 90);
    t.launched.group.start(service("qstash"));
    await waitForHttp(`${t.launched.stack.qstash.url}/local/health`, 30_000);
    // The restarted QStash lost its URL group: the relay restores it and publishes
    // what it could not, while the readers' reconcile keeps them current meanwhile.
    await expectConvergence(highest);
    const until = Date.now() + 30_000;
    for (;;) {
      const status = await t.client.primaryStatus();
      if (status.published === status.head) break;
      if (Date.now() > until)
        throw new Error(`the relay did not catch up: ${JSON.stringify(status)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  it("the write API, mid-burst of commands", async () => {
    const ids = productIds.slice(120, 150);
    const sent = await Promise.allSettled(
      ids.map(async (id, i) => {
        if (i === 10) t.launched.group.kill("write-api");
        const res = await t.client.command({ type: "product.adjustStock", id, delta: 1 });
        return { status: res.status, body: (await res.json()) as { version?: number } };
      }),
    );
    t.launched.group.start(service("write-api"));
    await waitForHttp(`${t.launched.stack.writeApi.url}/healthz`, 30_000);
    const accepted = sent.flatMap((s) =>
      s.status === "fulfilled" && s.value.status === 200 ? [s.value.body.version ?? 0] : [],
    );
    await expectConvergence(Math.max(0, ...accepted));
  });

  it("dead-lettered pushes to a reader that was down redrive idempotently", async () => {
    const qstash = new Client({
      baseUrl: t.launched.stack.qstash.url,
      token: t.launched.secrets.qstashToken,
      devMode: false,
    });
    const dlqBefore = (await qstash.dlq.listMessages()).messages.length;
    t.launched.group.kill("ap-deno");
    const highest = await writeThroughCrash("ap-deno", 6, 150);
    // QStash gives up on the dead reader after its retries (a few hundred ms here)
    const until = Date.now() + 30_000;
    let dead: { dlqId: string }[] = [];
    while (dead.length === 0 && Date.now() < until) {
      dead = (await qstash.dlq.listMessages()).messages.slice(dlqBefore) as { dlqId: string }[];
      if (dead.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(dead.length).toBeGreaterThan(0);
    t.launched.group.start(service("ap-deno"));
    await waitForHttp(`${t.launched.stack.readers[2]?.url}/healthz`, 30_000);
    await expectConvergence(highest);
    // the reader caught up by reconcile already: redriving the dead pushes changes nothing, twice
    const { digest } = await t.client.primaryStatus();
    await qstash.dlq.retry(dead.map((d) => d.dlqId));
    await waitForHttp(`${t.launched.stack.qstash.url}/local/idle?timeoutMs=20000`, 30_000, {
      headers: { authorization: `Bearer ${t.launched.secrets.qstashToken}` },
    });
    await expectConvergence(highest);
    expect((await t.client.primaryStatus()).digest).toBe(digest);
  });
});
