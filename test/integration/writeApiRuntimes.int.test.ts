import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  runtimeCommand,
  type WriteApiRuntime,
  writeApiRuntimes,
} from "../../local/stack/runtimeCommand.ts";
import { categoryCreate, productCreate } from "../../write-api/testing/catalogFixtures.ts";

// The write API as each runtime entry serves it (`npm run write-api`, `bun
// write-api/runtimes/bun.ts`, `deno run -A write-api/runtimes/deno.ts`): the
// same commands, reads and refusals, and its primary on the libsql binding
// everywhere. The in-process suites hold the app itself to its contract.

const root = fileURLToPath(new URL("../../", import.meta.url));
const tokens = { admin: "runtime-admin-token-0123456789", reader: "runtime-reader-token-012345" };

interface Served {
  url: string;
  /** the binding its primary runs on, as its "listening" line says */
  primary: string;
  stop(): Promise<number | null>;
}

/** Starts a runtime's entry on the primary file, port 0, no relay; resolves once it listens. */
async function serve(runtime: WriteApiRuntime, databaseUrl: string): Promise<Served> {
  const { command, args } = runtimeCommand(runtime, `write-api/runtimes/${runtime}.ts`);
  const child: ChildProcess = spawn(command, args, {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    // only what a runtime needs to find itself and its caches: no stray QSTASH_TOKEN or LOG_LEVEL
    env: {
      ...Object.fromEntries(
        ["PATH", "HOME", "TMPDIR", "DENO_DIR", "XDG_CACHE_HOME", "BUN_INSTALL"].flatMap((k) =>
          process.env[k] === undefined ? [] : [[k, process.env[k]]],
        ),
      ),
      NO_COLOR: "1",
      PORT: "0",
      DATABASE_URL: databaseUrl,
      ADMIN_TOKEN: tokens.admin,
      READER_TOKEN: tokens.reader,
      CONSISTENCY_SECRET: "runtime-consistency-secret-0123",
      LOG_LEVEL: "warn",
    },
  });
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr += String(d);
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  const listening = await new Promise<{ url: string; primary: string }>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(
      () => reject(new Error(`the ${runtime} write API did not listen\n${stderr}`)),
      60_000,
    );
    child.stdout?.on("data", (d) => {
      out += String(d);
      const line = out.split("\n").find((l) => l.includes('"write-api listening"'));
      if (!line) return;
      clearTimeout(timer);
      resolve(JSON.parse(line) as { url: string; primary: string });
    });
    void exited.then((code) =>
      reject(new Error(`the ${runtime} write API exited ${code}\n${stderr}`)),
    );
  });
  return {
    ...listening,
    stop: async () => {
      child.kill("SIGTERM");
      return exited;
    },
  };
}

const admin = { authorization: `Bearer ${tokens.admin}`, "content-type": "application/json" };
const reader = { authorization: `Bearer ${tokens.reader}` };

for (const runtime of writeApiRuntimes) {
  describe(`the write API served by ${runtime}`, () => {
    const dir = mkdtempSync(join(tmpdir(), `write-api-${runtime}-`));
    const databaseUrl = `file:${join(dir, "primary.db")}`;
    let api: Served;
    const command = (body: unknown) =>
      fetch(`${api.url}/v1/commands`, {
        method: "POST",
        headers: admin,
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
    const head = async () => {
      const res = await fetch(`${api.url}/v1/events?after=0&limit=100`, { headers: reader });
      return ((await res.json()) as { head: number }).head;
    };

    beforeAll(async () => {
      api = await serve(runtime, databaseUrl);
    }, 90_000);
    afterAll(async () => {
      await api?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it("runs its primary, a local file, on the libsql binding", () => {
      expect(api.primary).toBe("libsql");
    });

    it("commits commands and answers them from the primary's reads", async () => {
      const res = await command({
        commands: [
          categoryCreate("hats"),
          productCreate("felt-hat", "hats", { status: "active", stock: 5 }),
        ],
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { version: number }).version).toBe(2);
      const page = await fetch(`${api.url}/v1/read/products/felt-hat`, { headers: reader });
      expect(page.status).toBe(200);
      expect(await page.json()).toMatchObject({
        product: { slug: "felt-hat", stock: 5 },
        watermark: 2,
      });
    });

    it("refuses bad input with a 4xx and its error, and changes nothing", async () => {
      const before = await head();
      const malformed = await command("{not json");
      expect(malformed.status).toBe(400);
      expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe(
        "malformed_json",
      );
      const unknownCategory = await command({
        commands: [productCreate("lost-hat", "no-such-category")],
      });
      expect(unknownCategory.status).toBeGreaterThanOrEqual(400);
      expect(unknownCategory.status).toBeLessThan(500);
      expect(await unknownCategory.json()).toMatchObject({ error: { code: expect.any(String) } });
      expect(await head()).toBe(before);
    });

    it("stops on SIGTERM and finds every committed command in its log when started again", async () => {
      const before = await head();
      expect(await api.stop()).toBe(0);
      api = await serve(runtime, databaseUrl);
      expect(await head()).toBe(before);
      const res = await command({ commands: [categoryCreate("caps")] });
      expect(((await res.json()) as { version: number }).version).toBe(before + 1);
    }, 90_000);
  });
}
