import { join } from "node:path";
import { Client } from "@upstash/qstash";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitForHttp } from "../../local/stack/processGroup.ts";
import { parseReaderStatus } from "../../shared/status/readerStatus.ts";
import type { GenerationStatus } from "../../shared/views/generations/generationStatus.ts";
import { useTestStack } from "../e2e/testStack.ts";
import {
  countHostileInputs,
  type ScenarioRecord,
  summarize,
  summaryTable,
  writeSummary,
} from "./chaosSummary.ts";
import { type Accepted, proveConvergence } from "./convergence.ts";
import { loadProducts } from "./loadCatalog.ts";
import { runLoadWithFaults, standardQStashFaults } from "./loadWithFaults.ts";
import { poisonScenario } from "./poisonScenario.ts";

// kill -9 of each moving part while commands flow, a restart, and then the
// promise: nothing committed is lost and every replica converges on the primary.
// short QStash backoff, so a push to a dead reader reaches the dead-letter queue within seconds
const t = useTestStack("chaos", { QSTASH_RETRY_MAX_MS: "300" });
let products: { id: string; slug: string; status: string }[] = [];
const scenarios: ScenarioRecord[] = [];
beforeAll(async () => {
  products = await t.client.createdProducts();
});

const service = (name: string) => {
  const spec = t.launched.plan.services.find((s) => s.name === name);
  if (!spec) throw new Error(`no service ${name} in the plan`);
  return spec;
};

const accepted = (product: { id: string; slug: string; status: string }, version: number) => ({
  aggregateId: product.id,
  version,
  // drafts have no page to look at; their events are still checked in the log
  ...(product.status === "active" ? { productSlug: product.slug } : {}),
});

/** Sends `count` stock adjustments, killing `victim` after the first third; returns what was accepted. */
async function writeThroughCrash(victim: string, count: number, offset: number) {
  const done: Accepted[] = [];
  for (let i = 0; i < count; i++) {
    if (i === Math.floor(count / 3)) t.launched.group.kill(victim);
    const product = products[(offset + i) % products.length];
    if (!product) throw new Error("the demo catalog has no products");
    const res = await t.client.command({ type: "product.adjustStock", id: product.id, delta: 1 });
    expect(res.status).toBe(200);
    done.push(accepted(product, ((await res.json()) as { version: number }).version));
  }
  return done;
}

const generationOf = async (url: string): Promise<GenerationStatus> => {
  const parsed = parseReaderStatus(await (await fetch(`${url}/v1/status`)).json());
  if (!parsed.ok) throw new Error(`${url}: ${parsed.error}`);
  if (!parsed.status.generation) throw new Error(`${url} has no view generations`);
  return parsed.status.generation;
};

