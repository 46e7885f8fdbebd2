/** The knobs of a run; `--quick` trades precision for a short run (reads alone: about 4 min). */
export interface BenchConfig {
  mode: "quick" | "full";
  seed: number;
  products: number;
  /** the long history the `history` section rebuilds: a catalog of `products` grown to `events` */
  history: { products: number; events: number };
  /** listing page size; quick mode has 50 products a category, so page 10 needs a small one */
  listingLimit: number;
  rounds: number;
  readConcurrency: number;
  cellMs: number;
  warmupMs: number;
  writeConcurrencies: number[];
  bun: boolean;
  /** the Deno reader, baseline and limit; `--no-deno` skips them */
  deno: boolean;
  /** the Worker reader and limit on workerd (local/workerd); `--no-workerd` skips them */
  workerd: boolean;
  /** `--only=reads,propagation,…`: the sections to run; empty runs them all */
  only: string[];
}

/** Every section a run can have; data generation runs when reads, writes or rebuild do. */
export const benchSections = [
  "history",
  "rebuild",
  "reads",
  "writes",
  "propagation",
  "ryw",
  "stackreads",
] as const;
export type BenchSection = (typeof benchSections)[number];

/**
 * `history` (a million events to generate once and rebuild twice) would take
 * the full run past its 10 minutes: it runs only when asked, `--only=history`.
 */
const optIn: readonly BenchSection[] = ["history"];

export const runs = (config: BenchConfig, section: BenchSection): boolean =>
  config.only.length === 0 ? !optIn.includes(section) : config.only.includes(section);

export function benchConfig(args: string[]): BenchConfig {
  const quick = args.includes("--quick");
  return {
    mode: quick ? "quick" : "full",
    seed: 42,
    products: quick ? 10_000 : 100_000,
    history: quick
      ? { products: 10_000, events: 100_000 }
      : { products: 100_000, events: 1_000_000 },
    listingLimit: quick ? 5 : 20,
    rounds: quick ? 2 : 3,
    readConcurrency: 16,
    cellMs: quick ? 350 : 1_500,
    warmupMs: quick ? 100 : 400,
    writeConcurrencies: [1, 16, 64],
    bun: !args.includes("--no-bun"),
    deno: !args.includes("--no-deno"),
    workerd: !args.includes("--no-workerd"),
    only: onlyOf(args),
  };
}

function onlyOf(args: string[]): string[] {
  const only = args
    .filter((a) => a.startsWith("--only="))
    .flatMap((a) => a.slice("--only=".length).split(","))
    .flatMap((s) => (s === "stack" ? ["propagation", "ryw", "stackreads"] : [s]))
    .filter(Boolean);
  const unknown = only.filter((s) => !(benchSections as readonly string[]).includes(s));
  if (unknown.length > 0) {
    throw new Error(
      `unknown --only section ${unknown.join(", ")}; one of ${benchSections.join(", ")}, stack`,
    );
  }
  return only;
}
