import type { Hono } from "hono";
import type { GenerationalStore } from "../../shared/views/generations/generationalStore.ts";

/**
 * `POST /v1/admin/rebuild` (behind the admin token, like commands): rebuilds
 * the inline views from the log in a new namespace beside the live one and
 * switches when it has caught up, through the same writer as commands; reads
 * and commands go on meanwhile. 202 with the generation; `/v1/status` shows
 * the progress.
 */
export const adminRoutes = (deps: { views: GenerationalStore; kick?: () => void }) => (app: Hono) =>
  app.post("/v1/admin/rebuild", async (c) => {
    const generation = await deps.views.rebuild();
    deps.kick?.();
    return c.json({ generation }, 202);
  });
