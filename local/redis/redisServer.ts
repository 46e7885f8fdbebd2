import { type ChildProcess, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { installCommands } from "../preflight/installCommands.ts";
import { tools } from "../preflight/tools.ts";
import { findFreePort } from "./freePort.ts";
import { probeRedis } from "./probeRedis.ts";

const HOST = "127.0.0.1";
// Polling the port is the readiness condition; the interval only bounds how often we ask.
const PROBE_INTERVAL_MS = 25;
const OUTPUT_TAIL_CHARS = 4_000;

export interface RedisServerOptions {
  /** Port to listen on; a free loopback port is picked when omitted. */
  port?: number;
  /** Working directory for RDB/AOF files; a temp directory, removed on stop, when omitted. */
  dataDir?: string;
  /** Value of `--save`; the default `""` turns RDB snapshots off. */
  save?: string;
  /** `--appendonly yes|no`; off by default. */
  appendOnly?: boolean;
  /** The binary; defaults to env `REDIS_SERVER_BIN`, then `redis-server` on PATH. */
  bin?: string;
  /** Extra `--option value` arguments passed through verbatim. */
  extraArgs?: readonly string[];
  /** How long to wait for the first PONG; default 10 s. */
  startTimeoutMs?: number;
  /** How long SIGTERM may take before SIGKILL; default 5 s. */
  stopTimeoutMs?: number;
}

export interface RedisServer {
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly dataDir: string;
  /** SIGTERM, then SIGKILL after `stopTimeoutMs`; idempotent. */
  stop(): Promise<void>;
}

class PortInUseError extends Error {
  override readonly name = "PortInUseError";
}

class EndedWhileStartingError extends Error {
  override readonly name = "EndedWhileStartingError";
}

type Ended = { code: number | null; signal: NodeJS.Signals | null; error?: Error };

/**
 * Spawns a real `redis-server` on loopback and resolves once it answers (and is
 * the process we spawned, not another server already on the port).
 *
 * The child is killed if this process exits without calling `stop()`, so test
 * runs that crash do not leave servers behind.
 *
 * @example
 * ```ts
 * const redis = await startRedisServer({ appendOnly: true });
 * console.log(redis.url); // redis://127.0.0.1:41234
 * await redis.stop();
 * ```
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const ownsDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "redis-server-")));
  if (!ownsDir) await mkdir(dataDir, { recursive: true });
  // A picked port can be taken between probing and binding; a given one cannot be retried.
  const attempts = options.port === undefined ? 3 : 1;
  try {
    for (let attempt = 1; ; attempt++) {
      const port = options.port ?? (await findFreePort(HOST));
      try {
        return await launch(port, dataDir, ownsDir, options);
      } catch (error) {
        if (!(error instanceof PortInUseError) || attempt >= attempts) throw error;
      }
    }
  } catch (error) {
    if (ownsDir) await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

interface Child {
  readonly process: ChildProcess;
  /** Settles once the process is gone and its output fully read (or it never started). */
  readonly ended: Promise<Ended>;
  /** The last few KB of stdout and stderr, for error messages. */
  output(): string;
}

function spawnChild(bin: string, args: readonly string[]): Child {
  const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keepTail = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-OUTPUT_TAIL_CHARS);
  };
  // Draining both pipes also keeps a chatty server from blocking on a full pipe.
  child.stdout?.on("data", keepTail);
  child.stderr?.on("data", keepTail);
  // "close", not "exit": only then has the last line (say "Address already in use") arrived.
  const ended = new Promise<Ended>((resolve) => {
    child.once("error", (error) => resolve({ code: null, signal: null, error }));
    child.once("close", (code, signal) => resolve({ code, signal }));
  });
  return { process: child, ended, output: () => output };
}

async function launch(
  port: number,
  dataDir: string,
  ownsDir: boolean,
  options: RedisServerOptions,
): Promise<RedisServer> {
  const bin = options.bin ?? process.env.REDIS_SERVER_BIN ?? "redis-server";
  const child = spawnChild(bin, [
    ...["--port", String(port), "--bind", HOST, "--dir", dataDir, "--daemonize", "no"],
    ...["--save", options.save ?? "", "--appendonly", options.appendOnly ? "yes" : "no"],
    ...(options.extraArgs ?? []),
  ]);
  const killOnExit = () => child.process.kill("SIGKILL");
  process.once("exit", killOnExit);
  const stopChild = async () => {
    await terminate(child, options.stopTimeoutMs ?? 5_000);
    process.off("exit", killOnExit);
  };

  try {
    await waitUntilReady(child, port, options.startTimeoutMs ?? 10_000);
  } catch (error) {
    await stopChild();
    throw error instanceof EndedWhileStartingError ? await startFailure(bin, child) : error;
  }

  let stopping: Promise<void> | undefined;
  return {
    port,
    url: `redis://${HOST}:${port}`,
    dataDir,
    stop: () => {
      stopping ??= stopChild().then(async () => {
        if (ownsDir) await rm(dataDir, { recursive: true, force: true });
      });
      return stopping;
    },
  };
}

async function waitUntilReady(child: Child, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const outcome = await Promise.race([
      probeRedis(port, HOST, Math.max(50, deadline - Date.now())),
      child.ended.then(() => "ended" as const),
    ]);
    if (outcome === "ended") throw new EndedWhileStartingError("redis-server ended while starting");
    // Another server on the port answers too; only our child's pid means ready.
    if (outcome.answered && (outcome.pid === undefined || outcome.pid === child.process.pid))
      return;
    if (Date.now() >= deadline) {
      throw new Error(`redis-server on port ${port} did not answer in time.\n${child.output()}`);
    }
    await delay(PROBE_INTERVAL_MS);
  }
}

async function terminate({ process: child, ended }: Child, timeoutMs: number) {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  child.kill("SIGTERM");
  const cancel = new AbortController();
  const timer = delay(timeoutMs, "timeout" as const, { signal: cancel.signal }).catch(() => "");
  const first = await Promise.race([ended, timer]);
  cancel.abort();
  if (first === "timeout") {
    child.kill("SIGKILL");
    await ended;
  }
}

async function startFailure(bin: string, child: Child): Promise<Error> {
  const end = await child.ended;
  const output = child.output();
  if ((end.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT") {
    return new Error(
      `redis-server binary not found (tried "${bin}"). Install it with \`${installCommands([tools["redis-server"]]).apt}\` ` +
        "or point REDIS_SERVER_BIN at the binary.",
    );
  }
  if (output.includes("Address already in use")) return new PortInUseError(output);
  const how = end.error?.message ?? `exit code ${end.code}, signal ${end.signal}`;
  return new Error(`redis-server exited before it was ready (${how}).\n${output}`);
}
