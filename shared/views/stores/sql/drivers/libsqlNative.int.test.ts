import { describe, expect, it } from "vitest";
import { assertThat } from "../guard.ts";
import { openLibsqlNative } from "./libsqlNative.ts";

describe("the libsql binding", () => {
  it("finishes a row-returning statement given to run(), so it holds no table of its connection", async () => {
    // :memory: is one connection for everything: an open guard statement there once made a
    // generation switch fail to drop the old namespace with SQLITE_LOCKED
    const db = await openLibsqlNative(":memory:");
    try {
      await db.transaction("write", async (tx) => {
        await tx.run("CREATE TABLE meta (id INTEGER PRIMARY KEY, watermark INTEGER)");
        await tx.run("INSERT INTO meta VALUES (1, 41)");
      });
      const guard = assertThat("(SELECT watermark FROM meta WHERE id = 1) = ?", [41], "moved");
      await db.transaction("write", (tx) => tx.run(guard.sql, guard.args));
      await db.transaction("write", (tx) => tx.run("DROP TABLE meta"));
      const left = await db.reader.all("SELECT name FROM sqlite_master WHERE name = 'meta'");
      expect(left).toEqual([]);
    } finally {
      db.close();
    }
  });
});
