import { describe, expect, it } from "vitest";
import { parseReaderStatus, type ReaderStatus } from "../../shared/status/readerStatus.ts";
import { useTestStack } from "../e2e/testStack.ts";
import { tamperRedisPage, tamperSqlPage } from "./storeSurgery.ts";

const reconcileMs = 1_000;
// Self-heal compares on every reconcile here, and may heal at once: the bound is the
// int test's (edge-reader/selfHeal); this is the whole stack with no operator.
const t = useTestStack("self-heal", {
  RECONCILE_INTERVAL_MS: String(reconcileMs),
  SELF_HEAL_CHECK_MS: String(reconcileMs),
  SELF_HEAL_MIN_INTERVAL_MS: "0",
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function status(url: string, fresh = false): Promise<ReaderStatus> {
  const parsed = parseReaderStatus(
    await (await fetch(`${url}/v1/status${fresh ? "?fresh=1" : ""}`)).json(),
  );
  if (!parsed.ok) throw new Error(`${url}: ${parsed.error}`);
  return parsed.status;
}

describe("chaos: replicas heal themselves", () => {
  it("a replica whose views were changed behind its back finds it, rebuilds and switches, with no operator", async () => {
    const { stack, plan, secrets } = t.launched;
    const { head, digest } = await t.client.converged(90_000);
    const [product] = (await t.client.createdProducts()).filter((p) => p.status === "active");
    if (!product) throw new Error("the demo catalog has no active product");
    const region = (name: string) => t.client.reader(name);
    const damaged = [region("us-bun"), region("eu-workerd")];
    const untouched = region("ap-deno");
    const before = new Map(
      await Promise.all(damaged.map(async (r) => [r.region, await status(r.url)] as const)),
    );

    const sqlFile = plan.services.find((s) => s.name === "us-bun")?.env?.VIEW_DB_URL;
    if (!sqlFile) throw new Error("us-bun has no VIEW_DB_URL");
    const tamperedAt = Date.now();
    await tamperSqlPage(sqlFile, product.slug);
    await tamperRedisPage(
      { url: plan.urls.redisRest, token: secrets.redisRestToken },
      product.slug,
    );
    for (const r of damaged) {
      const page = (await (await fetch(`${r.url}/v1/products/${product.slug}`)).json()) as {
        product: { name: string };
      };
      // a shopper is served the damage, and the kept digest cannot tell
      expect(page.product.name, r.region).toMatch(/^TAMPERED /);
      expect((await status(r.url, true)).digest, r.region).not.toBe(digest);
    }

    // No writes from here on, no operator: every damaged region must find it and switch.
    const healedAt = new Map<string, number>();
    const deadline = Date.now() + 120_000;
    while (healedAt.size < damaged.length) {
      if (Date.now() > deadline) {
        throw new Error(
          `not healed: ${damaged.filter((r) => !healedAt.has(r.region)).map((r) => r.region)}`,
        );
      }
      for (const r of damaged) {
        if (healedAt.has(r.region)) continue;
        const s = await status(r.url).catch(() => null);
        const switched =
          s?.generation && s.generation.epoch > (before.get(r.region)?.generation?.epoch ?? 0);
        if (s && switched && s.generation?.building === null) healedAt.set(r.region, Date.now());
      }
      await sleep(100);
    }

    for (const r of damaged) {
      const s = await status(r.url, true);
      expect(s.watermark, r.region).toBe(head);
      expect(s.digest, r.region).toBe(digest);
      expect(s.selfHeal, r.region).toMatchObject({ heals: 1 });
      expect(s.generation?.active, r.region).not.toBe(before.get(r.region)?.generation?.active);
      const page = (await (await fetch(`${r.url}/v1/products/${product.slug}`)).json()) as {
        product: { name: string };
      };
      expect(page.product.name, r.region).not.toMatch(/^TAMPERED /);
      const metrics = await (await fetch(`${r.url}/metrics`)).text();
      expect(metrics, r.region).toMatch(/cqrs_self_heals_total 1/);
    }
    // the operator's dashboard marks the healed regions, and only them (the untouched ones too)
    const live = await (
      await fetch(`${stack.writeApi.url}/dashboard/live`, {
        headers: { authorization: `Bearer ${stack.tokens.admin}` },
      })
    ).text();
    for (const r of stack.readers) {
      const row = live.slice(live.indexOf(`data-region="${r.region}"`));
      const marked = row.slice(0, row.indexOf("</tr>")).includes('data-field="self-heal"');
      expect(marked, r.region).toBe(damaged.includes(r));
    }
    // the healthy region compared, agreed and rebuilt nothing
    const healthy = await status(untouched.url);
    expect(healthy.selfHeal).toMatchObject({ heals: 0, lastVerdict: "agree" });
    expect(healthy.digest).toBe(digest);
    // Reported, not asserted: how long healing took, in reconcile intervals (tests never time).
    for (const [name, at] of healedAt) {
      console.log(
        `${name} healed ${((at - tamperedAt) / reconcileMs).toFixed(1)} reconcile intervals after the damage`,
      );
    }
  });
});
