import type { ConsistencyTokens } from "../../shared/consistency/consistencyToken.ts";

export type TokenStatus = "none" | "valid" | "malformed" | "bad_signature" | "expired";

export interface Requirement {
  /** the version this read must reflect; 0 when nothing is required */
  version: number;
  /** what an offered token turned out to be; invalid tokens are ignored for routing */
  tokenStatus: TokenStatus;
}

const cookieValue = (header: string | undefined, name: string): string | undefined => {
  for (const part of header?.split(";") ?? []) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=");
  }
  return undefined;
};

/**
 * What a read must see: the signed token from `X-Consistency-Token` or the
 * `cqrs_rv` cookie, and `?minVersion=`. `minVersion` is unsigned, so it is
 * honoured like a token but can cost at most the rate-limited primary budget.
 */
export async function requiredVersion(
  tokens: ConsistencyTokens,
  request: { header(name: string): string | undefined; query(name: string): string | undefined },
): Promise<Requirement> {
  const token =
    request.header("x-consistency-token") ?? cookieValue(request.header("cookie"), "cqrs_rv");
  let version = 0;
  let tokenStatus: TokenStatus = "none";
  if (token) {
    const check = await tokens.verify(token);
    tokenStatus = check.ok ? "valid" : check.reason;
    if (check.ok) version = check.claims.v;
  }
  const minVersion = request.query("minVersion");
  if (minVersion && /^\d{1,15}$/.test(minVersion)) version = Math.max(version, Number(minVersion));
  return { version, tokenStatus };
}
