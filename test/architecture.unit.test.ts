import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { findCycle, importGraph, reachable } from "./importGraph.ts";

const root = resolve(import.meta.dirname, "..");
const graph = importGraph(root);

const violations = (from: string, forbidden: RegExp) =>
  [...graph].flatMap(([file, { local }]) =>
    file.startsWith(from)
      ? local.filter((t) => forbidden.test(t)).map((t) => `${file} → ${t}`)
      : [],
  );

describe("architecture", () => {
  it("finds the source tree", () => {
    expect(graph.size).toBeGreaterThan(20);
  });

  it("keeps shared/ free of app, tool and stand-in code", () => {
    expect(violations("shared/", /^(write-api|edge-reader|local|tools|bench|test)\//)).toEqual([]);
  });

  it("never lets production code import the local stand-ins or the other app", () => {
    expect(violations("write-api/", /^(local|edge-reader|tools|bench)\//)).toEqual([]);
    expect(violations("edge-reader/", /^(local|write-api|tools|bench)\//)).toEqual([]);
  });

  it("has no import cycles", () => {
    expect(findCycle(graph)).toBeNull();
  });

  // The SQL store itself is plain TypeScript over the `SqlDatabase` port, which
  // the Worker runs on D1; what opens a native binding (libSQL, bun:sqlite,
  // node:sqlite, a file) is not, and only the D1 driver may come along.
  const nativeSql = (f: string) =>
    f === "shared/views/stores/sql/openSqlViewStore.ts" ||
    f === "shared/views/stores/sql/index.ts" ||
    (f.startsWith("shared/views/stores/sql/drivers/") &&
      f !== "shared/views/stores/sql/drivers/d1.ts");

  it("keeps native libSQL out of the Worker bundle", () => {
    const entry = "edge-reader/runtimes/cloudflare.ts";
    if (!existsSync(resolve(root, entry))) return expect(graph.has(entry)).toBe(false);
    const bundle = reachable(graph, entry);
    const native = [...bundle].filter(
      (f) =>
        nativeSql(f) ||
        graph.get(f)?.packages.some((p) => p.startsWith("@libsql/") || p.startsWith("node:")),
    );
    expect(native).toEqual([]);
  });
});
