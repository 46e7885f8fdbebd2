import type { Hono } from "hono";
import type { WriteApiStatus } from "../../shared/status/writeApiStatus.ts";
import type { GenerationalStore } from "../../shared/views/generations/generationalStore.ts";
import { primarySnapshot } from "../dashboard/primarySnapshot.ts";
import type { EventStore } from "../eventStore/eventStore.ts";

/** `GET /v1/status`: where the log and the relay stand, and the inline views' digest to compare replicas with. */
export const statusRoutes =
  (deps: { log: EventStore; views: GenerationalStore; published: () => Promise<number> }) =>
  (app: Hono) => {
    const snapshot = primarySnapshot(deps);
    return app.get("/v1/status", async (c) => {
      const status = await snapshot.status({ fresh: c.req.query("fresh") === "1" });
      const body: WriteApiStatus = {
        role: "primary",
        ...status,
        generation: deps.views.generation(),
      };
      return c.json(body);
    });
  };
