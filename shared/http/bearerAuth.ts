import type { MiddlewareHandler } from "hono";
import { UnauthorizedError } from "../errors/index.ts";

const encoder = new TextEncoder();

const digest = async (text: string) =>
  new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));

/**
 * Compares hashes, so the time taken says nothing about how much of the token matched.
 *
 * @example
 * await sameSecret(given, settings.adminToken); // → true or false, in the same time
 */
export const sameSecret = async (given: string, expected: string): Promise<boolean> => {
  const [a, b] = await Promise.all([digest(given), digest(expected)]);
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
};

/**
 * Requires `Authorization: Bearer <token>` matching one of the accepted tokens.
 *
 * @example
 * app.use("/v1/commands", requireBearer(() => [config.adminToken], "admin"));
 */
export const requireBearer =
  (accepted: () => readonly string[], role: string): MiddlewareHandler =>
  async (c, next) => {
    const header = c.req.header("authorization");
    const match = header?.match(/^Bearer\s+(\S+)$/i);
    if (!match?.[1]) throw new UnauthorizedError(`an ${role} bearer token is required`);
    const given = match[1];
    const checks = await Promise.all(accepted().map((t) => sameSecret(given, t)));
    if (!checks.includes(true)) throw new UnauthorizedError(`the ${role} token is not valid`);
    await next();
  };
