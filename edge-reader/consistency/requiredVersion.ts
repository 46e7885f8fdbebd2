import type { ConsistencyTokens } from "../../shared/consistency/consistencyToken.ts";

export type TokenStatus = "none" | "valid" | "malformed" | "bad_signature" | "expired";

export interface Requirement {
  /** the version this read must reflect; 0 when nothing is required */
  version: number;
  /**
   * The part of it a valid token vouches for: a version that was committed.
   * Only this, never the unsigned `?minVersion=`, may go into a token the
   * reader signs, so a crafted link cannot mint a token past the head.
   */
  signed: number;
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
 * `cqrs_rv` cookie, and `?minVersion=`. `minVersion` is unsigned: it is
 * honoured like a token for routing (within the rate-limited primary budget)
 * but never signed into the token an answer hands out.
 */
export async function requiredVersion(
  tokens: ConsistencyTokens,
  request: { header(name: string): string | undefined; query(name: string): string | undefined },
): Promise<Requirement> {
  const token =
    request.header("x-consistency-token") ?? cookieValue(request.header("cookie"), "cqrs_rv");
  let signed = 0;
  let tokenStatus: TokenStatus = "none";
  if (token) {
    const check = await tokens.verify(token);
    tokenStatus = check.ok ? "valid" : check.reason;
    if (check.ok) signed = check.claims.v;
  }
  const minVersion = request.query("minVersion");
  const asked = minVersion && /^\d{1,15}$/.test(minVersion) ? Number(minVersion) : 0;
  return { version: Math.max(signed, asked), signed, tokenStatus };
}
