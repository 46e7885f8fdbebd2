import type { ConsistencyTokens } from "../../shared/consistency/consistencyToken.ts";
import { type TokenNeed, versionFor } from "../../shared/consistency/tokenNeed.ts";
import { offeredToken, type TokenStatus } from "../../shared/http/offeredToken.ts";

export interface Requirement {
  /** the version this read must reflect; 0 when nothing is required */
  version: number;
  /** what the valid token asks of every read (`{ v: 0 }` without one): the answer's token follows from it */
  need: TokenNeed;
  /**
   * The part of it a valid token vouches for: a version that was committed.
   * Only this, never the unsigned `?minVersion=`, may go into a token the
   * reader signs, so a crafted link cannot mint a token past the head.
   */
  signed: number;
  /** what an offered token turned out to be; invalid tokens are ignored for routing */
  tokenStatus: TokenStatus;
}

/**
 * What a read of `scopes` must see: the signed token from `X-Consistency-Token`
 * or the `cqrs_rv` cookie (its floor, or a scope's higher version where it
 * names one the read depends on), and `?minVersion=` (given as it came).
 * `minVersion` is unsigned: it is honoured like a token for routing (within
 * the rate-limited primary budget) but never signed into the token an answer
 * hands out.
 */
export async function requiredVersion(
  tokens: ConsistencyTokens,
  headers: { get(name: string): string | null },
  minVersion: string | undefined,
  scopes: readonly string[],
): Promise<Requirement> {
  const { need, status: tokenStatus } = await offeredToken(tokens, headers);
  const signed = versionFor(need, scopes);
  const asked = minVersion && /^\d{1,15}$/.test(minVersion) ? Number(minVersion) : 0;
  return { version: Math.max(signed, asked), need, signed, tokenStatus };
}
