import { spawn } from "node:child_process";

const OUTPUT_TAIL_CHARS = 4_000;

export type AptOutcome = { ok: true } | { ok: false; failure: string };

/**
 * Runs `aptGet` once per step, in order, non-interactively, and stops at the first that fails.
 * Their output is kept, not shown (an install prints hundreds of lines), and its tail is the
 * failure's message.
 */
export async function runAptGet(
  aptGet: string,
  steps: readonly (readonly string[])[],
  env: NodeJS.ProcessEnv,
): Promise<AptOutcome> {
  for (const args of steps) {
    const failure = await runStep(aptGet, args, { ...env, DEBIAN_FRONTEND: "noninteractive" });
    if (failure !== undefined) return { ok: false, failure };
  }
  return { ok: true };
}

function runStep(aptGet: string, args: readonly string[], env: NodeJS.ProcessEnv) {
  return new Promise<string | undefined>((resolve) => {
    let output = "";
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
    };
    const child = spawn(aptGet, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", keep);
    child.stderr.on("data", keep);
    const command = `apt-get ${args.join(" ")}`;
    child.once("error", (error) => resolve(`${command} did not run: ${error.message}`));
    child.once("close", (code, signal) => {
      if (code === 0) return resolve(undefined);
      const how = signal ? `signal ${signal}` : `exit code ${code}`;
      resolve(`${command} failed (${how}):\n${output.trimEnd()}`);
    });
  });
}
