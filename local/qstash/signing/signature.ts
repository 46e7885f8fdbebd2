import { createHash, createHmac, randomUUID } from "node:crypto";

/** QStash's JWTs live five minutes (its security docs: "a lifetime of 5 minutes by default"). */
export const SIGNATURE_TTL_SECONDS = 300;

/** The claims of an `Upstash-Signature` JWT. */
export interface SignatureClaims {
  iss: "Upstash";
  /** The URL the request is delivered to. */
  sub: string;
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  /** base64url(sha256(raw body)), padded as in QStash's own example token. */
  body: string;
  [claim: string]: unknown;
}

/**
 * The `body` claim. QStash's documented example token carries it in the
 * URL-safe alphabet *with* `=` padding; the official Receiver strips trailing
 * `=` from both sides before comparing, so either form verifies, and emitting
 * the padded one keeps verifiers honest about that.
 *
 * @example
 * bodyHashClaim(new TextEncoder().encode("")); // "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU="
 */
export const bodyHashClaim = (body: Uint8Array): string =>
  createHash("sha256").update(body).digest("base64").replaceAll("+", "-").replaceAll("/", "_");

/**
 * The claims QStash signs for one delivery attempt.
 *
 * @example
 * signatureClaims("https://reader/ingest", body, Date.now());
 */
export const signatureClaims = (url: string, body: Uint8Array, nowMs: number): SignatureClaims => {
  const now = Math.floor(nowMs / 1_000);
  return {
    iss: "Upstash",
    sub: url,
    exp: now + SIGNATURE_TTL_SECONDS,
    nbf: now,
    iat: now,
    // 32 hex digits as before; randomUUID draws from a pool instead of a call for 16 bytes
    jti: `jwt_${randomUUID().replaceAll("-", "")}`,
    body: bodyHashClaim(body),
  };
};

const jwtHeader = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");

/**
 * Signs claims as an HS256 JWT (RFC 7519's compact form) with a signing key
 * used as raw UTF-8 bytes, exactly how the Receiver feeds the key to
 * `jose.jwtVerify`. node:crypto signs in place: a delivery signs one per
 * endpoint and attempt, and jose's WebCrypto round trip cost more than the
 * rest of the delivery.
 *
 * @example
 * const jwt = signClaims(signatureClaims(url, body, Date.now()), keys.current);
 */
export const signClaims = (claims: SignatureClaims, signingKey: string): string => {
  const input = `${jwtHeader}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
  return `${input}.${createHmac("sha256", signingKey).update(input).digest("base64url")}`;
};
