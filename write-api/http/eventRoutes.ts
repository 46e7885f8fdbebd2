import type { Hono } from "hono";
import { ValidationError } from "../../shared/errors/index.ts";
import type { Primary } from "../db/openPrimary.ts";

export const maxEventsPerPage = 1_000;

const intParam = (raw: string | undefined, name: string, fallback: number, max: number): number => {
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value > max) {
    throw new ValidationError(`${name} must be an integer from 0 to ${max}`, [
      { path: name, message: "not an integer in range" },
    ]);
  }
  return value;
};

/** `GET /v1/events?after=N&limit=M` → `{ events, head }`: the log, for catch-up and rebuild. */
export const eventRoutes = (primary: Primary) => (app: Hono) =>
  app.get("/v1/events", async (c) => {
    const after = intParam(c.req.query("after"), "after", 0, Number.MAX_SAFE_INTEGER);
    const limit = Math.max(1, intParam(c.req.query("limit"), "limit", 100, maxEventsPerPage));
    return c.json(await primary.events.read(after, limit));
  });
