import type { ConsistencyTokens } from "../consistency/consistencyToken.ts";
import type { TokenNeed } from "../consistency/tokenNeed.ts";

export type TokenStatus = "none" | "valid" | "malformed" | "bad_signature" | "expired";

const cookieValue = (header: string | null, name: string): string | undefined => {
  for (const part of header?.split(";") ?? []) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=");
  }
  return undefined;
};

/**
 * The consistency token a request offers (`X-Consistency-Token`, else the
 * `cqrs_rv` cookie), verified: what it asks (`{ v: 0 }` when there is none or
 * it is invalid, which routes nothing) and what it turned out to be.
 *
 * @example
 * await offeredToken(tokens, c.req.raw.headers); // → { need: { v: 40, k: { "p:desk-lamp": 42 } }, status: "valid" }
 */
export async function offeredToken(
  tokens: ConsistencyTokens,
  headers: { get(name: string): string | null },
): Promise<{ need: TokenNeed; status: TokenStatus }> {
  const token = headers.get("x-consistency-token") ?? cookieValue(headers.get("cookie"), "cqrs_rv");
  if (!token) return { need: { v: 0 }, status: "none" };
  const check = await tokens.verify(token);
  if (!check.ok) return { need: { v: 0 }, status: check.reason };
  const { v, k } = check.claims;
  return { need: k ? { v, k } : { v }, status: "valid" };
}
