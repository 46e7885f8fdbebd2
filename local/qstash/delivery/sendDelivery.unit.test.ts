import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import type { StoredMessage } from "../state/types.ts";
import type { SendToEndpoint } from "./endpointSender.ts";
import { sendDelivery } from "./sendDelivery.ts";

const message = (timeoutMs: number): StoredMessage => ({
  messageId: "msg_test",
  sequence: 1,
  url: "http://127.0.0.1:9/v1/ingest",
  method: "POST",
  header: { "Content-Type": "application/json" },
  body: new TextEncoder().encode("{}"),
  maxRetries: 0,
  retried: 0,
  notBefore: 0,
  createdAt: 0,
  timeoutMs,
  labels: [],
  state: "CREATED",
});

/** An endpoint that answers only when told, or fails with its request's signal. */
const endpoint = () => {
  const pending: ((status: number) => void)[] = [];
  const send: SendToEndpoint = (_url, r) =>
    new Promise((resolve, reject) => {
      r.signal.addEventListener("abort", () => reject(r.signal.reason), { once: true });
      pending.push((status) => resolve({ status, header: {}, body: "" }));
    });
  return { send, answer: (status: number) => pending.shift()?.(status) };
};

const abortListeners = (signal: AbortSignal) => getEventListeners(signal, "abort").length;

describe("sendDelivery", () => {
  it("fails an attempt the endpoint leaves unanswered past the message's timeout", async () => {
    const engine = new AbortController();
    const { send } = endpoint();
    const result = await sendDelivery(message(30), {
      signingKey: "sig_test",
      now: Date.now(),
      signal: engine.signal,
      send,
    });
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining("TimeoutError") });
  });

  it("waits for an endpoint under a timeout longer than a timer can count (Upstash-Timeout: 30d)", async () => {
    const engine = new AbortController();
    const { send, answer } = endpoint();
    const delivered = sendDelivery(message(30 * 86_400_000), {
      signingKey: "sig_test",
      now: Date.now(),
      signal: engine.signal,
      send,
    });
    await new Promise((r) => setTimeout(r, 30));
    answer(200);
    expect(await delivered).toEqual({ ok: true, status: 200 });
  });

  it("fails an attempt when the engine stops, and leaves nothing on the engine's signal after any attempt", async () => {
    const engine = new AbortController();
    const { send, answer } = endpoint();
    const options = { signingKey: "sig_test", now: Date.now(), signal: engine.signal, send };
    for (let i = 0; i < 50; i++) {
      const delivered = sendDelivery(message(30_000), options);
      answer(200);
      expect(await delivered).toEqual({ ok: true, status: 200 });
    }
    expect(abortListeners(engine.signal)).toBe(0);
    const stopped = sendDelivery(message(30_000), options);
    expect(abortListeners(engine.signal)).toBe(1);
    engine.abort(new Error("the engine stopped"));
    expect(await stopped).toMatchObject({
      ok: false,
      error: expect.stringContaining("the engine stopped"),
    });
    expect(abortListeners(engine.signal)).toBe(0);
  });
});
