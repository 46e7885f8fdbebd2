import { existsSync, writeFileSync } from "node:fs";
import { demoCatalogBatches } from "./demoCatalog.ts";

/**
 * Seeds the demo catalog through the write API, as an admin would, once: the
 * marker file makes a restarted stack resume instead of seeding twice, and
 * each batch's Idempotency-Key makes a seed cut off half-way safe to rerun.
 */
export async function seedDemoCatalog(
  writeApiUrl: string,
  adminToken: string,
  markerFile: string,
): Promise<{ seeded: boolean }> {
  if (existsSync(markerFile)) return { seeded: false };
  for (const [i, commands] of demoCatalogBatches().entries()) {
    const res = await fetch(`${writeApiUrl}/v1/commands`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${adminToken}`,
        "content-type": "application/json",
        "idempotency-key": `demo-seed-${i}`,
      },
      body: JSON.stringify({ commands }),
    });
    if (!res.ok) throw new Error(`seeding batch ${i} failed: ${res.status} ${await res.text()}`);
  }
  writeFileSync(markerFile, `${new Date().toISOString()}\n`);
  return { seeded: true };
}
