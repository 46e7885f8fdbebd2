import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { groupCpuMs, parseProcStat, procStat, ticksByGroup } from "./groupCpu.ts";

describe("stack CPU by process group", () => {
  it("reads the group and user + system ticks, counting fields from the command name's last parenthesis", () => {
    expect(parseProcStat("42 (node) S 1 42 42 0 -1 4194560 0 0 0 0 150 30 7 9 20 0 11")).toEqual({
      pgrp: 42,
      ticks: 180,
    });
    // a command name may hold spaces and parentheses
    expect(
      parseProcStat("77 (tokio-runtime (w) 2) R 5 61 61 0 -1 0 0 0 0 0 12 3 0 0 20 0 1"),
    ).toEqual({ pgrp: 61, ticks: 15 });
    expect(parseProcStat("")).toBeNull();
    expect(parseProcStat("12 (x) S 1")).toBeNull();
  });

  it("sums every process of a service's group, and says 0 for a group with none left", () => {
    const stats = [
      { pgrp: 7, ticks: 5 },
      { pgrp: 7, ticks: 2 },
      { pgrp: 9, ticks: 40 },
      { pgrp: 1, ticks: 1_000 },
    ];
    const groups = new Map([
      ["qstash", 7],
      ["us-bun", 9],
      ["gone", 11],
    ]);
    expect(ticksByGroup(stats, groups)).toEqual(
      new Map([
        ["qstash", 7],
        ["us-bun", 40],
        ["gone", 0],
      ]),
    );
  });

  it.runIf(existsSync("/proc/self/stat"))(
    "reads a live process's stat, and says null for a pid that is not there",
    () => {
      expect(procStat("self")?.ticks).toBeGreaterThanOrEqual(0);
      // past the kernel's pid_max (at most 2^22)
      expect(procStat(2 ** 23)).toBeNull();
    },
  );

  it.runIf(existsSync("/proc/self/stat"))(
    "counts the CPU a process spent in its own group, its children's included",
    async () => {
      // a group leader whose grandchild spins until it has used 300 ms of CPU: the group, not
      // the parent, is what ties the spinner to the service
      const burn =
        "const s=process.cpuUsage();while(process.cpuUsage(s).user<300000){}process.stdout.write('done\\n');setInterval(()=>{},1000)";
      const spawnOf = (code: string) =>
        `require("node:child_process").spawn(process.execPath,["-e",${JSON.stringify(code)}],{stdio:"inherit"});setInterval(()=>{},1000)`;
      const leader = spawn(process.execPath, ["-e", spawnOf(spawnOf(burn))], {
        detached: true,
        stdio: ["ignore", "pipe", "inherit"],
      });
      try {
        const [chunk] = (await once(leader.stdout, "data")) as [Buffer];
        expect(chunk.toString()).toContain("done");
        const groups = new Map([["burner", leader.pid ?? -1]]);
        const used = groupCpuMs(groups)?.get("burner") ?? 0;
        // the grandchild's 300 ms of user time, counted under its group (clock ticks: 10 ms each)
        expect(used).toBeGreaterThanOrEqual(290);
      } finally {
        if (leader.pid) process.kill(-leader.pid, "SIGKILL");
      }
    },
  );
});
