import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { errorBody } from "./errors.ts";

const digest = (text: string) => createHash("sha256").update(text).digest();

/**
 * Requires `Authorization: Bearer <token>`, as QStash does; answers 401 with
 * a QStash-shaped `{ "error": … }` otherwise. Compares digests in constant
 * time so the token cannot be guessed byte by byte.
 *
 * @example
 * app.use("/v2/*", bearerAuth(core.token));
 */
export const bearerAuth =
  (token: string): MiddlewareHandler =>
  async (c, next) => {
    const match = /^Bearer\s+(.+)$/i.exec(c.req.header("authorization") ?? "");
    const given = match?.[1]?.trim();
    if (given === undefined || !timingSafeEqual(digest(given), digest(token))) {
      return c.json(errorBody("Unauthorized: missing or invalid bearer token"), 401);
    }
    await next();
  };
