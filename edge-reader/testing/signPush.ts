import { SignJWT } from "jose";

const base64url = (bytes: ArrayBuffer) => Buffer.from(bytes).toString("base64url");

/**
 * Signs a push the way QStash does (HS256 JWT, iss "Upstash", sub the
 * destination URL, body = base64url(sha256(body))), with our own keys, as
 * qstash-js's receiver tests do. Tests verify these with the real Receiver.
 */
export async function signPush(options: {
  key: string;
  url: string;
  body: string;
  expiresInSeconds?: number;
  issuer?: string;
}): Promise<string> {
  const hash = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(options.body));
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ body: base64url(hash) })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(options.issuer ?? "Upstash")
    .setSubject(options.url)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + (options.expiresInSeconds ?? 300))
    .setJti(`jwt_${crypto.randomUUID()}`)
    .sign(new TextEncoder().encode(options.key));
}
