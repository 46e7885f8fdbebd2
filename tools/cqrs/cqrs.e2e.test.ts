import { join } from "node:path";
import { createClient } from "@libsql/client";
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

const products = () => testStack.client.createdProducts();

describe("npm run cqrs on a real stack", () => {
  it("verify exits 0 and status shows ✓ everywhere on the converged stack", async () => {
    const verify = await cqrs("verify", "--timeout", "20");
    expect(verify.stderr).toBe("");
    expect(verify.code, verify.stdout).toBe(0);
    expect(verify.stdout).toMatch(/all 3 regions agree with the primary/);

    const status = await cqrs("status");
    expect(status.code).toBe(0);
    const lines = status.stdout.trim().split("\n");
    for (const region of ["eu-workerd", "us-bun", "ap-deno"]) {
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

  it("verify exits 1 and status shows ✗ after a row of one reader's views is changed behind its back", async () => {
    const [tampered] = await products();
    if (!tampered) throw new Error("the demo catalog has no products");
    const db = createClient({ url: `file:${join(testStack.dataDir, "reader-us-bun.db")}` });
    try {
      await db.execute("PRAGMA busy_timeout = 5000");
      const changed = await db.execute({
        sql: "UPDATE view_page SET data = json_set(data, '$.name', 'Tampered') WHERE slug = ?",
        args: [tampered.slug],
      });
      expect(changed.rowsAffected).toBe(1);
    } finally {
      db.close();
    }
    // No write follows: verify asks for digests computed now, so the change shows at the same watermark.
    const verify = await cqrs("verify", "--timeout", "20");
    expect(verify.code, verify.stdout).toBe(1);
    const primary = await testStack.client.primaryStatus();
    const bunLine = verify.stdout.split("\n").find((l) => l.includes("us-bun"));
    expect(bunLine).toMatch(/^✗ us-bun: digest [0-9a-f]+ differs from the primary's/);
    expect(bunLine).toContain(primary.digest);
    expect(verify.stdout).toMatch(/diverged: us-bun$/m);

    const status = await cqrs("status", "--json");
    const { regions } = JSON.parse(status.stdout) as {
      regions: { region: string; agreement: string }[];
    };
    expect(Object.fromEntries(regions.map((r) => [r.region, r.agreement]))).toEqual({
      "eu-workerd": "agrees",
      "us-bun": "differs",
      "ap-deno": "agrees",
    });
    const text = await cqrs("status");
    expect(text.stdout.split("\n").find((l) => l.startsWith("us-bun"))).toMatch(/\s✗\s/);
  });

  it("exits 2 with one line when the write API does not answer", async () => {
    const { code, stderr } = await cqrs("status", "--write-api", "http://127.0.0.1:9");
    expect(code).toBe(2);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/cannot reach the write API at http:\/\/127\.0\.0\.1:9/);
  });
});
