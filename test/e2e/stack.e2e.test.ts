import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { signPush } from "../../edge-reader/testing/signPush.ts";
import { waitForHttp } from "../../local/stack/processGroup.ts";
import { storefrontClient } from "../../shared/client/storefrontClient.ts";
import { httpEventSource } from "../../shared/events/eventSource.ts";
import { openSqlViewStore } from "../../shared/views/stores/sql/openSqlViewStore.ts";
import { rebuildViews } from "../../tools/rebuild/rebuildViews.ts";
import { useTestStack } from "./testStack.ts";

const t = useTestStack("stack");

const adminQstash = async (path: string, body: unknown) => {
  const res = await fetch(`${t.launched.stack.qstash.url}${path}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${t.launched.secrets.qstashToken}`,
      "content-type": "application/json",
    },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`local QStash refused ${path}: ${await res.text()}`);
};

const activeProducts = async () =>
  (await t.client.createdProducts()).filter((p) => p.status === "active");

const productIds = async () => (await t.client.createdProducts()).map((p) => p.id);

describe("the local stack, end to end over HTTP", () => {
  it("brings the demo catalog to every region: workerd + Redis, Bun and Deno + libSQL, workerd + D1", async () => {
    expect(t.launched.stack.readers.map((r) => `${r.runtime}+${r.store}`)).toEqual([
      "workerd+redis",
      "bun+sqlite",
      "deno+sqlite",
      "workerd+d1",
    ]);
    const { head } = await t.client.converged(90_000);
    expect(head).toBeGreaterThan(300);
  });

  it("delivers commands through QStash to every reader and matches a fresh rebuild", async () => {
    const ids = await productIds();
    for (const [i, id] of ids.slice(0, 30).entries()) {
      const command =
        i % 3 === 0
          ? { type: "product.changePrice", id, price: { amount: 2_000 + i, currency: "EUR" } }
          : { type: "product.adjustStock", id, delta: 2 };
      expect((await t.client.command(command)).status).toBe(200);
    }
    const { head, digest } = await t.client.converged();
    const target = join(t.dataDir, "rebuild-check.db");
    const store = await openSqlViewStore(target);
    const summary = await rebuildViews({
      store,
      source: httpEventSource({
        url: t.launched.stack.writeApi.url,
        readerToken: t.launched.stack.tokens.reader,
      }),
    });
    await store.close();
    expect(summary).toMatchObject({ watermark: head, digest });
  });

  it("reads a shopper's own write from every region at once", async () => {
    const [id] = await productIds();
    const shop = storefrontClient({
      writeApiUrl: t.launched.stack.writeApi.url,
      readerUrls: t.launched.stack.readers.map((r) => r.url),
      adminToken: t.launched.stack.tokens.admin,
    });
    await adminQstash("/local/faults", { delay: 1, delayMs: 3_000, seed: 3 });
    try {
      const { results } = await shop.command({
        type: "product.update",
        id: id ?? "",
        name: "Just Renamed Runner",
      });
      const write = shop.version;
      for (const reader of t.launched.stack.readers) {
        const page = await shop.search({ q: "just renamed runner" }, reader.url);
        expect(page.data?.items.map((p) => p.id)).toContain(results[0]?.id);
        expect(page.watermark).toBeGreaterThanOrEqual(write);
      }
    } finally {
      await adminQstash("/local/faults", { delay: 0, delayMs: 0 });
    }
  });

  it("serves another product at once to a session that just wrote one, and shows it its write, on every runtime", async () => {
    const [a, b] = (await activeProducts()).slice(60, 62);
    if (!a || !b) throw new Error("the demo catalog has too few active products");
    // pushes held back: every replica stays behind the write while the reads below run
    await adminQstash("/local/faults", { delay: 1, delayMs: 3_000, seed: 11 });
    try {
      for (const [i, reader] of t.launched.stack.readers.entries()) {
        const shop = storefrontClient({
          writeApiUrl: t.launched.stack.writeApi.url,
          readerUrls: reader.url,
          adminToken: t.launched.stack.tokens.admin,
        });
        const amount = 77_000 + i;
        const { version } = await shop.command({
          type: "product.changePrice",
          id: a.id,
          price: { amount, currency: "EUR" },
        });
        const other = await shop.productPage({ slug: b.slug });
        expect(other.servedBy, reader.region).toBe("replica");
        const own = await shop.productPage({ slug: a.slug });
        expect(own.data?.price.amount, reader.region).toBe(amount);
        expect(own.watermark, reader.region).toBeGreaterThanOrEqual(version);
      }
    } finally {
      await adminQstash("/local/faults", { delay: 0, delayMs: 0 });
    }
  });

  it("hands out no token past the log's head for a crafted ?minVersion=, on every runtime", async () => {
    const [product] = await activeProducts();
    for (const reader of t.launched.stack.readers) {
      const res = await fetch(`${reader.url}/v1/products/${product?.slug}?minVersion=99999999`);
      expect(res.status, reader.region).toBe(200);
      const token = res.headers.get("x-consistency-token") ?? "";
      const claims = JSON.parse(Buffer.from(token.split(".")[0] ?? "", "base64url").toString()) as {
        v: number;
      };
      const { head } = await t.client.primaryStatus();
      expect(claims.v, reader.region).toBeLessThanOrEqual(head);
      expect(claims.v, reader.region).toBeGreaterThan(0);
    }
  });

  it("refuses forged, tampered and misaddressed pushes on every runtime", async () => {
    const body = JSON.stringify({
      events: [
        {
          seq: 1,
          type: "category.renamed",
          aggregateId: "cat_x",
          data: { id: "cat_x", name: "Pwned" },
          at: "2026-01-01T00:00:00Z",
        },
      ],
    });
    const { qstashCurrentSigningKey: key } = t.launched.secrets;
    for (const reader of t.launched.stack.readers) {
      const ingest = `${reader.url}/v1/ingest`;
      const attempts = [
        { signature: await signPush({ key: "sig_forged_0123456789", url: ingest, body }), body },
        {
          signature: await signPush({ key, url: ingest, body }),
          body: body.replace("Pwned", "Pwned!"),
        },
        {
          signature: await signPush({
            key,
            url: `${t.launched.stack.readers[0]?.url}/other`,
            body,
          }),
          body,
        },
      ];
      for (const attempt of attempts) {
        const res = await fetch(ingest, {
          method: "POST",
          headers: { "upstash-signature": attempt.signature, "content-type": "application/json" },
          body: attempt.body,
        });
        expect({ region: reader.region, status: res.status }).toEqual({
          region: reader.region,
          status: 401,
        });
      }
    }
    await t.client.converged();
  });

  it("converges through duplicated, reordered, delayed and dropped deliveries", async () => {
    await adminQstash("/local/faults", {
      duplicate: 0.2,
      reorder: 0.2,
      drop: 0.2,
      delay: 0.2,
      delayMs: 500,
      seed: 11,
    });
    try {
      const ids = await productIds();
      for (const [i, id] of ids.slice(30, 90).entries()) {
        expect(
          (await t.client.command({ type: "product.adjustStock", id, delta: 1 + (i % 4) })).status,
        ).toBe(200);
      }
      await t.client.converged(90_000);
    } finally {
      await adminQstash("/local/faults", { duplicate: 0, reorder: 0, drop: 0, delay: 0 });
    }
  });

  it("lets many shoppers read their own writes from random regions while pushes lag", async () => {
    const products = (await activeProducts()).slice(100, 140);
    const readerUrls = t.launched.stack.readers.map((r) => r.url);
    await adminQstash("/local/faults", { delay: 1, delayMs: 1_500, seed: 5 });
    const served = { replica: 0, primary: 0 };
    const misses: string[] = [];
    try {
      await Promise.all(
        products.map(async (product, c) => {
          const shop = storefrontClient({
            writeApiUrl: t.launched.stack.writeApi.url,
            readerUrls,
            adminToken: t.launched.stack.tokens.admin,
          });
          for (let i = 0; i < 4; i++) {
            const amount = 10_000 + c * 100 + i;
            await shop.command({
              type: "product.changePrice",
              id: product.id,
              price: { amount, currency: "EUR" },
            });
            const reader = readerUrls[Math.floor(Math.random() * readerUrls.length)];
            const read = await shop.productPage({ slug: product.slug }, reader);
            served[read.servedBy]++;
            if (read.data?.price.amount !== amount)
              misses.push(`${product.slug}@${reader}: ${read.data?.price.amount} ≠ ${amount}`);
          }
        }),
      );
    } finally {
      await adminQstash("/local/faults", { delay: 0, delayMs: 0 });
    }
    const total = served.replica + served.primary;
    console.log(
      `read-your-writes across the stack: ${total} reads, ${misses.length} missed their own write, ` +
        `${((100 * served.primary) / total).toFixed(1)}% served by the primary`,
    );
    expect(misses).toEqual([]);
    expect(total).toBe(products.length * 4);
  });

  it("never shows a session an older version as it alternates between regions", async () => {
    const products = (await activeProducts()).slice(140, 150);
    const shop = storefrontClient({
      writeApiUrl: t.launched.stack.writeApi.url,
      readerUrls: t.launched.stack.readers.map((r) => r.url),
    });
    await adminQstash("/local/faults", { delay: 0.5, delayMs: 800, seed: 9 });
    const seen: number[] = [];
    try {
      const writer = (async () => {
        for (const [i, p] of products.entries()) {
          await t.client.command({ type: "product.adjustStock", id: p.id, delta: 1 + i });
        }
      })();
      for (let i = 0; i < 60; i++) {
        const read = await shop.navigation();
        seen.push(read.watermark);
      }
      await writer;
    } finally {
      await adminQstash("/local/faults", { delay: 0, delayMs: 0 });
    }
    const backwards = seen.filter((w, i) => i > 0 && w < Math.max(...seen.slice(0, i)));
    expect(backwards).toEqual([]);
  });

  it("publishes after a write API crash between commit and publish", async () => {
    t.launched.group.kill("qstash");
    const ids = await productIds();
    for (const id of ids.slice(90, 100)) {
      expect((await t.client.command({ type: "product.adjustStock", id, delta: 5 })).status).toBe(
        200,
      );
    }
    const before = await t.client.primaryStatus();
    expect(before.published).toBeLessThan(before.head);
    t.launched.group.kill("write-api");
    const qstash = t.launched.plan.services.find((s) => s.name === "qstash");
    const writeApi = t.launched.plan.services.find((s) => s.name === "write-api");
    if (!qstash || !writeApi) throw new Error("the plan lost a service");
    t.launched.group.start(qstash);
    await waitForHttp(`${t.launched.stack.qstash.url}/local/health`);
    t.launched.group.start(writeApi);
    const until = Date.now() + 30_000;
    for (;;) {
      const status = await t.client.primaryStatus().catch(() => null);
      if (status && status.published === status.head && status.head === before.head) break;
      if (Date.now() > until) throw new Error(`not republished: ${JSON.stringify(status)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    await t.client.converged();
  });
});
