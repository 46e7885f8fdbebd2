import { parseReaderStatus } from "../../shared/status/readerStatus.ts";
import type { StackFile } from "./launchStack.ts";

interface RegionMark {
  region: string;
  watermark: number;
  digest: string;
  /** what to print instead of the watermark: a reader that is down or answers an error */
  state?: string;
}

/**
 * Prints each region's watermark as it catches up with the primary's head,
 * until all have it and their digests equal the primary's, or the deadline passes.
 */
export async function watchConvergence(
  stack: StackFile,
  print: (line: string) => void,
  deadlineMs = 120_000,
): Promise<boolean> {
  const until = Date.now() + deadlineMs;
  let last = "";
  while (Date.now() < until) {
    const primary = (await (await fetch(`${stack.writeApi.url}/v1/status`)).json()) as {
      head: number;
      digest?: string;
    };
    const readers = await Promise.all(
      stack.readers.map(async (r): Promise<RegionMark> => {
        try {
          const res = await fetch(`${r.url}/v1/status`);
          // a reader still starting (or with its views rebuilding) can answer an error body
          if (!res.ok) {
            await res.body?.cancel();
            return { region: r.region, watermark: -1, digest: "", state: `answers ${res.status}` };
          }
          const parsed = parseReaderStatus(await res.json().catch(() => null));
          if (!parsed.ok)
            return { region: r.region, watermark: -1, digest: "", state: parsed.error };
          return {
            region: r.region,
            watermark: parsed.status.watermark,
            digest: parsed.status.digest,
          };
        } catch {
          return { region: r.region, watermark: -1, digest: "", state: "down" };
        }
      }),
    );
    const line = `  head ${primary.head}   ${readers.map((r) => `${r.region} ${r.state ?? r.watermark}`).join("   ")}`;
    if (line !== last) print(line);
    last = line;
    if (
      readers.every(
        (r) => r.watermark === primary.head && (!primary.digest || r.digest === primary.digest),
      )
    ) {
      print("  every region has converged on the primary's digest");
      return true;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  print("  not every region converged yet; `GET /v1/status` on each reader shows where it stands");
  return false;
}
