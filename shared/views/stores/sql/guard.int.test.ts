import { expect, it } from "vitest";
import { assertThat, isWriteConflict } from "./guard.ts";
import { openViewDb } from "./openSqlViewStore.ts";

it("a failed assertThat aborts its transaction and says it was a write conflict", async () => {
  const db = await openViewDb(":memory:");
  await db.reader.run("CREATE TABLE t (id INTEGER PRIMARY KEY, w INTEGER NOT NULL)");
  await db.reader.run("INSERT INTO t VALUES (1, 5)");
  const check = (w: number) => assertThat("(SELECT w FROM t WHERE id = 1) = ?", [w], "w moved");
  const write = (w: number) =>
    db.transaction("write", async (tx) => {
      await tx.run("UPDATE t SET w = w + 1");
      const { sql, args } = check(w);
      await tx.run(sql, args);
    });
  await write(6);
  const failed = await write(6).catch((e: unknown) => e);
  expect(isWriteConflict(failed)).toBe(true);
  expect(String(failed)).toContain("w moved");
  expect(isWriteConflict(new Error("UNIQUE constraint failed"))).toBe(false);
  // the passing write committed, the failing one left nothing
  expect(await db.reader.all("SELECT w FROM t")).toEqual([{ w: 6 }]);
  db.close();
});
