import { runCqrs } from "./cli.ts";

// npm run cqrs -- <status | verify | dlq list | dlq redrive | replay> [options]; --help for all
process.exitCode = await runCqrs(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: { write: (text) => process.stderr.write(text), isTTY: process.stderr.isTTY === true },
  env: process.env,
  cwd: process.cwd(),
});
