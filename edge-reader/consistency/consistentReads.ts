import type { Context } from "hono";
import type { ConsistencyTokens } from "../../shared/consistency/consistencyToken.ts";
import { afterRead, type TokenNeed } from "../../shared/consistency/tokenNeed.ts";
import { AppError, ValidationError } from "../../shared/errors/index.ts";
import {
  handOutToken,
  reusableTokenHeaders,
  type TokenHeaders,
  tokenHeaders,
} from "../../shared/http/handOutToken.ts";
import { answerText, type ReadAnswerer } from "../../shared/http/readRoutes.ts";
import type { Metrics } from "../../shared/metrics/metrics.ts";
import type { TurnBatch } from "../../shared/views/stores/turnBatch.ts";
import type { ViewStore } from "../../shared/views/viewStore.ts";
import type { CachedRead, ReadCache } from "../cache/readCache.ts";
import type { CatchUp } from "../catchUp/catchUp.ts";
import type { ReaderState } from "../catchUp/readerState.ts";
import { answerHeaders, type HeadersForm } from "./answerHeaders.ts";
import type { FallbackBudget } from "./fallbackBudget.ts";
import type { PrimaryReads } from "./primaryReads.ts";
import { type Requirement, requiredVersion } from "./requiredVersion.ts";
import { type Route, routeRead } from "./routeRead.ts";
import { recentWatermark } from "./seenWatermark.ts";
import { waitForCatchUp } from "./waitForCatchUp.ts";

export interface ConsistencyDeps {
  store: ViewStore;
  catchUp: CatchUp;
  state: ReaderState;
  tokens: ConsistencyTokens;
  tokenTtlMs: number;
  /** how long a lagging replica may wait for catch-up before handing the read on */
  waitBoundMs: number;
  /** the reader's default staleness bound; null = unbounded (eventual) */
  maxStalenessMs: number | null;
  budget: FallbackBudget;
  primary: PrimaryReads;
  /** replica answers by watermark; absent = no caching */
  cache?: ReadCache;
  /** how old a seen watermark may be to key a cache lookup; default 1,000 ms */
  cacheMaxAgeMs?: number;
  /**
   * Where a cached answer waits for the end of its event-loop turn, to go out
   * with the turn's other answers, as a store read's does (`turnBatch`): a
   * Node reader pinned to one core answered 23,900-25,000 cached product pages
   * a second at once and 29,100-30,700 this way, Deno 28,000-32,200 and
   * 33,200-34,200. Absent: a hit is answered at once (Bun, whose server sends
   * an answer completed outside its request's dispatch a fragment per send;
   * Workers).
   */
  hitsTogether?: TurnBatch;
  metrics: Metrics;
  /** how answers hand their headers to a Response; default `Headers` (see HeadersForm) */
  headersForm?: HeadersForm;
  now?: () => number;
}

const stalenessOf = (raw: string | undefined, fallback: number | null): number | null => {
  if (raw === undefined || raw === "") return fallback;
  if (!/^\d{1,9}$/.test(raw)) {
    throw new ValidationError("maxStalenessMs must be a whole number of milliseconds", [
      { path: "maxStalenessMs", message: "not a number" },
    ]);
  }
  return Number(raw);
};

/** Keeps a catch-up that outlives the response alive: Workers end an isolate's work with the response otherwise. */
const keepAlive = (c: Context) => (work: Promise<unknown>) => {
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    // no execution context outside Workers: the promise simply runs on
  }
};

const refreshToken = (c: Context, deps: ConsistencyDeps, need: TokenNeed) =>
  handOutToken(c, deps.tokens, need, deps.tokenTtlMs);

/** What the headers of a replica's answer vary by. */
interface AnswerShape {
  notModified: boolean;
  cached: boolean;
  tokenStatus: string | null;
  servedAt: number;
  lag: number;
  token: TokenHeaders;
}

const sameShape = (a: AnswerShape, b: AnswerShape) =>
  a.token === b.token &&
  a.servedAt === b.servedAt &&
  a.lag === b.lag &&
  a.notModified === b.notModified &&
  a.cached === b.cached &&
  a.tokenStatus === b.tokenStatus;

// The two helpers below live outside the per-read closure: tsx (Node) keeps
// function names, and a named function made per read costs a call to set it.

