import { copyFileSync, existsSync } from "node:fs";
import { type WriteApiRuntime, writeApiRuntimes } from "../../local/stack/runtimeCommand.ts";
import { inlineViewsUrl } from "../../write-api/views/inlineViewsUrl.ts";
import type { BenchConfig } from "../config.ts";
import type { LoadResult } from "../load/loadJob.ts";
import type { LoadGenerator } from "../load/runLoad.ts";
import { median } from "../load/stats.ts";
import { type CellSummary, rotate, summarize } from "../report/cellSummary.ts";
import { type BenchServices, benchSecrets } from "../servers/services.ts";
import { diskWrittenBytes, kibPerWrite } from "./diskWrites.ts";
import { productCreateTemplate } from "./productCreateBody.ts";
import { runRawInserts, type WriteCellResult } from "./runRawInserts.ts";

export interface WriteCell extends CellSummary {
  /** `write-api/<runtime>`: the write API on that runtime; `raw-libsql`: the inserts alone */
  target: `write-api/${WriteApiRuntime}` | "raw-libsql";
  concurrency: number;
  /** KiB written to storage per write (median over rounds), views included; null where the kernel does not say */
  kibPerWrite: number | null;
}

/** The write API's log head, once its inline views hold every commit (their writes then count too). */
async function settledHead(origin: string): Promise<number> {
  const until = Date.now() + 30_000;
  for (;;) {
    const status = (await (await fetch(`${origin}/v1/status`)).json()) as {
      head: number;
      watermark: number;
    };
    if (status.watermark >= status.head) return status.head;
    if (Date.now() > until) {
      throw new Error(`the write API's views stayed at ${status.watermark} of ${status.head}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const copyFile = (from: string, to: string) => {
  for (const suffix of ["", "-wal"]) {
    if (existsSync(from + suffix)) copyFileSync(from + suffix, to + suffix);
  }
};

const viewsPath = (primary: string) => inlineViewsUrl(`file:${primary}`).slice("file:".length);

/** The primary's file, and its inline views' beside it, as a running primary has them. */
const copyDb = (from: string, to: string) => {
  copyFile(from, to);
  copyFile(viewsPath(from), viewsPath(to));
};

/**
 * Single-command writes: the write API on Node, Bun and Deno (POST
 * /v1/commands, one product.create, WAL + synchronous FULL, no relay) against
 * the same inserts straight through @libsql/client, each on its own copy of
 * the primary, at each concurrency, interleaved over rounds. The write APIs
 * all run for the whole section; the ones not measured sit idle.
 */
export async function writeBench(i: {
  config: BenchConfig;
  services: BenchServices;
  load: LoadGenerator;
  primaryPath: string;
  log: (line: string) => void;
}): Promise<WriteCell[]> {
  const rawDb = `${i.primaryPath}.raw.db`;
  copyFile(i.primaryPath, rawDb);
  const apis = new Map<string, { origin: string; pid: number | undefined }>();
  for (const runtime of writeApiRuntimes) {
    const apiDb = `${i.primaryPath}.api-${runtime}.db`;
    copyDb(i.primaryPath, apiDb);
    const name = `write-api-${runtime}`;
    const origin = await i.services.start(name, runtime, `write-api/runtimes/${runtime}.ts`, {
      DATABASE_URL: `file:${apiDb}`,
      DATABASE_SYNCHRONOUS: "FULL",
      ADMIN_TOKEN: benchSecrets.admin,
      READER_TOKEN: benchSecrets.reader,
      CONSISTENCY_SECRET: benchSecrets.consistency,
    });
    apis.set(`write-api/${runtime}`, { origin, pid: i.services.pid(name) });
  }
  const results = new Map<string, WriteCellResult[]>();
  const add = (key: string, r: WriteCellResult) =>
    results.set(key, [...(results.get(key) ?? []), r]);
  // every command of the cell, warm-up included (the log's head), against all the process wrote
  const apiCell = async (
    api: { origin: string; pid: number | undefined },
    run: () => Promise<LoadResult>,
  ): Promise<WriteCellResult> => {
    const written = () => (api.pid ? diskWrittenBytes(api.pid) : null);
    const [head, bytes] = [await settledHead(api.origin), written()];
    const result = await run();
    const after = await settledHead(api.origin);
    return { ...result, kibPerWrite: kibPerWrite(bytes, written(), after - head) };
  };
  const targets = [
    ...writeApiRuntimes.map((r) => `write-api/${r}` as const),
    "raw-libsql",
  ] as const;
  try {
    for (let round = 0; round < i.config.rounds; round++) {
      for (const concurrency of i.config.writeConcurrencies) {
        for (const target of rotate(targets, round + concurrency)) {
          const prefix = `r${round}-c${concurrency}`;
          const cell = { concurrency, durationMs: i.config.cellMs, warmupMs: i.config.warmupMs };
          const api = apis.get(target);
          const result = !api
            ? await runRawInserts({ path: rawDb, prefix, ...cell })
            : await apiCell(api, () =>
                i.load.run({
                  origin: api.origin,
                  paths: ["/v1/commands"],
                  method: "POST",
                  headers: {
                    authorization: `Bearer ${benchSecrets.admin}`,
                    "content-type": "application/json",
                  },
                  bodyTemplate: productCreateTemplate,
                  uniquePrefix: prefix,
                  ...cell,
                }),
              );
          add(`${target}/${concurrency}`, result);
        }
      }
      i.log(`writes round ${round + 1}/${i.config.rounds} done`);
    }
  } finally {
    for (const runtime of writeApiRuntimes) await i.services.stop(`write-api-${runtime}`);
  }
  return i.config.writeConcurrencies.flatMap((concurrency) =>
    targets.map((target) => {
      const list = results.get(`${target}/${concurrency}`) ?? [];
      const kib = list.map((r) => r.kibPerWrite).filter((k): k is number => k !== null);
      return {
        target,
        concurrency,
        ...summarize(list),
        kibPerWrite: kib.length > 0 ? median(kib) : null,
      };
    }),
  );
}
