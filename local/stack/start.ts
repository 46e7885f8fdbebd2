import { join, resolve } from "node:path";
import { runPreflight } from "../preflight/runPreflight.ts";
import { defaultPorts, type LaunchedStack, launchStack } from "./launchStack.ts";
import { watchConvergence } from "./watchConvergence.ts";

/**
 * `npm start`: the whole local stack with demo data. Prints every URL and
 * token, shows each region catching up, and stops every process on Ctrl-C or
 * SIGTERM.
 */
const dataDir = resolve(process.env.DATA_DIR ?? ".data");
let launched: LaunchedStack | undefined;
let stopping = false;
const shutdown = async (code: number) => {
  if (stopping) return;
  stopping = true;
  console.log("\nstopping the stack…");
  await launched?.group.stopAll();
  process.exit(code);
};
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
process.on("SIGHUP", () => void shutdown(0));
// npm does not pass a SIGTERM on to its script: it exits and leaves us behind.
// Seeing our parent change is how we learn of it, and we stop the stack then.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void shutdown(0);
}, 500).unref();

// redis-server comes from the system, not npm: installed here when it can be, else named with
// the command that installs it, before anything starts.
const preflightIo = { env: process.env, say: console.log, complain: console.error };
if (!(await runPreflight("start", preflightIo))) process.exit(1);

try {
  console.log(
    "starting redis-server, the Upstash-REST server, QStash, the write API and the readers…",
  );
  launched = await launchStack({
    dataDir,
    ports: defaultPorts(process.env),
    echo: process.env.STACK_ECHO === "1",
    env: process.env,
  });
  const { stack, secrets, generated, seeded } = launched;
  console.log(
    [
      "",
      "edge-cqrs local stack is up",
      `  write API      ${stack.writeApi.url}${seeded ? "   (demo catalog seeded)" : ""}`,
      `  dashboard      ${stack.writeApi.url}/dashboard   (log in with the admin token)`,
      `  local QStash   ${stack.qstash.url}   token ${secrets.qstashToken}`,
      ...stack.readers.map(
        (r) => `  reader ${r.region.padEnd(11)} ${r.url}   ${r.runtime} + ${r.store}`,
      ),
      `  admin token    ${stack.tokens.admin}`,
      `  reader token   ${stack.tokens.reader}${generated ? `   (generated; kept in ${join(dataDir, "secrets.json")})` : ""}`,
      `  stack file     ${join(dataDir, "stack.json")}   logs in ${join(dataDir, "logs")}`,
      "",
    ].join("\n"),
  );
  await watchConvergence(stack, (line) => console.log(line));
  console.log("\nPress Ctrl-C to stop.");
} catch (e) {
  console.error(
    `the stack did not start: ${(e as Error).message}\nsee the logs in ${join(dataDir, "logs")}`,
  );
  await shutdown(1);
}
