import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { procFile } from "./procFile.ts";

describe.runIf(existsSync("/proc/self/stat"))("procFile", () => {
  it("hands this process's file to the parser, and says null for a process that is not there", () => {
    expect(procFile("self", "stat", (text) => text.split(" ")[0])).toBe(String(process.pid));
    expect(procFile(2 ** 22 + 1, "stat", (text) => text)).toBeNull();
  });

  it("says null where the parser does", () => {
    expect(procFile("self", "stat", () => null)).toBeNull();
  });
});