const decide = (
  state: ReaderState,
  now: () => number,
  required: number,
  watermark: number,
  maxStalenessMs: number | null,
): Route =>
  routeRead({
    required,
    watermark,
    maxStalenessMs,
    sinceHeardMs: state.lastHeardAt === null ? null : now() - state.lastHeardAt,
  });

/** A replica answer's headers, in the order every answer sends them. */
const answerFields = (shape: AnswerShape, etag: string): Record<string, string> => {
  const h: Record<string, string> = {};
  if (shape.tokenStatus) h["X-Consistency-Token-Status"] = shape.tokenStatus;
  h["X-Served-By"] = "replica";
  h["X-Replica-Watermark"] = String(shape.servedAt);
  h.ETag = etag;
  h["Cache-Control"] = "private, no-cache";
  h["X-Replica-Lag"] = String(shape.lag);
  if (shape.cached) h["X-Cache"] = "hit";
  h["X-Consistency-Token"] = shape.token["X-Consistency-Token"];
  h["Set-Cookie"] = shape.token["Set-Cookie"];
  if (!shape.notModified) h["Content-Type"] = "application/json";
  return h;
};

/**
 * Read-your-writes and monotonic reads for every storefront read: serve here
 * when the replica has reached the version the client's token asks of this
 * read (its floor, or a higher one for a scope the read depends on that the
 * client wrote); else pull and wait a bounded time; else hand the read to the
 * primary (within a budget). Every answer carries a refreshed token whose
 * floor is the served-at version, so a client moving between regions never
 * sees time go backwards; an unsigned `?minVersion=` routes but is never signed.
 *
 * The store is asked for its watermark only when something needs it: a
 * token ahead of the watermark this process last saw, or a cache lookup whose
 * watermark was not seen recently. A plain read costs the read alone.
 */
export const consistentReads = (deps: ConsistencyDeps): ReadAnswerer => {
  const headersOf = answerHeaders(deps.headersForm ?? "Headers");
  // the series every replica read counts, looked up once
  const servedHere = deps.metrics.counter("cqrs_reads_total", { served_by: "replica" });
  const cacheResults = deps.cache && {
    hit: deps.metrics.counter("cqrs_read_cache_total", { result: "hit" }),
    miss: deps.metrics.counter("cqrs_read_cache_total", { result: "miss" }),
  };
  // A busy replica answers the same shape again and again: the last one's headers need no key.
  let last: { shape: AnswerShape; headers: HeadersInit } | null = null;
  return async (c, model, plan) => {
    // a Request's url is a new string per read on workerd: read once; most reads have no query
    const url = c.req.url;
    const hasQuery = url.includes("?", 8);
    const minVersion = hasQuery ? c.req.query("minVersion") : undefined;
    const { headers } = c.req.raw;
    const required = await requiredVersion(deps.tokens, headers, minVersion, model.scopes(plan));
    // an invalid token is said on every answer, a replica's or not
    const tokenStatus =
      required.tokenStatus !== "none" && required.tokenStatus !== "valid"
        ? required.tokenStatus
        : null;
    if (tokenStatus) c.header("X-Consistency-Token-Status", tokenStatus);
    const now = deps.now ?? Date.now;
    const maxStalenessMs = stalenessOf(
      hasQuery ? c.req.query("maxStalenessMs") : undefined,
      deps.maxStalenessMs,
    );

    // Watermarks only grow: one this process saw settles a token at or below it.
    let watermark = deps.state.watermark;
    let route = decide(deps.state, now, required.version, watermark, maxStalenessMs);
    if (route.to === "primary" && route.reason === "behind") {
      watermark = await deps.store.watermark();
      route = decide(deps.state, now, required.version, watermark, maxStalenessMs);
    }
    if (route.to === "primary") {
      const askedAt = now();
      watermark = await waitForCatchUp(deps.store, deps.catchUp, deps.waitBoundMs, keepAlive(c));
      route = decide(deps.state, now, required.version, watermark, maxStalenessMs);
      // Caught up to a head just heard from the primary: whatever an unsigned
      // ?minVersion= still asks for lies past the log's head, which the
      // primary could not reflect either, so only the signed version routes.
      // Served here, it costs no primary read.
      const headJustHeard = deps.state.lastHeardAt !== null && deps.state.lastHeardAt >= askedAt;
      if (
        route.to === "primary" &&
        route.reason === "behind" &&
        headJustHeard &&
        watermark >= deps.state.knownHead
      ) {
        route = decide(deps.state, now, required.signed, watermark, maxStalenessMs);
      }
    }
    if (route.to === "primary") return servedByPrimary(c, deps, route, required, watermark);

    const { cache } = deps;
    const key = cache ? pathAndQuery(url) : "";
    const cachedAt = cache
      ? await recentWatermark(deps.store, deps.state, deps.cacheMaxAgeMs ?? 1_000)
      : 0;
    const cached = cache?.get(cachedAt, key);
    cacheResults?.[cached ? "hit" : "miss"].inc();
    servedHere.inc();
    let answer: CachedRead;
    if (cached) {
      if (deps.hitsTogether) await deps.hitsTogether(nothing);
      answer = cached;
    } else {
      const read = await deps.store.read(model, plan);
      answer = { ...answerText(model, read), watermark: read.watermark };
      cache?.put(read.watermark, key, answer);
    }
    const servedAt = answer.watermark;
    const lag = Math.max(0, deps.state.knownHead - servedAt);
    const need = afterRead(required.need, servedAt);
    const secure = url.startsWith("https:");
    // a token that needs no signing comes without a promise to wait on
    const token =
      reusableTokenHeaders(deps.tokens, need, deps.tokenTtlMs, secure) ??
      (await tokenHeaders(deps.tokens, need, deps.tokenTtlMs, secure));
    // Weak: the same watermark means the same views, so the same answer for this URL.
    const etag = `W/"v${servedAt}"`;
    const notModified = answer.status === 200 && headers.get("if-none-match") === etag;
    const shape: AnswerShape = {
      notModified,
      cached: cached !== undefined,
      tokenStatus,
      servedAt,
      lag,
      token,
    };
    let answered: HeadersInit;
    if (last !== null && sameShape(last.shape, shape)) {
      answered = last.headers;
    } else {
      // every value that varies, the cookie (the only one with spaces) last
      const headersKey = `${notModified ? "n" : "b"}${cached ? "c" : "s"} ${tokenStatus ?? "-"} ${servedAt} ${lag} ${token["X-Consistency-Token"]} ${token["Set-Cookie"]}`;
      answered = headersOf(headersKey, () => answerFields(shape, etag));
      last = { shape, headers: answered };
    }
    if (notModified) return new Response(null, { status: 304, headers: answered });
    return new Response(answer.body, { status: answer.status, headers: answered });
  };
};

