import { runPreflight } from "./runPreflight.ts";
import { isPreflightCommand } from "./tools.ts";

// `node --import tsx local/preflight/main.ts start|test`: exits 0, silent, when the command's
// system programs are there (or once it has installed them), 1 when they are not, 2 on bad usage.
const command = process.argv[2];
if (!isPreflightCommand(command)) {
  console.error("usage: node --import tsx local/preflight/main.ts start|test");
  process.exit(2);
}
const ready = await runPreflight(command, {
  env: process.env,
  say: (text) => console.log(text),
  complain: (text) => console.error(text),
});
process.exitCode = ready ? 0 : 1;
