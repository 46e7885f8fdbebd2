import { afterEach, describe, expect, it } from "vitest";
import type { WireEvent } from "../../shared/events/types.ts";
import { createLogger, type LogLine, memorySink } from "../../shared/logging/logger.ts";
import { createRelay } from "../../write-api/relay/relay.ts";
import { categoryCreate, productCreate } from "../../write-api/testing/catalogFixtures.ts";
import { testSettings } from "../../write-api/testing/testWriteApi.ts";
import { type Harness, readerHarness } from "./readerHarness.ts";

let h: Harness;
let lines: LogLine[];
afterEach(() => h.close());

const start = async () => {
  const memory = memorySink();
  lines = memory.lines;
  h = await readerHarness({ log: createLogger({ sink: memory.sink, level: "info" }) });
};

const send = async (body: unknown, requestId?: string) => {
  const res = await h.api.command(body, requestId ? { "x-request-id": requestId } : {});
  expect(res.status).toBe(200);
  return {
    requestId: res.headers.get("x-request-id") ?? "",
    version: ((await res.json()) as { version: number }).version,
  };
};

const served = async (after = 0) => {
  const res = await h.api.app.request(`http://primary.test/v1/events?after=${after}`, {
    headers: { authorization: `Bearer ${testSettings.readerToken}` },
  });
  return ((await res.json()) as { events: WireEvent[] }).events;
};

const logged = (msg: string) => lines.filter((l) => l.msg === msg);

describe("a write's request id", () => {
  it("is echoed, stored with its events, served by /v1/events and logged by the reader's apply", async () => {
    await start();
    const first = await send(
      { commands: [categoryCreate("lamps"), productCreate("desk-lamp", "lamps")] },
      "req-lamps-0001",
    );
    expect(first).toEqual({ requestId: "req-lamps-0001", version: 2 });
    const second = await send(productCreate("floor-lamp", "lamps"));
    expect(second.requestId).toMatch(/^[0-9a-f-]{36}$/);

    const events = await served();
    expect(events.map((e) => [e.seq, e.meta?.requestId])).toEqual([
      [1, "req-lamps-0001"],
      [2, "req-lamps-0001"],
      [3, second.requestId],
    ]);
    expect(logged("command committed")).toEqual([
      expect.objectContaining({ requestId: "req-lamps-0001", seqFrom: 1, seqTo: 2, version: 2 }),
      expect.objectContaining({ requestId: second.requestId, seqFrom: 3, seqTo: 3 }),
    ]);

    expect((await h.push(events)).status).toBe(200);
    expect(logged("reader applied")).toEqual([
      expect.objectContaining({
        level: "info",
        region: "test",
        via: "push",
        seqFrom: 1,
        seqTo: 3,
        events: 3,
        requestIds: ["req-lamps-0001", second.requestId],
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      }),
    ]);
  });

  it("travels through the relay's push to the reader, and catch-up logs it too", async () => {
    await start();
    const relay = await createRelay({
      log: h.api.primary.events,
      reads: h.api.primary.reads.reader,
      write: h.api.primary.write,
      // QStash forwards the body verbatim: hand it to the reader's ingest as a signed push
      publish: async ({ body }) => {
        const res = await h.push((JSON.parse(body) as { events: WireEvent[] }).events);
        if (res.status !== 200) throw new Error(`push refused: ${res.status}`);
      },
      limits: { maxEvents: 100, maxBytes: 100_000 },
      backstopIntervalMs: 60_000,
      report: () => {},
      logger: createLogger({ sink: (l) => lines.push(l) }),
    });
    try {
      await send(categoryCreate("rugs"), "req-rugs-1");
      await relay.drain();
      expect(logged("relay published")).toEqual([
        expect.objectContaining({
          seqFrom: 1,
          seqTo: 1,
          requestIds: ["req-rugs-1"],
          publishMs: expect.any(Number),
        }),
      ]);
      expect(logged("reader applied")).toEqual([
        expect.objectContaining({ via: "push", region: "test", requestIds: ["req-rugs-1"] }),
      ]);
    } finally {
      await relay.stop();
    }

    // a write the push never brought: the reader pulls it and says whose it was
    await send(productCreate("jute-rug", "rugs"), "req-rugs-2");
    expect(await h.reader.catchUp.run()).toMatchObject({ watermark: 2, applied: 1 });
    expect(logged("reader applied").at(-1)).toMatchObject({
      via: "catch-up",
      region: "test",
      seqFrom: 2,
      seqTo: 2,
      requestIds: ["req-rugs-2"],
    });
  });

  it.each([
    ["spaces", "not a sane id"],
    ["too long", "x".repeat(201)],
    ["a newline smuggled in", "abc%0Ainjected"],
  ])("is generated when the incoming one is not sane (%s)", async (_name, incoming) => {
    await start();
    const { requestId } = await send(categoryCreate("mats"), incoming);
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect((await served())[0]?.meta?.requestId).toBe(requestId);
  });
});
