import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { currentEventVersions } from "../../shared/events/eventVersions.ts";
import type { SqlDatabase } from "../../shared/views/stores/sql/connection.ts";
import { openLibsqlClient } from "../../shared/views/stores/sql/drivers/libsqlClient.ts";
import { readEventRows } from "../../test/fixtures/loadEventLog.ts";
import { openPrimary, type Primary } from "../db/openPrimary.ts";
import { eventStore, restoreEvents } from "./eventStore.ts";

const fixturePath = join(import.meta.dirname, "../../test/fixtures/catalogLog.v1.jsonl");
const dir = mkdtempSync(join(tmpdir(), "event-store-"));
let primary: Primary;
let client: SqlDatabase;

beforeAll(async () => {
  const url = `file:${join(dir, "primary.db")}`;
  primary = await openPrimary({ url });
  // the fixture's v1 rows, three of them with a request id as commands store it
  const rows = readEventRows(fixturePath).map((row, i) =>
    i % 100 === 7 ? { ...row, request_id: `req-${i}` } : row,
  );
  await primary.write((tx) => restoreEvents(tx, rows));
  client = await openLibsqlClient(url);
});
afterAll(() => {
  client?.close();
  primary?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the event store's pages", () => {
  it("read the same events as arrays (the libsql binding) as as objects (@libsql/client)", async () => {
    // the primary's own binding hands rows over as arrays: the path under test
    expect(primary.reads.reader.values).toBeTypeOf("function");
    expect(client.reader.values).toBeUndefined();
    const arrays = eventStore(primary.reads.reader);
    const objects = eventStore(client.reader);
    for (const [after, limit] of [
      [0, 1_000],
      [0, 1],
      [5, 50],
      [280, 10],
      [283, 10],
    ] as const) {
      expect(await arrays.read(after, limit)).toEqual(await objects.read(after, limit));
    }
  });

  it("upcast every event and carry the request id where the row has one", async () => {
    const { events, head } = await eventStore(primary.reads.reader).read(0, 1_000);
    expect(head).toBe(283);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 283 }, (_, i) => i + 1));
    for (const e of events) expect(e.schemaVersion).toBe(currentEventVersions[e.type]);
    expect(events.filter((e) => e.meta).map((e) => [e.seq, e.meta?.requestId])).toEqual([
      [8, "req-7"],
      [108, "req-107"],
      [208, "req-207"],
    ]);
    const created = events.find((e) => e.type === "category.created");
    expect(created?.aggregateId).toBe("cat_fx001");
    expect(created?.at).toBe("2026-11-25T10:30:02.872Z");
  });
});
