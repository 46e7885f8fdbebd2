import { type QstashError, Receiver } from "@upstash/qstash";
import { decodeJwt, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { useQStashFixture } from "./testing/qstashFixture.ts";

// QStash's curve e^(2.5n) with a 2ms unit, capped at 60ms: 24ms, 60ms, 60ms.
const retry = { baseDelayMs: 2, maxDelayMs: 60 };

const f = useQStashFixture({ retry });

describe("retries and the dead-letter queue", () => {
  it("retries a failing endpoint with backoff, then dead-letters the message", async () => {
    f.receiver.respond("/down", () => 503);
    const url = `${f.receiver.url}/down`;
    const { messageId } = await f.client.publishJSON({ url, body: { n: 1 } });
    await f.admin.idle();

    const attempts = f.receiver.at("/down");
    expect(attempts.map((a) => a.retried)).toEqual([0, 1, 2, 3]);
    expect(new Set(attempts.map((a) => a.messageId))).toEqual(new Set([messageId]));
    const gaps = attempts.slice(1).map((a, i) => a.receivedAt - (attempts[i]?.receivedAt ?? 0));
    // Timers never fire early by more than the clock's 1ms rounding.
    expect(gaps[0]).toBeGreaterThanOrEqual(23);
    expect(gaps[1]).toBeGreaterThanOrEqual(59);

    const { messages } = await f.client.dlq.listMessages({ filter: { messageId } });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ messageId, url, responseStatus: 503, body: '{"n":1}' });
    expect(messages[0]?.responseBody).toBe("receiver says no");

    const { logs } = await f.client.logs({ filter: { messageId } });
    const states = logs.map((l) => l.state);
    expect(states.filter((s) => s === "ERROR")).toHaveLength(4);
    expect(states.filter((s) => s === "RETRY")).toHaveLength(3);
    expect(states[0]).toBe("FAILED");
  });

  it("redelivers from the DLQ as a new, correctly signed message", async () => {
    const url = `${f.receiver.url}/down`;
    const { messages } = await f.client.dlq.listMessages({ filter: { url } });
    const entry = messages[0];
    expect(entry).toBeDefined();
    if (!entry) return;
    f.receiver.respond("/down", () => 200);

    const { responses } = await f.client.dlq.retry(entry.dlqId);
    const newId = responses[0]?.messageId;
    expect(newId).toMatch(/^msg_/);
    expect(newId).not.toBe(entry.messageId);
    await f.admin.idle();

    const delivered = f.receiver.at("/down").filter((d) => d.messageId === newId);
    expect(delivered.map((d) => d.status)).toEqual([200]);
    const keys = f.qstash.signingKeys();
    const verifier = new Receiver({ currentSigningKey: keys.current, nextSigningKey: keys.next });
    const [delivery] = delivered;
    await expect(
      verifier.verify({ signature: delivery?.signature ?? "", body: delivery?.body ?? "", url }),
    ).resolves.toBe(true);
    expect((await f.client.dlq.listMessages({ filter: { url } })).messages).toHaveLength(0);
  });

  it("honours Upstash-Retries and deletes DLQ entries", async () => {
    f.receiver.respond("/gone", () => 410);
    const url = `${f.receiver.url}/gone`;
    const { messageId } = await f.client.publishJSON({ url, body: {}, retries: 0 });
    await f.admin.idle();
    expect(f.receiver.at("/gone")).toHaveLength(1);
    const { messages } = await f.client.dlq.listMessages({ filter: { messageId } });
    expect(messages[0]?.maxRetries).toBe(0);

    await f.client.dlq.delete(messages[0]?.dlqId ?? "");
    expect((await f.client.dlq.listMessages({ filter: { messageId } })).messages).toHaveLength(0);
    const again = await f.client.dlq.delete("dlq_missing").catch((e: unknown) => e);
    expect((again as QstashError).status).toBe(404);
  });

  it("follows an Upstash-Retry-Delay expression", async () => {
    let calls = 0;
    f.receiver.respond("/flaky", () => (++calls < 3 ? 500 : 200));
    const url = `${f.receiver.url}/flaky`;
    await f.client.publishJSON({ url, body: {}, retries: 5, retryDelay: "40 * (1 + retried)" });
    await f.admin.idle();
    const attempts = f.receiver.at("/flaky");
    expect(attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    const [a, b, c] = attempts.map((x) => x.receivedAt);
    expect((b ?? 0) - (a ?? 0)).toBeGreaterThanOrEqual(39);
    expect((c ?? 0) - (b ?? 0)).toBeGreaterThanOrEqual(79);
  });

  it("cancels a pending message so it is never delivered", async () => {
    const url = `${f.receiver.url}/cancelled`;
    const { messageId } = await f.client.publishJSON({ url, body: {}, delay: 60 });
    expect(await f.client.messages.cancel(messageId)).toEqual({ cancelled: 1 });
    await f.admin.idle(5_000);
    expect(f.receiver.at("/cancelled")).toHaveLength(0);
    expect((await f.client.messages.get(messageId)).messageId).toBe(messageId);
  });
});

describe("signing key rotation", () => {
  it("signs with the current key; a receiver knowing both accepts either side of a rotation", async () => {
    const before = f.qstash.signingKeys();
    const verifier = new Receiver({
      currentSigningKey: before.current,
      nextSigningKey: before.next,
    });
    const url = `${f.receiver.url}/rotation`;

    await f.client.publishJSON({ url, body: { phase: "before" } });
    await f.admin.idle();
    const rotated = await f.admin.rotateKeys();
    expect(rotated.current).toBe(before.next);
    expect(rotated.next).not.toBe(before.current);
    await f.client.publishJSON({ url, body: { phase: "after" } });
    await f.admin.idle();

    const [first, second] = f.receiver.at("/rotation");
    if (!first || !second) throw new Error("expected two deliveries");
    const keyBytes = (key: string) => new TextEncoder().encode(key);
    await expect(jwtVerify(first.signature, keyBytes(before.current))).resolves.toBeDefined();
    await expect(jwtVerify(second.signature, keyBytes(before.next))).resolves.toBeDefined();
    await expect(jwtVerify(second.signature, keyBytes(before.current))).rejects.toThrow();
    for (const d of [first, second]) {
      await expect(verifier.verify({ signature: d.signature, body: d.body, url })).resolves.toBe(
        true,
      );
    }
    // After the next rotation the first key is gone from the pair.
    const later = new Receiver({
      currentSigningKey: rotated.current,
      nextSigningKey: rotated.next,
    });
    await expect(
      later.verify({ signature: first.signature, body: first.body, url }),
    ).rejects.toThrow();
  });

  it("carries the claims QStash documents", async () => {
    const [delivery] = f.receiver.at("/rotation");
    const claims = decodeJwt(delivery?.signature ?? "");
    expect(claims).toMatchObject({ iss: "Upstash", sub: `${f.receiver.url}/rotation` });
    expect(claims.exp).toBe((claims.iat ?? 0) + 300);
    expect(claims.nbf).toBe(claims.iat);
    expect(claims.jti).toMatch(/^jwt_/);
    // base64url of a 32-byte digest, with QStash's trailing padding.
    expect(claims.body).toMatch(/^[A-Za-z0-9_-]{43}=$/);
  });
});
