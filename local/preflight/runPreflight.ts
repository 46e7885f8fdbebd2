import { runAptGet } from "./aptGet.ts";
import { decide, type Missing } from "./decide.ts";
import { findOnPath } from "./findChromium.ts";
import { currentUid, installer } from "./installer.ts";
import { aptSteps, installedMessage, installingMessage, stopMessage } from "./messages.ts";
import { needs, type PreflightCommand, type Tool, tools } from "./tools.ts";

export interface PreflightIo {
  env: NodeJS.ProcessEnv;
  /** Progress: what it is about to install, and what it installed. */
  say(text: string): void;
  /** Why the command cannot run. */
  complain(text: string): void;
}

const look = (env: NodeJS.ProcessEnv) => (tool: Tool) => ({ tool, path: tool.find(env) });

/** The needed tools not found; `pinned` when their variable is set. */
const missingOf = (found: readonly { tool: Tool; path?: string }[], env: NodeJS.ProcessEnv) =>
  found.flatMap(({ tool, path }): Missing[] => {
    if (path !== undefined) return [];
    const pinned = env[tool.variable];
    return [pinned ? { tool, pinned } : { tool }];
  });

/**
 * Makes sure the system programs `npm <command>` needs are there: silent when they are,
 * installs them with apt-get when it can (root, apt-get on PATH, `PREFLIGHT_INSTALL` not `0`)
 * and says so first, else says what is missing and how to install it. True when the command
 * can run.
 *
 * @example
 * if (!(await runPreflight("start", { env: process.env, say: console.log, complain: console.error })))
 *   process.exit(1);
 */
export async function runPreflight(command: PreflightCommand, io: PreflightIo): Promise<boolean> {
  const { env } = io;
  const needed = needs[command].map((name) => tools[name]);
  const aptGet = findOnPath("apt-get", env);
  const canInstall = installer({ env, uid: currentUid(env), aptGet });
  const decision = decide(missingOf(needed.map(look(env)), env), canInstall);
  if (decision.kind === "ready") return true;
  if (decision.kind === "stop") {
    io.complain(stopMessage(command, decision.missing, decision.reason));
    return false;
  }

  io.say(installingMessage(command, decision.missing));
  const outcome = await runAptGet(decision.aptGet, aptSteps(decision.missing), env);
  if (!outcome.ok) {
    io.complain(stopMessage(command, decision.missing, outcome.failure));
    return false;
  }
  const found = decision.missing.map(look(env));
  const stillMissing = { blocker: "apt-get succeeded, yet what it installed is still not found." };
  const after = decide(missingOf(found, env), stillMissing);
  if (after.kind === "stop") {
    io.complain(stopMessage(command, after.missing, after.reason));
    return false;
  }
  io.say(installedMessage(found.flatMap(({ tool, path }) => (path ? [{ tool, path }] : []))));
  return true;
}
