import { Client, Receiver } from "@upstash/qstash";
import { afterAll, beforeAll } from "vitest";
import { createQStashServer, type QStashServer, type QStashServerOptions } from "../server.ts";
import { type LocalAdmin, localAdmin } from "./localAdmin.ts";
import { startTestReceiver, type TestReceiver } from "./receiverApp.ts";

export interface QStashFixture {
  qstash: QStashServer;
  /** records every delivery, for checking with the official Receiver */
  receiver: TestReceiver;
  /** the official Client, given only baseUrl and token */
  client: Client;
  /** the official Receiver with the server's current and next keys */
  verifier: Receiver;
  admin: LocalAdmin;
}

/**
 * A local QStash server and a recording receiver for one test file: started
 * before its tests, stopped after them.
 *
 * @example
 * const f = useQStashFixture({ retry: { baseDelayMs: 1 } });
 * it("delivers", async () => { await f.client.publishJSON({ url: `${f.receiver.url}/ok`, body: {} }); });
 */
export function useQStashFixture(options: QStashServerOptions = {}): QStashFixture {
  const fixture = {} as QStashFixture;
  beforeAll(async () => {
    const qstash = await createQStashServer(options);
    const keys = qstash.signingKeys();
    Object.assign(fixture, {
      qstash,
      receiver: await startTestReceiver(),
      client: new Client({ baseUrl: qstash.url, token: qstash.token }),
      verifier: new Receiver({ currentSigningKey: keys.current, nextSigningKey: keys.next }),
      admin: localAdmin(qstash.url, qstash.token),
    });
  });
  afterAll(async () => {
    await fixture.qstash?.close();
    await fixture.receiver?.close();
  });
  return fixture;
}
