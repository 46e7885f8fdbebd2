import type { Context, Hono } from "hono";
import { NotFoundError } from "../../shared/errors/index.ts";
import { requireBearer } from "../../shared/http/bearerAuth.ts";
import type { GenerationalStore } from "../../shared/views/generations/generationalStore.ts";

/** A reader's view generations and how its runtime gets a build going. */
export interface ReaderGenerations {
  store: GenerationalStore;
  /**
   * Starts build steps now: wakes the background loop on Node/Bun/Deno; on
   * Workers it returns one bounded step for the request's `waitUntil`.
   */
  kick(): Promise<unknown> | undefined;
}

/**
 * `POST /v1/admin/rebuild`: rebuilds every view from the log in a new
 * namespace beside the live one (the next epoch) and switches when it has
 * caught up; reads go on from the live views meanwhile. Answers 202 with the
 * generation status; `GET /v1/status` shows the progress. Off (404) unless
 * the reader has an admin token.
 */
const runAfterResponse = (c: Context, work: Promise<unknown>) => {
  try {
    c.executionCtx.waitUntil(work);
  } catch {
    // no execution context (Node, Bun, Deno): the promise runs on by itself
  }
};

export const adminRoutes =
  (deps: { token: string | null; generations?: ReaderGenerations }) => (app: Hono) => {
    const { token, generations } = deps;
    app.use("/v1/admin/*", async (c, next) => {
      if (!token || !generations) {
        throw new NotFoundError("this reader has no admin routes (READER_ADMIN_TOKEN is unset)");
      }
      return requireBearer(() => [token], "admin")(c, next);
    });
    return app.post("/v1/admin/rebuild", async (c) => {
      if (!generations) throw new NotFoundError("this reader's store has no generations");
      const status = await generations.store.rebuild();
      const work = generations.kick();
      // Workers keep the step alive past the response; elsewhere there is no execution context.
      if (work) runAfterResponse(c, work);
      return c.json({ generation: status }, 202);
    });
  };
