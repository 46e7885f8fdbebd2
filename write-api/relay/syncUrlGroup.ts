import type { Client } from "@upstash/qstash";

/**
 * Makes the URL group's endpoints exactly the configured readers' ingest URLs:
 * adds the missing ones, removes the ones no longer configured.
 */
export async function syncUrlGroup(
  client: Client,
  name: string,
  ingestUrls: readonly string[],
): Promise<void> {
  let current: string[] = [];
  try {
    current = (await client.urlGroups.get(name)).endpoints.map((e) => e.url);
  } catch (e) {
    // a group that does not exist yet is created by addEndpoints below
    if (!/not found|404/i.test(String(e))) throw e;
  }
  const missing = ingestUrls.filter((url) => !current.includes(url));
  const extra = current.filter((url) => !ingestUrls.includes(url));
  if (missing.length > 0)
    await client.urlGroups.addEndpoints({ name, endpoints: missing.map((url) => ({ url })) });
  if (extra.length > 0)
    await client.urlGroups.removeEndpoints({ name, endpoints: extra.map((url) => ({ url })) });
}
