import { describe, expect, it } from "vitest";
import { useTestStack } from "./testStack.ts";

interface Generation {
  active: string;
  epoch: number;
  building: { namespace: string; watermark: number } | null;
  lastSwitchAt: string | null;
}

// The primary and every reader (workerd + Redis, Bun + libSQL, Deno + libSQL)
// rebuild their views into a new generation while shoppers read and an admin
// writes; nobody may see an error, and everything ends equal to the primary.
describe("view generations on the whole stack", () => {
  const t = useTestStack("generations", { VIEW_BUILD_IDLE_MS: "200" });

  const generationOf = async (url: string): Promise<Generation> =>
    ((await (await fetch(`${url}/v1/status`)).json()) as { generation: Generation }).generation;

  it("rebuilds every replica and the primary beside the live views, answering every read throughout", async () => {
    const { stack } = t.launched;
    const services = [stack.writeApi.url, ...stack.readers.map((r) => r.url)];
    const before = await Promise.all(services.map(generationOf));
    const products = (await t.client.createdProducts()).filter((p) => p.status === "active");
    expect(products.length).toBeGreaterThan(50);

    // Load: reads of every kind from every reader, and a trickle of writes.
    let running = true;
    const failures: string[] = [];
    let reads = 0;
    let writes = 0;
    const readLoop = async (base: string, offset: number, headers: Record<string, string> = {}) => {
      for (let i = offset; running; i++) {
        const product = products[i % products.length];
        const paths = [
          `/products/${product?.slug}`,
          "/categories",
          `/search?q=${encodeURIComponent(product?.slug.split("-")[0] ?? "a")}`,
        ];
        for (const path of paths) {
          const res = await fetch(base + path, { headers });
          reads++;
          if (res.status !== 200) failures.push(`${base}${path} → ${res.status}`);
          await res.arrayBuffer();
        }
      }
    };
    const writeLoop = async () => {
      for (let i = 0; running; i++) {
        const product = products[i % products.length];
        const res = await t.client.command({
          type: "product.adjustStock",
          id: product?.id,
          delta: 1,
        });
        if (res.status !== 200) failures.push(`write → ${res.status}: ${await res.text()}`);
        else writes++;
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    const load = [
      ...stack.readers.map((r, i) => readLoop(`${r.url}/v1`, i * 7)),
      readLoop(`${stack.writeApi.url}/v1/read`, 3, {
        authorization: `Bearer ${stack.tokens.reader}`,
      }),
      writeLoop(),
    ];

    for (const url of services) {
      const res = await fetch(`${url}/v1/admin/rebuild`, {
        method: "POST",
        headers: { authorization: `Bearer ${stack.tokens.admin}` },
      });
      expect(res.status, await res.clone().text()).toBe(202);
      const { generation } = (await res.json()) as { generation: Generation };
      expect(generation.building).toMatchObject({ epoch: 1 });
    }

    // Wait for every service to switch, under load.
    const deadline = Date.now() + 150_000;
    let after = await Promise.all(services.map(generationOf));
    while (after.some((g, i) => g.building !== null || g.active === before[i]?.active)) {
      if (Date.now() > deadline) throw new Error(`no switch: ${JSON.stringify(after)}`);
      await new Promise((r) => setTimeout(r, 250));
      after = await Promise.all(services.map(generationOf));
    }
    // Some more load on the new generations, then stop and converge.
    await new Promise((r) => setTimeout(r, 2_000));
    running = false;
    await Promise.all(load);

    expect(failures).toEqual([]);
    expect(reads).toBeGreaterThan(100);
    expect(writes).toBeGreaterThan(5);
    for (const [i, g] of after.entries()) {
      expect(g.active).not.toBe(before[i]?.active);
      expect(g).toMatchObject({ epoch: 1, building: null });
      expect(g.lastSwitchAt).not.toBeNull();
    }
    const converged = await t.client.converged(60_000);
    expect(converged.head).toBeGreaterThan(0);

    // The newest read model (products by attribute value) answers the same everywhere.
    const answers = async (path: string) =>
      Promise.all([
        ...stack.readers.map((r) => fetch(`${r.url}/v1${path}`)),
        fetch(`${stack.writeApi.url}/v1/read${path}`, {
          headers: { authorization: `Bearer ${stack.tokens.reader}` },
        }),
      ]).then((all) =>
        Promise.all(
          all.map(async (res) => {
            expect(res.status).toBe(200);
            const { watermark: _, ...body } = (await res.json()) as { watermark: number };
            return body;
          }),
        ),
      );
    const colors = (await answers("/attributes/color")) as Array<{
      attribute: { values: Array<{ value: string; count: number }> };
    }>;
    const red = colors[0]?.attribute.values[0];
    expect(red?.count).toBeGreaterThan(0);
    for (const other of colors) expect(other).toEqual(colors[0]);
    const listed = await answers(
      `/attributes/color/${encodeURIComponent(red?.value ?? "")}/products?limit=100`,
    );
    for (const other of listed) expect(other).toEqual(listed[0]);
    expect((listed[0] as { products: { items: unknown[] } }).products.items.length).toBe(
      Math.min(100, red?.count ?? 0),
    );
    console.log(
      `view generations: ${services.length} services switched under load; ${reads} reads, ${writes} writes, 0 failures`,
    );
  }, 240_000);
});