const nothing = () => undefined;

/** `/v1/products/lamp?x=1` of a request URL, without parsing it. */
const pathAndQuery = (url: string) => url.slice(url.indexOf("/", url.indexOf("//") + 2));

/** Hands the read to the primary's `/v1/read/…`, within the fallback budget. */
async function servedByPrimary(
  c: Context,
  deps: ConsistencyDeps,
  route: Extract<Route, { to: "primary" }>,
  required: Requirement,
  watermark: number,
): Promise<Response> {
  if (!deps.budget.take()) {
    deps.metrics.inc("cqrs_fallbacks_refused_total");
    c.header("Retry-After", "1");
    throw new AppError(
      "unavailable",
      "this replica is behind and its primary-read budget is spent; retry shortly",
      { details: { reason: route.reason, required: required.version, watermark } },
    );
  }
  const res = await deps.primary(pathAndQuery(c.req.url).replace(/^\/v1/, ""));
  // The client's own mistakes (404, 400, 422) pass through; anything else is our fault.
  if (res.status >= 500 || res.status === 401 || res.status === 429) {
    throw new AppError("unavailable", `the primary could not serve this read (${res.status})`);
  }
  const primaryVersion = Number(res.headers.get("X-Replica-Watermark") ?? 0);
  const body = await res.arrayBuffer();
  deps.metrics.inc("cqrs_primary_fallbacks_total", { reason: route.reason });
  deps.state.primaryFallbacks++;
  deps.metrics.inc("cqrs_reads_total", { served_by: "primary" });
  c.header("X-Served-By", "primary");
  c.header("X-Primary-Reason", route.reason);
  c.header("X-Replica-Watermark", String(primaryVersion));
  c.header("X-Replica-Lag", String(Math.max(0, primaryVersion - watermark)));
  // the primary's answer version was committed; an unsigned ?minVersion= is not signed on
  await refreshToken(c, deps, afterRead(required.need, primaryVersion));
  return c.body(body, res.status as 200, {
    "content-type": res.headers.get("content-type") ?? "application/json",
  });
}
