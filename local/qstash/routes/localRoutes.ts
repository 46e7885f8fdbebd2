import type { Hono } from "hono";
import type { QStashCore } from "../core.ts";
import { QStashHttpError } from "../http/errors.ts";
import { readJson } from "../http/requestBody.ts";

const MAX_IDLE_WAIT_MS = 120_000;

/**
 * Local extras that QStash has no API for, under `/local/` with the same
 * bearer token:
 * - `GET /local/idle?timeoutMs=` waits until no delivery is due, held or in
 *   flight: 200 `{ idle: true }`, or 503 `{ idle: false, pending }` on timeout;
 * - `GET|POST /local/faults` reads or switches fault injection;
 * - `GET /local/keys`, `POST /local/keys/rotate` read or rotate signing keys;
 * - `GET /local/stats` counts what happened.
 *
 * @example
 * localRoutes(core)(app);
 */
export const localRoutes = (core: QStashCore) => (app: Hono) => {
  app.get("/local/idle", async (c) => {
    const asked = Number(c.req.query("timeoutMs") ?? 30_000);
    const timeoutMs = Number.isFinite(asked) ? Math.min(Math.max(asked, 0), MAX_IDLE_WAIT_MS) : 0;
    const idle = await core.scheduler.whenIdle(timeoutMs);
    const pending = core.scheduler.pending();
    return c.json({ idle, pending }, idle ? 200 : 503);
  });

  app.get("/local/faults", (c) => c.json(core.faults.config()));

  app.post("/local/faults", async (c) => {
    const patch = await readJson(c);
    if (typeof patch !== "object" || patch === null || Array.isArray(patch)) {
      throw new QStashHttpError(400, "body must be a JSON object of fault options");
    }
    const result = core.faults.update(
      patch as Record<string, unknown>,
      core.messages.nextSequence(),
    );
    if (!result.ok) throw new QStashHttpError(400, result.error);
    return c.json(result.config);
  });

  app.get("/local/keys", (c) => c.json(core.keys.keys()));

  app.post("/local/keys/rotate", (c) => c.json(core.keys.rotate()));

  app.get("/local/stats", (c) =>
    c.json({ ...core.stats, pending: core.scheduler.pending(), dlq: core.dlq.all().length }),
  );
};
