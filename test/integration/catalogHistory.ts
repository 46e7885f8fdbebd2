import { demoCatalogBatches } from "../../local/stack/demoCatalog.ts";
import type { TestWriteApi } from "../../write-api/testing/testWriteApi.ts";

/**
 * Writes a small but varied history through the write API: the demo catalog,
 * then category renames, price and stock changes, archives and deletes.
 * Returns the last version.
 */
export async function writeCatalogHistory(api: TestWriteApi, products = 40): Promise<number> {
  const send = async (body: unknown) => {
    const res = await api.command(body);
    if (res.status !== 200) throw new Error(`command failed: ${await res.text()}`);
    return (await res.json()) as { version: number; results: { id: string }[] };
  };
  const [categories, ...productBatches] = demoCatalogBatches(products, 20);
  const categoryIds = (await send({ commands: categories })).results.map((r) => r.id);
  const productIds: string[] = [];
  for (const commands of productBatches)
    productIds.push(...(await send({ commands })).results.map((r) => r.id));

  let version = 0;
  for (const id of categoryIds.filter((_, i) => i % 4 === 1)) {
    version = (await send({ type: "category.rename", id, name: `Renamed ${id.slice(-4)}` }))
      .version;
  }
  for (const [i, id] of productIds.entries()) {
    const command =
      i % 7 === 0
        ? { type: "product.delete", id }
        : i % 5 === 0
          ? { type: "product.archive", id }
          : i % 3 === 0
            ? { type: "product.changePrice", id, price: { amount: 1_000 + i, currency: "EUR" } }
            : { type: "product.adjustStock", id, delta: 3 };
    const res = await api.command(command);
    // archiving a draft or an archived product may be refused; the history goes on
    if (res.status === 200) version = ((await res.json()) as { version: number }).version;
  }
  return version;
}
