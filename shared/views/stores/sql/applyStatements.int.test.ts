import { expect, it } from "vitest";
import { EventLog } from "../../../testing/eventLog.ts";
import { applyEventsInTransaction } from "./applyEvents.ts";
import type { SqlConnection } from "./connection.ts";
import { openViewDb } from "./openSqlViewStore.ts";
import { ensureViewSchema } from "./schema.ts";
import { viewTables } from "./tables.ts";

it("applies batches of one shape with the same statement texts whatever the watermark, so a warm store prepares nothing new", async () => {
  const db = await openViewDb(":memory:");
  const t = viewTables();
  await db.transaction("write", (tx) => ensureViewSchema(tx, t));
  const log = new EventLog();
  const lamps = log.category("lamps", "Lamps");
  const lamp = log.product({ slug: "lamp", name: "Lamp", categoryId: lamps, stock: 1 });
  const texts = new Set<string>();
  const apply = (from: number) =>
    db.transaction("write", (tx) => {
      const recorded: SqlConnection = {
        ...tx,
        run: (sql, args) => {
          texts.add(sql);
          return tx.run(sql, args);
        },
      };
      return applyEventsInTransaction(recorded, log.after(from), t);
    });
  expect((await apply(0)).status).toBe("applied");
  log.stock(lamp, 2, 1);
  await apply(log.head - 1);
  const warm = new Set(texts);
  for (let stock = 3; stock < 8; stock++) {
    log.stock(lamp, stock, 1);
    expect(await apply(log.head - 1)).toMatchObject({ status: "applied", watermark: log.head });
  }
  expect([...texts].filter((sql) => !warm.has(sql))).toEqual([]);
  db.close();
});
