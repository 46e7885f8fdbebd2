import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { sameSecret } from "../../shared/http/bearerAuth.ts";

/** The browser's dashboard session; scoped to `/dashboard` and never readable by scripts. */
export const sessionCookie = "cqrs_dashboard";
export const sessionTtlMs = 12 * 60 * 60_000;

const encoder = new TextEncoder();

const hmac = async (key: string, text: string): Promise<string> => {
  const k = await crypto.subtle.importKey(
    "raw",
    encoder.encode(key),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", k, encoder.encode(text)));
  return btoa(String.fromCharCode(...mac))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
};

/**
 * A session value `expiry.mac`, keyed by the admin token itself: the cookie
 * never holds the token, and rotating the token ends every session.
 *
 * @example
 * const value = await issueSession(settings.adminToken, Date.now());
 * await validSession(settings.adminToken, value, Date.now()); // → true
 */
export async function issueSession(adminToken: string, now: number): Promise<string> {
  const expires = now + sessionTtlMs;
  return `${expires}.${await hmac(adminToken, `dashboard-session:${expires}`)}`;
}

/**
 * Whether a cookie value is a session this admin token issued and that has not expired.
 *
 * @example
 * await validSession(adminToken, getCookie(c, sessionCookie), Date.now());
 */
export async function validSession(
  adminToken: string,
  value: string | undefined,
  now: number,
): Promise<boolean> {
  const match = value?.match(/^(\d{1,15})\.([\w-]{43})$/);
  if (!match?.[1] || !match[2]) return false;
  const expires = Number(match[1]);
  const expected = await hmac(adminToken, `dashboard-session:${expires}`);
  return (await sameSecret(match[2], expected)) && expires > now;
}

/**
 * Who may see the dashboard: an `Authorization: Bearer <ADMIN_TOKEN>` header
 * (scripts, the CLI) or a session cookie from the login form (browsers). A
 * header, when sent, decides alone: a wrong token is refused even with a cookie.
 *
 * @example
 * if (!(await isAdmin(c, settings.adminToken))) throw new UnauthorizedError("…");
 */
export async function isAdmin(c: Context, adminToken: string, now = Date.now()): Promise<boolean> {
  const header = c.req.header("authorization");
  if (header !== undefined) {
    const given = header.match(/^Bearer\s+(\S+)$/i)?.[1];
    return given !== undefined && (await sameSecret(given, adminToken));
  }
  return validSession(adminToken, getCookie(c, sessionCookie), now);
}
