import type { Agent } from "node:http";
import type { LaunchedStack } from "../../local/stack/launchStack.ts";
import { headerOf, httpCall } from "./httpCall.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The writes the stack bench's phases drive: single adjustStock commands, timed,
// and an open-loop writer at a fixed rate.

/** What the stack bench's phases share: the stack, one keep-alive agent, the products written to. */
export interface Ctx {
  stack: LaunchedStack["stack"];
  agent: Agent;
  admin: string;
  productIds: string[];
  slugs: string[];
}

export interface WriteOutcome {
  version: number;
  token: string;
  /** performance.now() when the 200 arrived */
  at: number;
  /** Date.now() when the 200 arrived: the clock the readers' log lines carry */
  wallAt: number;
  latency: number;
}

let stockFlip = 0;
/** One product.adjustStock of product `i` (by index), timed, with its version and token. */
export async function adjustStock(ctx: Ctx, i: number): Promise<WriteOutcome> {
  const id = ctx.productIds[i % ctx.productIds.length] ?? "";
  const sent = performance.now();
  const res = await httpCall(ctx.agent, `${ctx.stack.writeApi.url}/v1/commands`, {
    method: "POST",
    headers: { authorization: `Bearer ${ctx.admin}`, "content-type": "application/json" },
    body: JSON.stringify({ type: "product.adjustStock", id, delta: stockFlip++ % 2 ? -1 : 1 }),
  });
  const at = performance.now();
  const wallAt = Date.now();
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 200)}`);
  const { version } = JSON.parse(res.body) as { version: number };
  return {
    version,
    token: headerOf(res, "x-consistency-token"),
    at,
    wallAt,
    latency: at - sent,
  };
}

/**
 * Open loop: request i leaves at t0 + i / rate whatever happened to the
 * earlier ones (up to `maxInFlight`; beyond that a request is skipped and
 * counted). Answers that arrive once stopped are awaited but not kept.
 *
 * @example
 * const loop = openLoop(200, (n) => adjustStock(ctx, n)); await sleep(10_000); const { outcomes } = await loop.stop();
 */
export function openLoop<T>(rate: number, send: (n: number) => Promise<T>, maxInFlight = 256) {
  const outcomes: T[] = [];
  const pending = new Set<Promise<void>>();
  let errors = 0;
  let skipped = 0;
  let firstError: string | null = null;
  let stopped = false;
  let scheduled = 0;
  const t0 = performance.now();
  const done = (async () => {
    while (!stopped) {
      const due = Math.floor(((performance.now() - t0) * rate) / 1_000) + 1;
      while (scheduled < due) {
        const n = scheduled++;
        if (pending.size >= maxInFlight) {
          skipped++;
          continue;
        }
        const p = send(n).then(
          (o) => {
            if (!stopped) outcomes.push(o);
          },
          (e: unknown) => {
            errors++;
            firstError ??= String(e);
          },
        );
        pending.add(p);
        void p.finally(() => pending.delete(p));
      }
      await sleep(1);
    }
  })();
  return {
    t0,
    async stop() {
      stopped = true;
      await done;
      const seconds = (performance.now() - t0) / 1_000;
      await Promise.all(pending);
      return { outcomes, errors, skipped, firstError, seconds };
    },
  };
}

/** `openLoop` of single `product.adjustStock` writes, round-robin over the products. */
export const openLoopWriter = (ctx: Ctx, rate: number, maxInFlight = 256) =>
  openLoop(rate, (n) => adjustStock(ctx, n), maxInFlight);
