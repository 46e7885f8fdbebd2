import type { Command } from "../commands/schemas.ts";
import { highestVersion } from "../consistency/tokenNeed.ts";
import type { ErrorBody } from "../errors/appError.ts";
import type { AnyReadModel, DataOf, InputOf } from "../views/models/readModel.ts";
import { readModelList } from "../views/models/readModelList.ts";

/** One method per read model, named as the model: its input, and optionally the reader to ask. */
type ModelReads = {
  [M in (typeof readModelList)[number] as M["name"]]: (
    ...args: Record<string, never> extends InputOf<M>
      ? [input?: InputOf<M>, reader?: string]
      : [input: InputOf<M>, reader?: string]
  ) => Promise<ReadResult<DataOf<M>>>;
};

export interface ReadResult<T> {
  status: number;
  /** null on 404 */
  data: T | null;
  servedBy: "replica" | "primary";
  /** the version the answer reflects */
  watermark: number;
  primaryReason: string | null;
}

export class StorefrontError extends Error {
  override readonly name = "StorefrontError";
  constructor(
    readonly status: number,
    readonly body: ErrorBody | null,
  ) {
    super(body?.error.message ?? `HTTP ${status}`);
  }
  get code(): string {
    return this.body?.error.code ?? "http_error";
  }
}

/**
 * The newest version a token asks for anywhere (its floor, or a scope a write
 * changed); the client only reads it to choose between tokens, it never trusts it.
 */
const versionOf = (token: string): number => {
  try {
    const payload = token.split(".")[0] ?? "";
    const json = atob(payload.replaceAll("-", "+").replaceAll("_", "/"));
    const { v, k } = JSON.parse(json) as { v?: number; k?: Record<string, number> };
    return highestVersion({ v: Number(v ?? 0), ...(k && { k }) });
  } catch {
    return -1;
  }
};

export interface StorefrontClientOptions {
  writeApiUrl: string;
  /** one reader, or several to pick from per read (e.g. the nearest first) */
  readerUrls: string | readonly string[];
  adminToken?: string;
  fetch?: typeof fetch;
  /** how often a read answered 503 with Retry-After (≤ 5 s) is tried again; default 2 */
  retriesOn503?: number;
}

/**
 * A storefront session: carries the consistency token from each write and
 * read to the next request, so the session reads its own writes and never
 * sees time go backwards, whichever reader answers. Each answer's token is
 * the one the request carried, moved on by the server (a write adds the
 * scopes it changed, a read raises the floor), so the session keeps the
 * answer's token; of two answers to requests sent at once, the one asking the
 * newer version wins.
 *
 * @example
 * const shop = storefrontClient({ writeApiUrl, readerUrls: [eu, us], adminToken });
 * await shop.command({ type: "product.changePrice", id, price: { amount: 999, currency: "EUR" } });
 * const { data } = await shop.productPage({ slug: "red-shoe" }); // reflects the new price
 */
export function storefrontClient(options: StorefrontClientOptions) {
  const send = options.fetch ?? fetch;
  const maxRetries = options.retriesOn503 ?? 2;
  const readers =
    typeof options.readerUrls === "string" ? [options.readerUrls] : [...options.readerUrls];
  let token: string | null = null;
  let version = 0;
  let next = 0;

  const remember = (res: Response, sentWith: string | null) => {
    const offered = res.headers.get("x-consistency-token");
    if (!offered) return;
    // nothing else answered since this request left: its token follows from ours
    if (token === sentWith || versionOf(offered) >= version) {
      token = offered;
      version = Math.max(version, versionOf(offered));
    }
  };

  const read = async <T>(path: string, reader?: string): Promise<ReadResult<T>> => {
    const base = reader ?? readers[next++ % readers.length] ?? "";
    const sentWith = token;
    const get = () =>
      send(`${base}${path}`, { headers: sentWith ? { "x-consistency-token": sentWith } : {} });
    let res = await get();
    // A reader out of primary-fallback budget says when to come back; a short wait is kinder than failing.
    for (let retry = 0; res.status === 503 && retry < maxRetries; retry++) {
      const after = Number(res.headers.get("retry-after") ?? Number.NaN);
      if (!(after >= 0 && after <= 5)) break;
      await res.body?.cancel();
      await new Promise((r) => setTimeout(r, after * 1_000 + Math.random() * 250));
      res = await get();
    }
    remember(res, sentWith);
    const body = (await res.json().catch(() => null)) as Record<string, unknown> | null;
    if (!res.ok && res.status !== 404)
      throw new StorefrontError(res.status, body as ErrorBody | null);
    const key = Object.keys(body ?? {}).find((k) => k !== "watermark" && k !== "error");
    return {
      status: res.status,
      data: res.ok && key ? (body?.[key] as T) : null,
      servedBy: res.headers.get("x-served-by") === "primary" ? "primary" : "replica",
      watermark: Number(res.headers.get("x-replica-watermark") ?? 0),
      primaryReason: res.headers.get("x-primary-reason"),
    };
  };

  const reads = Object.fromEntries(
    (readModelList as readonly AnyReadModel[]).map((model) => [
      model.name,
      (input: unknown, reader?: string) => read(`/v1${model.url(input ?? {})}`, reader),
    ]),
  ) as ModelReads;

  return {
    /** the newest version this session has seen */
    get version() {
      return version;
    },
    async command(
      body: Command | { commands: Command[] },
      init: { idempotencyKey?: string } = {},
    ): Promise<{ version: number; results: { id: string }[] }> {
      const sentWith = token;
      const res = await send(`${options.writeApiUrl}/v1/commands`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...(sentWith && { "x-consistency-token": sentWith }),
          ...(options.adminToken && { authorization: `Bearer ${options.adminToken}` }),
          ...(init.idempotencyKey && { "idempotency-key": init.idempotencyKey }),
        },
        body: JSON.stringify(body),
      });
      const json = await res.json().catch(() => null);
      if (!res.ok) throw new StorefrontError(res.status, json as ErrorBody | null);
      remember(res, sentWith);
      return json as { version: number; results: { id: string }[] };
    },
    ...reads,
  };
}

export type StorefrontClient = ReturnType<typeof storefrontClient>;
