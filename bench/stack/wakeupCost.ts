import { spawn } from "node:child_process";
import { once } from "node:events";
import { Agent } from "node:http";
import { msPerClockTick, procStat } from "./groupCpu.ts";
import { httpCall } from "./httpCall.ts";
import { openLoop } from "./stackWrites.ts";

/** A bare server's CPU per request at one request rate. */
export interface WakeupCost {
  rate: number;
  requests: number;
  /** user + system time of the server process per request answered, µs */
  cpuUsPerRequest: number;
}

// Answers every request "ok": nothing but the HTTP server and the event loop.
const bareServer = `const s = require("node:http").createServer((q, r) => { q.resume(); q.on("end", () => r.end("ok")); });
s.listen(0, "127.0.0.1", () => process.stdout.write(s.address().port + "\\n"));`;

const cpuMsOf = (pid: number): number => {
  const stat = procStat(pid);
  if (!stat) throw new Error(`no readable /proc/${pid}/stat for the bare server`);
  return stat.ticks * msPerClockTick();
};

/**
 * What this machine charges a process for being woken: a bare `node:http`
 * server in a process of its own, driven open loop at each rate in turn, and
 * its CPU per request from `/proc`. Where waking from idle is cheap the
 * figures are close; under some virtual machines a wake costs hundreds of
 * µs, which the stack pays at every hop of a write when writes are sparse.
 * Null where there is no `/proc`.
 *
 * @example
 * await wakeupCost([50, 2_000], 3_000); // → [{ rate: 50, requests: 150, cpuUsPerRequest: 720 }, …]
 */
export async function wakeupCost(
  rates: readonly number[],
  ms: number,
): Promise<WakeupCost[] | null> {
  if (!procStat("self")) return null;
  const server = spawn(process.execPath, ["-e", bareServer], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  try {
    // its port, or why it never printed one
    const [chunk] = (await Promise.race([
      once(server.stdout, "data"),
      once(server, "exit").then(([code]) => {
        throw new Error(`the bare server exited (code ${String(code)}) before listening`);
      }),
    ])) as [Buffer];
    const url = `http://127.0.0.1:${Number.parseInt(chunk.toString(), 10)}/`;
    const pid = server.pid ?? 0;
    // requests answered while `rate` a second are sent for `forMs`
    const drive = async (rate: number, forMs: number) => {
      const loop = openLoop(rate, () => httpCall(agent, url, { method: "POST", body: "x" }));
      await new Promise((r) => setTimeout(r, forMs));
      return (await loop.stop()).outcomes.length;
    };
    const out: WakeupCost[] = [];
    // warm the server's code first, so the first rate does not pay its compilation
    await drive(1_000, 500);
    for (const rate of rates) {
      const before = cpuMsOf(pid);
      const requests = await drive(rate, ms);
      // the last answers' own CPU is in by the time they arrived; let the server settle
      await new Promise((r) => setTimeout(r, 50));
      const used = cpuMsOf(pid) - before;
      out.push({ rate, requests, cpuUsPerRequest: (used * 1_000) / Math.max(1, requests) });
    }
    return out;
  } finally {
    agent.destroy();
    server.kill("SIGKILL");
  }
}
