import { join } from "node:path";
import { expect } from "vitest";
import { z } from "zod";
import { waitForHttp } from "../../local/stack/processGroup.ts";
import { parseReaderStatus, type ReaderStatus } from "../../shared/status/readerStatus.ts";
import { runCqrs } from "../../tools/cqrs/cli.ts";
import { listDlq, qstashDlq } from "../../tools/cqrs/dlq.ts";
import type { TestStack } from "../e2e/testStack.ts";
import type { ScenarioRecord } from "./chaosSummary.ts";
import { type Accepted, proveConvergence } from "./convergence.ts";
import { damageRedisProduct, damageSqlProduct } from "./storeSurgery.ts";

interface Product {
  id: string;
  slug: string;
}

/** The last seq of the push a reader refused, from `lastPoison.details` (see `applyFault`). */
const poisonedUpTo = (s: ReaderStatus) =>
  z.object({ to: z.number() }).safeParse(s.lastPoison?.details).data?.to;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | null>, deadlineMs = 60_000) {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/**
 * The poison drill on a running stack. One product's record is damaged in
 * two readers' stores (us-bun's libSQL file, eu-workerd's Redis), so the next
 * event about it — valid in the primary's log, applied by the third reader —
 * cannot be applied there. Checks that those pushes end in QStash's DLQ after
 * its retries, that both readers report it on `/v1/status` and stay exactly
 * where they were (watermark and digest) while more events arrive, that a read
 * needing the newer version goes to the primary, and that after the records
 * are restored both catch up and a redrive through `cqrs dlq redrive` changes
 * nothing more: every replica equals the primary and a fresh rebuild.
 */
export async function poisonScenario(o: {
  t: TestStack;
  victim: Product;
  others: Product[];
}): Promise<{ record: ScenarioRecord }> {
  const { stack, secrets, plan } = o.t.launched;
  const region = (name: string) => o.t.client.reader(name);
  const poisoned = [region("us-bun"), region("eu-workerd")];
  const healthy = region("ap-deno");
  const status = async (url: string): Promise<ReaderStatus> => {
    const parsed = parseReaderStatus(await (await fetch(`${url}/v1/status?fresh=1`)).json());
    if (!parsed.ok) throw new Error(`${url}: ${parsed.error}`);
    return parsed.status;
  };
  const dlq = qstashDlq({ url: stack.qstash.url, token: secrets.qstashToken });
  const qstashIdle = () =>
    waitForHttp(`${stack.qstash.url}/local/idle?timeoutMs=30000`, 60_000, {
      headers: { authorization: `Bearer ${secrets.qstashToken}` },
    });
  const adjust = async (p: Product): Promise<Accepted> => {
    const res = await o.t.client.command({ type: "product.adjustStock", id: p.id, delta: 1 });
    expect(res.status).toBe(200);
    const { version } = (await res.json()) as { version: number };
    return { aggregateId: p.id, version, productSlug: p.slug };
  };

  await o.t.client.converged(90_000);
  await qstashIdle();
  const deadBefore = new Set((await listDlq(dlq)).map((e) => e.dlqId));
  const sqlFile = plan.services.find((s) => s.name === "us-bun")?.env?.VIEW_DB_URL;
  if (!sqlFile) throw new Error("us-bun has no VIEW_DB_URL");
  const damage = [
    await damageSqlProduct(sqlFile, o.victim.id),
    await damageRedisProduct(
      { url: plan.urls.redisRest, token: secrets.redisRestToken },
      o.victim.id,
    ),
  ];
  const damagedAt = Date.now();

  const poison = await adjust(o.victim);
  await until("the healthy reader to apply the event", async () =>
    (await status(healthy.url)).watermark >= poison.version ? true : null,
  );
  const newDead = async () => (await listDlq(dlq)).filter((e) => !deadBefore.has(e.dlqId));
  for (const r of poisoned) {
    await until(`a dead-lettered push to ${r.region}`, async () =>
      (await newDead()).some((e) => e.url.startsWith(`${r.url}/`)) ? true : null,
    );
  }
  const stuck = new Map<string, ReaderStatus>();
  for (const r of poisoned) {
    const s = await status(r.url);
    expect(s.watermark, r.region).toBe(poison.version - 1);
    expect(s.lastPoison, r.region).not.toBeNull();
    expect(Date.parse(s.lastPoison?.at ?? "")).toBeGreaterThanOrEqual(damagedAt - 1_000);
    expect(poisonedUpTo(s)).toBeGreaterThanOrEqual(poison.version);
    stuck.set(r.region, s);
  }

  // Later events cannot jump the queue: the stuck readers stay exactly where they were.
  const later: Accepted[] = [];
  for (const p of o.others) later.push(await adjust(p));
  const last = later.at(-1)?.version ?? poison.version;
  await until("the healthy reader to apply the later events", async () =>
    (await status(healthy.url)).watermark >= last ? true : null,
  );
  await qstashIdle();
  for (const r of poisoned) {
    const s = await status(r.url);
    expect(s.watermark, r.region).toBe(poison.version - 1);
    expect(s.digest, r.region).toBe(stuck.get(r.region)?.digest);
    // a read that needs what the replica cannot apply is served by the primary
    const res = await fetch(`${r.url}/v1/products/${o.victim.slug}?minVersion=${poison.version}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-served-by")).toBe("primary");
  }
  const dead = await newDead();

  // The fix: the damaged records put back. Reconcile brings both readers up.
  for (const d of damage) await d.restore();
  const accepted = [poison, ...later];
  const fixed = await proveConvergence({
    stack,
    dataDir: o.t.dataDir,
    accepted,
    deadlineMs: 90_000,
  });
  expect(fixed.divergent).toEqual([]);
  expect(fixed.lost).toEqual([]);

  // Redrive with the operator's CLI: every push is acknowledged (a duplicate now), nothing changes.
  let out = "";
  const code = await runCqrs(
    [
      "dlq",
      "redrive",
      ...dead.map((e) => e.dlqId),
      "--stack",
      join(o.t.dataDir, "stack.json"),
      "--qstash-token",
      secrets.qstashToken,
      "--json",
    ],
    {
      stdout: (text) => {
        out += text;
      },
      stderr: { write: () => undefined, isTTY: false },
      env: {},
      cwd: process.cwd(),
    },
  );
  expect(code).toBe(0);
  const { redriven } = JSON.parse(out) as { redriven: { messageId: string }[] };
  expect(redriven).toHaveLength(dead.length);
  await qstashIdle();
  for (const { messageId } of redriven) {
    const res = await fetch(`${stack.qstash.url}/v2/messages/${messageId}`, {
      headers: { authorization: `Bearer ${secrets.qstashToken}` },
    });
    expect(((await res.json()) as { state?: string }).state, messageId).toBe("DELIVERED");
  }
  const after = await proveConvergence({
    stack,
    dataDir: o.t.dataDir,
    accepted,
    deadlineMs: 90_000,
  });
  expect(after.head).toBe(fixed.head);
  expect(after.digest).toBe(fixed.digest);
  return {
    record: {
      name: "poison event in 2 stores: DLQ, status, fix, CLI redrive",
      faults: damage.length + dead.length,
      accepted: accepted.length,
      lost: after.lost.length,
      divergent: after.divergent.length,
    },
  };
}
