import { join } from "node:path";
import { createClient, type Client as SqlClient } from "@libsql/client";
import { Client } from "@upstash/qstash";
import { describe, expect, it } from "vitest";
import { useTestStack } from "../../test/e2e/testStack.ts";
import { runCqrs } from "./cli.ts";

const testStack = useTestStack("cli");
const stackFile = () => join(testStack.dataDir, "stack.json");

/** The CLI in-process, with stdout and stderr captured; the stack found through `--stack`. */
async function cqrs(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await runCqrs([...argv, "--stack", stackFile()], {
    stdout: (t) => {
      stdout += t;
    },
    stderr: {
      write: (t) => {
        stderr += t;
      },
      isTTY: false,
    },
    env: {},
    cwd: testStack.dataDir,
  });
  return { code, stdout, stderr };
}

const regionNames = ["eu-workerd", "us-bun", "ap-deno", "sa-d1"];
const products = () => testStack.client.createdProducts();
const usBunDb = () => join(testStack.dataDir, "reader-us-bun.db");

async function withDb<T>(path: string, use: (db: SqlClient) => Promise<T>): Promise<T> {
  const db = createClient({ url: `file:${path}` });
  try {
    await db.execute("PRAGMA busy_timeout = 5000");
    return await use(db);
  } finally {
    db.close();
  }
}

/** The SQL store's live namespace: its tables are `view_<active>_*` ("" means plain `view_*`). */
const liveNamespace = (path: string) =>
  withDb(path, async (db) => {
    const { rows } = await db.execute("SELECT active FROM view_registry WHERE id = 1");
    const active = rows[0]?.active;
    if (typeof active !== "string") throw new Error(`${path} has no view registry`);
    return active;
  });
const pageTable = (namespace: string) =>
  namespace === "" ? "view_page" : `view_${namespace}_page`;

async function readerStatus(region: string) {
  const reader = testStack.launched.stack.readers.find((r) => r.region === region);
  if (!reader) throw new Error(`the stack has no ${region}`);
  const res = await fetch(`${reader.url}/v1/status`);
  return (await res.json()) as { digest: string; generation: { active: string } };
}

