import { runRebuildCli } from "./cli.ts";
import { boundRebuildHeapGrowth } from "./heapGrowth.ts";

// tsx tools/rebuild/rebuild.ts --target .data/replica.db [--from N] [--source URL] [--reader-token T] [--json]
boundRebuildHeapGrowth();
process.exitCode = await runRebuildCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: { write: (text) => process.stderr.write(text), isTTY: process.stderr.isTTY === true },
  env: process.env,
  cwd: process.cwd(),
});
