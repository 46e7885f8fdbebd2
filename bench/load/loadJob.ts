/** One cell of load: what the load worker process is told to do. */
export interface LoadJob {
  /** e.g. http://127.0.0.1:8091 (loopback only) */
  origin: string;
  /** request paths, taken round-robin */
  paths: string[];
  method: "GET" | "POST";
  headers?: Record<string, string>;
  /** POST body; every `{{n}}` becomes a value unique to this request */
  bodyTemplate?: string;
  /** prefix of the unique values, unique per cell */
  uniquePrefix?: string;
  concurrency: number;
  durationMs: number;
  /** requests before measuring starts, on the same connections */
  warmupMs: number;
}

/** What one cell measured, latencies in milliseconds. */
export interface LoadResult {
  requests: number;
  errors: number;
  firstError: string | null;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
}