describe("npm run cqrs on a real stack", () => {
  it("verify exits 0 and status shows ✓ everywhere on the converged stack", async () => {
    const verify = await cqrs("verify", "--timeout", "20");
    expect(verify.stderr).toBe("");
    expect(verify.code, verify.stdout).toBe(0);
    expect(verify.stdout).toMatch(/all 4 regions agree with the primary/);

    const status = await cqrs("status");
    expect(status.code).toBe(0);
    const lines = status.stdout.trim().split("\n");
    for (const region of regionNames) {
      const line = lines.find((l) => l.startsWith(region));
      expect(line, status.stdout).toMatch(/\s0\s+✓\s/);
    }
    expect(lines[0]).toMatch(/^primary .* head \d+ {2}published \d+/);
  });

  it("dlq list answers through the official QStash Client", async () => {
    const list = await cqrs("dlq", "list", "--json");
    expect(list.stderr).toBe("");
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toHaveProperty("messages");
  });

  it("dlq list shows a dead-lettered message and dlq redrive delivers it again", async () => {
    const qstash = new Client({
      baseUrl: testStack.launched.stack.qstash.url,
      token: testStack.launched.secrets.qstashToken,
      devMode: false,
    });
    const { messageId } = await qstash.publishJSON({
      url: "http://127.0.0.1:9/nowhere",
      body: { n: 1 },
      retries: 0,
    });
    let dlqId = "";
    for (let i = 0; i < 50 && !dlqId; i++) {
      const list = await cqrs("dlq", "list");
      expect(list.code).toBe(0);
      dlqId =
        /^(\S+) {2}(\S+) /m.exec(
          list.stdout.split("\n").find((l) => l.includes(messageId)) ?? "",
        )?.[1] ?? "";
      if (!dlqId) await new Promise((r) => setTimeout(r, 100));
    }
    expect(dlqId).toMatch(/^dlq_/);

    const redrive = await cqrs("dlq", "redrive", dlqId, "dlq_not_there");
    expect(redrive.code).toBe(1);
    expect(redrive.stdout).toMatch(new RegExp(`^redriven ${dlqId} → msg_`, "m"));
    expect(redrive.stdout).toContain("✗ dlq_not_there is not in the dead-letter queue");
    const again = await cqrs("dlq", "redrive", dlqId);
    expect(again.stdout).toContain(`✗ ${dlqId} is not in the dead-letter queue`);
  });

  it("replay builds a view store with the primary's digest", async () => {
    const target = join(testStack.dataDir, "replay.db");
    const replay = await cqrs("replay", "--target", target, "--json");
    expect(replay.code, replay.stderr).toBe(0);
    const primary = await testStack.client.primaryStatus();
    expect(JSON.parse(replay.stdout)).toMatchObject({
      target,
      watermark: primary.head,
      digest: primary.digest,
    });
  });

  it("verify exits 1 after a row of one reader's views is changed behind its back, and rebuild cures it", async () => {
    const [tampered] = await products();
    if (!tampered) throw new Error("the demo catalog has no products");
    const before = await liveNamespace(usBunDb());
    const changed = await withDb(usBunDb(), (db) =>
      db.execute({
        sql: `UPDATE ${pageTable(before)} SET data = json_set(data, '$.name', 'Tampered') WHERE slug = ?`,
        args: [tampered.slug],
      }),
    );
    expect(changed.rowsAffected).toBe(1);
    // No write follows: verify asks for digests computed now, so the change shows at the same watermark.
    const verify = await cqrs("verify", "--timeout", "20");
    expect(verify.code, verify.stdout).toBe(1);
    const primary = await testStack.client.primaryStatus();
    const bunLine = verify.stdout.split("\n").find((l) => l.includes("us-bun"));
    expect(bunLine).toMatch(/^✗ us-bun: digest [0-9a-f]+ differs from the primary's/);
    expect(bunLine).toContain(primary.digest);
    expect(verify.stdout).toMatch(/diverged: us-bun$/m);

    // The digests each store keeps agree (the tamper was no apply); computed afresh, one differs.
    const kept = await cqrs("status", "--json");
    const agreement = (stdout: string) =>
      Object.fromEntries(
        (JSON.parse(stdout) as { regions: { region: string; agreement: string }[] }).regions.map(
          (r) => [r.region, r.agreement],
        ),
      );
    expect(agreement(kept.stdout)["us-bun"]).toBe("equal");
    const status = await cqrs("status", "--fresh", "--json");
    const { regions } = JSON.parse(status.stdout) as {
      regions: { region: string; agreement: string }[];
    };
    expect(Object.fromEntries(regions.map((r) => [r.region, r.agreement]))).toEqual({
      "eu-workerd": "equal",
      "us-bun": "differs",
      "ap-deno": "equal",
      "sa-d1": "equal",
    });
    const text = await cqrs("status", "--fresh");
    expect(text.stdout.split("\n").find((l) => l.startsWith("us-bun"))).toMatch(/\s✗\s/);

    // The log still holds the truth: a new generation built from it replaces the tampered views.
    const rebuild = await cqrs("rebuild", "us-bun", "--json", "--timeout", "120");
    expect(rebuild.code, rebuild.stdout + rebuild.stderr).toBe(0);
    const [result] = (JSON.parse(rebuild.stdout) as { regions: Record<string, unknown>[] }).regions;
    expect(result).toMatchObject({ region: "us-bun", outcome: "switched", from: before });
    const after = result?.to;
    expect(after).not.toBe(before);
    expect(await liveNamespace(usBunDb())).toBe(after);

    const cured = await cqrs("verify", "--timeout", "20");
    expect(cured.code, cured.stdout).toBe(0);
    expect(cured.stdout).toMatch(/all 4 regions agree with the primary/);
    const usBun = await readerStatus("us-bun");
    expect(usBun.generation).toMatchObject({ active: after, building: null });
    expect(usBun.digest).toBe((await testStack.client.primaryStatus()).digest);
  }, 180_000);

  it("rebuild --all switches every region to a new generation, one summary line each", async () => {
    const before = Object.fromEntries(
      await Promise.all(
        regionNames.map(async (r) => [r, (await readerStatus(r)).generation.active] as const),
      ),
    );
    const rebuild = await cqrs("rebuild", "--all", "--timeout", "120");
    expect(rebuild.code, rebuild.stdout + rebuild.stderr).toBe(0);
    const primary = await testStack.client.primaryStatus();
    const lines = rebuild.stdout.trim().split("\n");
    expect(lines).toHaveLength(regionNames.length);
    for (const region of regionNames) {
      const after = (await readerStatus(region)).generation.active;
      expect(after).not.toBe(before[region]);
      const line = lines.find((l) => l.startsWith(`✓ ${region}: `));
      expect(line, rebuild.stdout).toContain(`${before[region]} → ${after} `);
      expect(line).toContain(`digest ${primary.digest}`);
      // the progress bar goes to stderr, named by region
      expect(rebuild.stderr).toContain(`${region} [`);
    }
    const verify = await cqrs("verify", "--timeout", "20");
    expect(verify.code, verify.stdout).toBe(0);
  }, 180_000);

  it("exits 2 with one line when the write API does not answer", async () => {
    const { code, stderr } = await cqrs("status", "--write-api", "http://127.0.0.1:9");
    expect(code).toBe(2);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/cannot reach the write API at http:\/\/127\.0\.0\.1:9/);
  });
});
