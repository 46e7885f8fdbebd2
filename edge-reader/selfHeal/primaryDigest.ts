import { writeApiStatusSchema } from "../../shared/status/writeApiStatus.ts";
import type { DigestAt } from "./selfHealDecision.ts";

/**
 * The primary's inline views as its `GET /v1/status` reports them: watermark,
 * kept digest and read model versions. A malformed answer is an error, never
 * a digest to compare with.
 *
 * @example
 * const primary = primaryDigest("https://write.example.com");
 * await primary(); // → { watermark: 812, digest: "9f…", versions: { productPage: 3, … } }
 */
export function primaryDigest(writeApiUrl: string, timeoutMs = 10_000): () => Promise<DigestAt> {
  return async () => {
    const res = await fetch(`${writeApiUrl}/v1/status`, {
      headers: { accept: "application/json" },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) {
      await res.body?.cancel();
      throw new Error(`the primary's /v1/status answered HTTP ${res.status}`);
    }
    const parsed = writeApiStatusSchema.safeParse(await res.json());
    if (!parsed.success) {
      throw new Error(
        `the primary's /v1/status is not a write API status: ${parsed.error.message}`,
      );
    }
    const { watermark, digest, generation } = parsed.data;
    return { watermark, digest, versions: generation.versions };
  };
}
