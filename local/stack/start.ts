import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadDevSecrets } from "./devSecrets.ts";
import { processGroup, waitForHttp } from "./processGroup.ts";
import { seedDemoCatalog } from "./seedDemoCatalog.ts";

/**
 * `npm start`: the whole local stack with demo data. Writes `.data/stack.json`
 * once everything answers, and stops every process on Ctrl-C or SIGTERM.
 */
const dataDir = resolve(process.env.DATA_DIR ?? ".data");
const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const ports = { writeApi: port("WRITE_API_PORT", 8080) };
const host = "127.0.0.1";

const { secrets, generated } = loadDevSecrets(join(dataDir, "secrets.json"), process.env);
const group = processGroup({ logDir: join(dataDir, "logs"), echo: process.env.STACK_ECHO === "1" });

let stopping = false;
const shutdown = async (code: number) => {
  if (stopping) return;
  stopping = true;
  console.log("\nstopping the stack…");
  await group.stopAll();
  process.exit(code);
};
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

const tsNode = (entry: string) => ({ command: process.execPath, args: ["--import", "tsx", entry] });

try {
  const writeApiUrl = `http://${host}:${ports.writeApi}`;
  group.start({
    name: "write-api",
    ...tsNode("write-api/runtimes/node.ts"),
    env: {
      PORT: String(ports.writeApi),
      HOSTNAME: host,
      DATABASE_URL: process.env.DATABASE_URL ?? `file:${join(dataDir, "primary.db")}`,
      ADMIN_TOKEN: secrets.adminToken,
      READER_TOKEN: secrets.readerToken,
      CONSISTENCY_SECRET: secrets.consistencySecret,
    },
  });
  await waitForHttp(`${writeApiUrl}/healthz`);
  const { seeded } = await seedDemoCatalog(
    writeApiUrl,
    secrets.adminToken,
    join(dataDir, "seeded"),
  );

  const stack = {
    writeApi: { url: writeApiUrl },
    qstash: { url: null },
    readers: [] as { region: string; url: string; runtime: string; store: string }[],
    tokens: { admin: secrets.adminToken, reader: secrets.readerToken },
  };
  writeFileSync(join(dataDir, "stack.json"), `${JSON.stringify(stack, null, 2)}\n`);
  const status = (await (await fetch(`${writeApiUrl}/v1/status`)).json()) as { head: number };
  console.log(
    [
      "",
      "edge-cqrs local stack is up",
      `  write API   ${writeApiUrl}   (head ${status.head}${seeded ? ", demo catalog seeded" : ""})`,
      `  admin token ${secrets.adminToken}${generated ? `   (generated; kept in ${join(dataDir, "secrets.json")})` : ""}`,
      `  reader token ${secrets.readerToken}`,
      `  stack file  ${join(dataDir, "stack.json")}   logs in ${join(dataDir, "logs")}`,
      "",
      "Press Ctrl-C to stop.",
    ].join("\n"),
  );
} catch (e) {
  console.error(
    `the stack did not start: ${(e as Error).message}\nsee the logs in ${join(dataDir, "logs")}`,
  );
  await shutdown(1);
}
