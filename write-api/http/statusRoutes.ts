import type { Hono } from "hono";
import type { GenerationalStore } from "../../shared/views/generations/generationalStore.ts";
import type { Primary } from "../db/openPrimary.ts";

/** `GET /v1/status`: where the log and the relay stand, and the inline views' digest to compare replicas with. */
export const statusRoutes =
  (primary: Primary, views: GenerationalStore, published: () => Promise<number>) => (app: Hono) =>
    app.get("/v1/status", async (c) => {
      // published first: the head only grows, so it is never seen behind it
      const publishedSeq = await published();
      const head = await primary.events.head();
      const { watermark, digest } = await views.digest({ fresh: c.req.query("fresh") === "1" });
      return c.json({
        role: "primary",
        head,
        published: publishedSeq,
        watermark,
        digest,
        generation: views.generation(),
      });
    });
