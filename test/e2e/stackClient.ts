import type { StackFile } from "../../local/stack/launchStack.ts";

export interface RegionStatus {
  region: string;
  watermark: number;
  digest: string;
}

/** Small HTTP helpers over a running stack, as a user's script would talk to it. */
export function stackClient(stack: StackFile) {
  const json = async <T>(res: Response): Promise<T> => (await res.json()) as T;
  return {
    /** the stack's reader of that region; throws when it has none */
    reader(region: string): StackFile["readers"][number] {
      const r = stack.readers.find((x) => x.region === region);
      if (!r) throw new Error(`no reader ${region}`);
      return r;
    },
    command: (body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${stack.writeApi.url}/v1/commands`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${stack.tokens.admin}`,
          "content-type": "application/json",
          ...headers,
        },
        body: JSON.stringify(body),
      }),
    /** every product the log says was created, with the slug and status it was created with */
    async createdProducts(): Promise<{ id: string; slug: string; status: string }[]> {
      const res = await fetch(`${stack.writeApi.url}/v1/events?after=0&limit=1000`, {
        headers: { authorization: `Bearer ${stack.tokens.reader}` },
      });
      const { events } = await json<{
        events: { type: string; aggregateId: string; data: { slug?: string; status?: string } }[];
      }>(res);
      return events
        .filter((e) => e.type === "product.created")
        .map((e) => ({ id: e.aggregateId, slug: e.data.slug ?? "", status: e.data.status ?? "" }));
    },
    primaryStatus: async () =>
      json<{ head: number; published: number; digest: string; watermark: number }>(
        await fetch(`${stack.writeApi.url}/v1/status`),
      ),
    readerStatuses: () =>
      Promise.all(
        stack.readers.map(async (r) => json<RegionStatus>(await fetch(`${r.url}/v1/status`))),
      ),
    /** waits until every reader's watermark and digest equal the primary's; throws past the deadline */
    async converged(deadlineMs = 60_000): Promise<{ head: number; digest: string }> {
      const until = Date.now() + deadlineMs;
      let last = "";
      while (Date.now() < until) {
        const primary = await this.primaryStatus();
        const readers = await this.readerStatuses().catch(() => []);
        last = JSON.stringify({
          primary: [primary.head, primary.digest.slice(0, 8)],
          readers: readers.map((r) => [r.region, r.watermark, r.digest.slice(0, 8)]),
        });
        if (
          readers.length === stack.readers.length &&
          readers.every((r) => r.watermark === primary.head && r.digest === primary.digest)
        ) {
          return { head: primary.head, digest: primary.digest };
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`the readers did not converge within ${deadlineMs} ms: ${last}`);
    },
  };
}
