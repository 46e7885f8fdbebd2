import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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

describe("opening a view file another process holds for a moment", () => {
  it("waits for it at open instead of failing with SQLITE_BUSY", async () => {
    // Another reader opening or closing the same file (WAL recovery, the checkpoint at close)
    // holds it for a moment: Bun and Deno readers opening at that instant failed with
    // "database is locked". A process that holds it for 300 ms stands in for that moment.
    const dir = mkdtempSync(join(tmpdir(), "busy-open-"));
    const path = join(dir, "views.db");
    (await openLibsqlNative(path)).close();
    const holder = spawn(
      process.execPath,
      [
        "-e",
        `const Database = require("libsql");
         const db = new Database(${JSON.stringify(path)});
         db.exec("PRAGMA locking_mode = EXCLUSIVE");
         db.exec("BEGIN EXCLUSIVE");
         process.stdout.write("held\\n");
         setTimeout(() => { db.exec("COMMIT"); db.close(); }, 300);`,
      ],
      { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.once("data", () => resolve());
        holder.once("exit", (code) => reject(new Error(`the holder exited (${code}) first`)));
      });
      const db = await openLibsqlNative(path);
      try {
        const mode = await db.reader.first<{ journal_mode: string }>("PRAGMA journal_mode");
        expect(mode?.journal_mode).toBe("wal");
      } finally {
        db.close();
      }
    } finally {
      holder.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