/** Polls `probe` until it answers something, for at most 60 s. */
async function until<T>(what: string, probe: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const found = await probe();
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** kill -9 a reader, wait until its port is free, start it from `spec`. */
async function restartReader(url: string, spec: ReturnType<typeof service>) {
  t.launched.group.kill(spec.name);
  await until(`${spec.name} to die`, () =>
    fetch(`${url}/healthz`).then(
      () => null,
      () => true,
    ),
  );
  t.launched.group.start(spec);
  await waitForHttp(`${url}/healthz`, 30_000);
}

/**
 * After a scenario: every reader equals the primary, which equals a fresh
 * rebuild, and shows every accepted version. Recorded for the suite's summary
 * before it is asserted, so the summary tells what was measured.
 */
async function expectConvergence(name: string, faults: number, done: readonly Accepted[]) {
  const report = await proveConvergence({
    stack: t.launched.stack,
    dataDir: t.dataDir,
    accepted: done,
    deadlineMs: 90_000,
  });
  scenarios.push({
    name,
    faults,
    accepted: done.length,
    lost: report.lost.length,
    divergent: report.divergent.length,
  });
  expect(report.divergent).toEqual([]);
  expect(report.lost).toEqual([]);
  return report;
}

afterAll(() => {
  const summary = summarize("chaos", scenarios, countHostileInputs(process.cwd()));
  const path = writeSummary(join(".data", "chaos-summary.json"), summary);
  console.log(`${summaryTable(summary)}\n(written to ${path})`);
}, 120_000);

describe("chaos: kill -9 and restart, then convergence", { timeout: 150_000 }, () => {
  it("a Bun reader on its embedded store, mid-apply", async () => {
    const done = await writeThroughCrash("us-bun", 30, 0);
    t.launched.group.start(service("us-bun"));
    await waitForHttp(`${t.launched.stack.readers[1]?.url}/healthz`, 30_000);
    await expectConvergence("kill -9 us-bun (bun, libSQL) mid-apply", 1, done);
  });

  it("a Bun reader mid-rebuild: after the restart the rebuild resumes from its own watermark and switches", async () => {
    const url = t.launched.stack.readers[1]?.url ?? "";
    const spec = service("us-bun");
    // a throttled build, 50 events a step 300 ms apart (not one bulk load), is still under way when the kill lands
    const throttled = {
      ...spec,
      env: {
        ...spec.env,
        VIEW_BUILD_BULK: "0",
        VIEW_BUILD_STEP_EVENTS: "50",
        VIEW_BUILD_PAUSE_MS: "300",
      },
    };
    await restartReader(url, throttled);
    const before = await generationOf(url);
    const started = await fetch(`${url}/v1/admin/rebuild`, {
      method: "POST",
      headers: { authorization: `Bearer ${t.launched.stack.tokens.admin}` },
    });
    expect(started.status).toBe(202);
    const interrupted = await until("the build applied its first steps", async () => {
      const b = (await generationOf(url)).building;
      return b && b.watermark >= 50 && b.head !== null && b.watermark < b.head ? b : null;
    });

    await restartReader(url, throttled);
    const resumed = (await generationOf(url)).building;
    expect(resumed).toMatchObject({ namespace: interrupted.namespace, epoch: before.epoch + 1 });
    // where this run started: the new namespace's own watermark, not seq 0
    expect((resumed?.watermark ?? 0) - (resumed?.applied ?? 0)).toBeGreaterThanOrEqual(
      interrupted.watermark,
    );
    await until("the resumed build switched", async () => {
      const g = await generationOf(url);
      return g.active === interrupted.namespace && g.building === null ? g : null;
    });
    await restartReader(url, spec);
    await expectConvergence("kill -9 us-bun mid-rebuild, resumed and switched", 1, []);
  });

  it("the workerd reader on the Redis store, mid-apply", async () => {
    const done = await writeThroughCrash("eu-workerd", 30, 30);
    t.launched.group.start(service("eu-workerd"));
    await waitForHttp(`${t.launched.stack.readers[0]?.url}/healthz`, 90_000);
    await expectConvergence("kill -9 eu-workerd (workerd, Redis) mid-apply", 1, done);
  });

  it("the workerd reader on the D1 store, mid-apply", async () => {
    const done = await writeThroughCrash("sa-d1", 30, 200);
    t.launched.group.start(service("sa-d1"));
    await waitForHttp(`${t.launched.stack.readers[3]?.url}/healthz`, 90_000);
    await expectConvergence("kill -9 sa-d1 (workerd, D1) mid-apply", 1, done);
  });

  it("redis-server under the Redis store", async () => {
    const done = await writeThroughCrash("redis-server", 30, 60);
    t.launched.group.start(service("redis-server"));
    await expectConvergence("kill -9 redis-server", 1, done);
  });

  it("the local QStash server, with deliveries in flight", async () => {
    const done = await writeThroughCrash("qstash", 30, 90);
    t.launched.group.start(service("qstash"));
    await waitForHttp(`${t.launched.stack.qstash.url}/local/health`, 30_000);
    // The restarted QStash lost its URL group: the relay restores it and publishes
    // what it could not, while the readers' reconcile keeps them current meanwhile.
    await expectConvergence("kill -9 QStash with deliveries in flight", 1, done);
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
    const send = async (product: { id: string; slug: string; status: string }) => {
      const res = await t.client.command({ type: "product.adjustStock", id: product.id, delta: 1 });
      return { product, status: res.status, body: (await res.json()) as { version?: number } };
    };
    // a first wave answered, so some accepted commands must survive the crash…
    const first = await Promise.allSettled(products.slice(120, 130).map(send));
    // …and a second wave in flight when the process dies: none may be half-written
    const second = await Promise.allSettled(
      products.slice(130, 150).map((product, i) => {
        if (i === 5) t.launched.group.kill("write-api");
        return send(product);
      }),
    );
    const sent = [...first, ...second];
    const answered = (s: (typeof sent)[number]) =>
      s.status === "fulfilled" && s.value.status === 200;
    expect(first.filter(answered)).toHaveLength(10);
    t.launched.group.start(service("write-api"));
    await waitForHttp(`${t.launched.stack.writeApi.url}/healthz`, 30_000);
    const done = sent.flatMap((s) =>
      s.status === "fulfilled" && s.value.status === 200 && s.value.body.version !== undefined
        ? [accepted(s.value.product, s.value.body.version)]
        : [],
    );
    await expectConvergence("kill -9 write API mid-burst", 1, done);
  });

  it("dead-lettered pushes to a reader that was down redrive idempotently", async () => {
    const qstash = new Client({
      baseUrl: t.launched.stack.qstash.url,
      token: t.launched.secrets.qstashToken,
      devMode: false,
    });
    const dlqBefore = (await qstash.dlq.listMessages()).messages.length;
    t.launched.group.kill("ap-deno");
    const done = await writeThroughCrash("ap-deno", 6, 150);
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
    const caughtUp = await expectConvergence("kill -9 ap-deno, pushes dead-lettered", 1, done);
    // the reader caught up by reconcile already: redriving the dead pushes changes nothing, twice
    await qstash.dlq.retry(dead.map((d) => d.dlqId));
    await waitForHttp(`${t.launched.stack.qstash.url}/local/idle?timeoutMs=20000`, 30_000, {
      headers: { authorization: `Bearer ${t.launched.secrets.qstashToken}` },
    });
    const redriven = await expectConvergence("redrive of those pushes", dead.length, done);
    expect(redriven.digest).toBe(caughtUp.digest);
  });
});

describe("chaos: poison events", { timeout: 240_000 }, () => {
  it("an event one reader's store cannot apply is dead-lettered and reported, never skipped, and redrives idempotently after the fix", async () => {
    const active = products.filter((p) => p.status === "active");
    const [victim, ...others] = active.slice(160);
    if (!victim || others.length < 3) throw new Error("the demo catalog is too small");
    const result = await poisonScenario({ t, victim, others: others.slice(0, 3) });
    scenarios.push(result.record);
    expect(result.record.divergent).toBe(0);
    expect(result.record.lost).toBe(0);
  });
});

describe("chaos: sustained load with faults", { timeout: 300_000 }, () => {
  it("mixed writes and reads on every reader through QStash faults, a reader and redis-server killed: nothing lost, all converge", async () => {
    const slugs = products.filter((p) => p.status === "active").map((p) => p.slug);
    const loadable = await loadProducts(t.launched.stack, slugs.slice(180, 240));
    expect(loadable.length).toBeGreaterThan(10);
    const report = await runLoadWithFaults({
      launched: t.launched,
      products: loadable,
      durationMs: 40_000,
      victims: ["us-bun", "redis-server"],
      downMs: 2_000,
      qstashFaults: standardQStashFaults(7),
      writesPerSecond: 15,
      readsPerSecond: 40,
      seed: 20261125,
    });
    const proof = await proveConvergence({
      stack: t.launched.stack,
      dataDir: t.dataDir,
      accepted: report.accepted,
      deadlineMs: 120_000,
    });
    const hits = report.qstashFaultHits;
    scenarios.push({
      name: "40 s mixed load, QStash faults, kill -9 us-bun and redis-server",
      faults: report.kills + hits.dropped + hits.duplicated + hits.reordered + hits.delayed,
      accepted: report.accepted.length,
      lost: proof.lost.length,
      divergent: proof.divergent.length,
      requests: report.served,
      errors: report.errors,
      maxLagEvents: report.maxLagEvents,
    });
    expect(report.kills).toBe(2);
    expect(hits.dropped + hits.duplicated + hits.reordered + hits.delayed).toBeGreaterThan(0);
    expect(report.accepted.length).toBeGreaterThan(50);
    // the write API was never a victim: every command it was sent, it accepted
    expect(Object.keys(report.errors).filter((k) => k.startsWith("write"))).toEqual([]);
    expect(report.staleTokenReads).toBe(0);
    expect(proof.divergent).toEqual([]);
    expect(proof.lost).toEqual([]);
  });
});
