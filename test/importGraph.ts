import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

export type ImportGraph = Map<string, { local: string[]; packages: string[] }>;

const skip = new Set(["node_modules", ".git", ".data", ".wrangler", "coverage"]);

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    if (skip.has(name)) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });

const specifiers = (source: string): string[] =>
  [
    ...source.matchAll(
      /(?:^|\n)\s*(?:import|export)[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g,
    ),
  ].map((m) => m[1] ?? m[2] ?? "");

/** Every source file's relative and package imports, keyed by repo-relative path. */
export function importGraph(root: string): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const file of sourceFiles(root)) {
    const local: string[] = [];
    const packages: string[] = [];
    for (const spec of specifiers(readFileSync(file, "utf8"))) {
      if (spec.startsWith(".")) local.push(relative(root, resolve(dirname(file), spec)));
      else packages.push(spec);
    }
    graph.set(relative(root, file), { local, packages });
  }
  return graph;
}

/** Files reachable from `entry`, the entry included. */
export function reachable(graph: ImportGraph, entry: string): Set<string> {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    stack.push(...(graph.get(file)?.local ?? []));
  }
  return seen;
}

/** One import cycle if there is any, as the list of files around it. */
export function findCycle(graph: ImportGraph): string[] | null {
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (file: string): string[] | null => {
    if (state.get(file) === "done") return null;
    if (state.get(file) === "open") return [...path.slice(path.indexOf(file)), file];
    state.set(file, "open");
    path.push(file);
    for (const next of graph.get(file)?.local ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(file, "done");
    return null;
  };
  for (const file of graph.keys()) {
    const cycle = visit(file);
    if (cycle) return cycle;
  }
  return null;
}
