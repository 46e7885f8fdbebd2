import type { Hono } from "hono";
import type { GenerationalStore } from "../../shared/views/generations/generationalStore.ts";
import type { Primary } from "../db/openPrimary.ts";

/** `GET /v1/status`: where the log and the relay stand, and the inline views' digest to compare replicas with. */
export const statusRoutes = (primary: Primary, views: GenerationalStore) => (app: Hono) => {
  return app.get("/v1/status", async (c) => {
    const [head, published] = await primary.readClient.batch(
      [
        "SELECT coalesce(max(seq), 0) AS v FROM events",
        "SELECT coalesce((SELECT value FROM meta WHERE key = 'published'), 0) AS v",
      ],
      "read",
    );
    const { watermark, digest } = await views.digest({ fresh: c.req.query("fresh") === "1" });
    return c.json({
      role: "primary",
      head: Number(head?.rows[0]?.v ?? 0),
      published: Number(published?.rows[0]?.v ?? 0),
      watermark,
      digest,
      generation: views.generation(),
    });
  });
};
