import type { Hono } from "hono";
import type { ReaderStatus } from "../../shared/status/readerStatus.ts";
import type { GenerationalStore } from "../../shared/views/generations/generationalStore.ts";
import type { ViewStore } from "../../shared/views/viewStore.ts";
import type { ReaderState } from "../catchUp/readerState.ts";
import type { SelfHeal } from "../selfHeal/selfHeal.ts";

export type ReaderIdentity = Pick<ReaderStatus, "region" | "runtime" | "store">;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** `GET /v1/status`: where this replica stands, for dashboards, `cqrs verify` and humans. */
export const statusRoute =
  (deps: {
    identity: ReaderIdentity;
    store: ViewStore;
    state: ReaderState;
    generations?: GenerationalStore;
    selfHeal?: SelfHeal;
    now?: () => number;
  }) =>
  (app: Hono) => {
    return app.get("/v1/status", async (c) => {
      const fresh = c.req.query("fresh") === "1";
      const { watermark, digest } = await deps.store.digest({ fresh });
      const { knownHead, lastApplyAt, lastHeardAt, lastPoison, primaryFallbacks } = deps.state;
      const now = (deps.now ?? Date.now)();
      // Typed by the schema the OpenAPI document and every client read it with.
      const status: ReaderStatus = {
        ...deps.identity,
        role: "replica",
        watermark,
        digest,
        knownHead: Math.max(knownHead, watermark),
        lagEvents: Math.max(0, knownHead - watermark),
        lastApplyAt: iso(lastApplyAt),
        lastHeardAt: iso(lastHeardAt),
        sinceHeardMs: lastHeardAt === null ? null : now - lastHeardAt,
        primaryFallbacks,
        lastPoison: lastPoison && { ...lastPoison, at: new Date(lastPoison.at).toISOString() },
        generation: deps.generations?.generation() ?? null,
        selfHeal: deps.selfHeal?.status() ?? null,
      };
      return c.json(status);
    });
  };
