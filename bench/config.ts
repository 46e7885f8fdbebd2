/** The knobs of a run; `--quick` trades precision for a run under two minutes. */
export interface BenchConfig {
  mode: "quick" | "full";
  seed: number;
  products: number;
  /** listing page size; quick mode has 50 products a category, so page 10 needs a small one */
  listingLimit: number;
  rounds: number;
  readConcurrency: number;
  cellMs: number;
  warmupMs: number;
  writeConcurrencies: number[];
  bun: boolean;
}

export function benchConfig(args: string[]): BenchConfig {
  const quick = args.includes("--quick");
  return {
    mode: quick ? "quick" : "full",
    seed: 42,
    products: quick ? 10_000 : 100_000,
    listingLimit: quick ? 5 : 20,
    rounds: quick ? 2 : 3,
    readConcurrency: 16,
    cellMs: quick ? 500 : 1_500,
    warmupMs: quick ? 150 : 400,
    writeConcurrencies: [1, 16, 64],
    bun: !args.includes("--no-bun"),
  };
}
