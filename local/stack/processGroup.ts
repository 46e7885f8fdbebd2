import { type ChildProcess, spawn } from "node:child_process";
import { appendFileSync, closeSync, createWriteStream, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";

export interface ServiceSpec {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

/**
 * Starts the stack's processes, each in its own process group so that a stop
 * also reaches what they spawn (Miniflare's workerd, npm's node), and writes
 * each one's output to `<logDir>/<name>.log` (and to the console when asked).
 */
export function processGroup(options: { logDir: string; echo: boolean }) {
  mkdirSync(options.logDir, { recursive: true });
  const running = new Map<string, { child: ChildProcess }>();
  const stopHooks: (() => void)[] = [];

  const start = (spec: ServiceSpec): ChildProcess => {
    const path = join(options.logDir, `${spec.name}.log`);
    // Not echoed, a child appends to its log itself: under a write load the
    // readers' and the write API's lines cost this process a tenth of a core
    // when they passed through its pipes.
    const fd = options.echo ? null : openSync(path, "a");
    const child = spawn(spec.command, spec.args, {
      env: { ...process.env, ...spec.env },
      stdio: ["ignore", fd ?? "pipe", fd ?? "pipe"],
      detached: true,
    });
    const exitLine = (code: number | null, signal: NodeJS.Signals | null) =>
      `\n[exited code=${code} signal=${signal}]\n`;
    if (fd !== null) {
      // the child holds its own copy
      closeSync(fd);
      child.on("close", (code, signal) => appendFileSync(path, exitLine(code, signal)));
    } else {
      const log = createWriteStream(path, { flags: "a" });
      for (const stream of [child.stdout, child.stderr]) {
        stream?.on("data", (chunk: Buffer) => {
          if (!log.writableEnded) log.write(chunk);
          for (const line of chunk.toString().split("\n").filter(Boolean)) {
            process.stdout.write(`[${spec.name}] ${line}\n`);
          }
        });
      }
      // "close" comes after the last output of the child's pipes; "exit" may come
      // before it, and a write to an ended log throws (a restart under the same name, too).
      child.on("close", (code, signal) => log.end(exitLine(code, signal)));
    }
    child.on("exit", () => {
      if (running.get(spec.name)?.child === child) running.delete(spec.name);
    });
    running.set(spec.name, { child });
    return child;
  };

  const signal = (child: ChildProcess, sig: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, sig);
    } catch {
      // already gone
    }
  };

  const stop = async (name: string, graceMs = 5_000): Promise<void> => {
    const entry = running.get(name);
    if (!entry) return;
    const { child } = entry;
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once("exit", () => resolve());
    });
    signal(child, "SIGTERM");
    const timer = setTimeout(() => signal(child, "SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
    // the group may outlive its leader (workerd under Miniflare): make sure
    signal(child, "SIGKILL");
  };

  return {
    start,
    stop,
    /** kill -9 a service, for crash tests */
    kill(name: string) {
      const entry = running.get(name);
      if (entry) signal(entry.child, "SIGKILL");
    },
    /** runs once when the group stops, before its processes are signalled */
    onStop(hook: () => void) {
      stopHooks.push(hook);
    },
    async stopAll(): Promise<void> {
      for (const hook of stopHooks.splice(0)) hook();
      await Promise.all([...running.keys()].reverse().map((name) => stop(name)));
    },
    names: () => [...running.keys()],
    /** each running service's pid, which is also its process group's id (each starts its own group) */
    groups(): Map<string, number> {
      const out = new Map<string, number>();
      for (const [name, { child }] of running) if (child.pid) out.set(name, child.pid);
      return out;
    },
  };
}

export type ProcessGroup = ReturnType<typeof processGroup>;

/** Polls `url` until it answers 2xx, or fails after `deadlineMs`. */
export async function waitForHttp(
  url: string,
  deadlineMs = 30_000,
  init?: RequestInit,
): Promise<void> {
  const until = Date.now() + deadlineMs;
  let last = "no answer";
  while (Date.now() < until) {
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (e) {
      last = (e as Error).message;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up within ${deadlineMs} ms (${last})`);
}
