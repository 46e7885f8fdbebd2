export type Labels = Record<string, string>;

const defaultBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

const labelText = (labels: Labels, extra?: [string, string]): string => {
  const pairs = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1));
  if (extra) pairs.push(extra);
  if (pairs.length === 0) return "";
  const escapeValue = (v: string) =>
    v.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");
  return `{${pairs.map(([k, v]) => `${k}="${escapeValue(v)}"`).join(",")}}`;
};

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

/**
 * A label set's key in the series maps, cheap enough for every request: its
 * pairs in the order given. Two orders of the same labels make two entries,
 * which `render` merges under their sorted text.
 */
function seriesKey(labels: Labels): string {
  let key = "";
  for (const name in labels) key += `${name}\u0000${labels[name]}\u0001`;
  return key;
}

/** Histogram entries of one name merged by their label text. */
function mergedHistograms(
  series: Map<string, { labels: Labels; h: Histogram }> | undefined,
): Array<{ labels: Labels; h: Histogram }> {
  const merged = new Map<string, { labels: Labels; h: Histogram }>();
  for (const { labels, h } of series?.values() ?? []) {
    const text = labelText(labels);
    const into = merged.get(text);
    if (!into) {
      merged.set(text, { labels, h: { counts: [...h.counts], sum: h.sum, count: h.count } });
      continue;
    }
    into.h.counts = into.h.counts.map((c, i) => c + (h.counts[i] ?? 0));
    into.h.sum += h.sum;
    into.h.count += h.count;
  }
  return [...merged.values()];
}

/**
 * A small Prometheus registry that runs anywhere (Workers included): counters
 * and histograms kept in memory, gauges read when scraped. Names are declared
 * with their help text once; unknown names throw, so a typo fails a test
 * instead of silently making a new series.
 *
 * @example
 * const metrics = createMetrics({ cqrs_commands_total: { type: "counter", help: "commands committed" } });
 * metrics.inc("cqrs_commands_total", { type: "product.publish" });
 * await metrics.render(); // "# HELP cqrs_commands_total commands committed\n# TYPE …"
 */
export function createMetrics(
  declared: Readonly<
    Record<string, { type: "counter" | "histogram"; help: string; buckets?: readonly number[] }>
  >,
) {
  const counters = new Map<string, Map<string, { labels: Labels; value: number }>>();
  const histograms = new Map<string, Map<string, { labels: Labels; h: Histogram }>>();
  const gauges = new Map<string, { help: string; read: () => number | Promise<number> }>();

  const spec = (name: string, type: "counter" | "histogram") => {
    const d = declared[name];
    if (d?.type !== type) throw new Error(`metric ${name} is not a declared ${type}`);
    return d;
  };
  const seriesOf = <T>(store: Map<string, Map<string, T>>, name: string) => {
    let series = store.get(name);
    if (!series) {
      series = new Map();
      store.set(name, series);
    }
    return series;
  };

  const counterEntry = (name: string, labels: Labels) => {
    spec(name, "counter");
    const series = seriesOf(counters, name);
    const key = seriesKey(labels);
    let entry = series.get(key);
    if (!entry) {
      entry = { labels, value: 0 };
      series.set(key, entry);
    }
    return entry;
  };
  const histogramEntry = (name: string, labels: Labels) => {
    const buckets = spec(name, "histogram").buckets ?? defaultBuckets;
    const series = seriesOf(histograms, name);
    const key = seriesKey(labels);
    let entry = series.get(key);
    if (!entry) {
      entry = { labels, h: { counts: buckets.map(() => 0), sum: 0, count: 0 } };
      series.set(key, entry);
    }
    return { buckets, h: entry.h };
  };
  const record = ({ buckets, h }: { buckets: readonly number[]; h: Histogram }, value: number) => {
    for (let i = 0; i < buckets.length; i++) {
      if (value <= (buckets[i] ?? 0)) h.counts[i] = (h.counts[i] ?? 0) + 1;
    }
    h.sum += value;
    h.count++;
  };

  return {
    inc(name: string, labels: Labels = {}, by = 1): void {
      counterEntry(name, labels).value += by;
    },
    observe(name: string, value: number, labels: Labels = {}): void {
      record(histogramEntry(name, labels), value);
    },
    /**
     * One counter series, looked up once: for a hot path that counts the
     * same labels again and again (`inc` builds the labels' key each time).
     */
    counter(name: string, labels: Labels = {}): { inc(by?: number): void } {
      const entry = counterEntry(name, labels);
      return {
        inc(by = 1) {
          entry.value += by;
        },
      };
    },
    /** One histogram series, looked up once (as `counter`). */
    histogram(name: string, labels: Labels = {}): { observe(value: number): void } {
      const entry = histogramEntry(name, labels);
      return { observe: (value) => record(entry, value) };
    },
    gauge(name: string, help: string, read: () => number | Promise<number>): void {
      gauges.set(name, { help, read });
    },
    async render(): Promise<string> {
      const lines: string[] = [];
      for (const [name, d] of Object.entries(declared)) {
        lines.push(`# HELP ${name} ${d.help}`, `# TYPE ${name} ${d.type}`);
        if (d.type === "counter") {
          const merged = new Map<string, number>();
          for (const { labels, value } of counters.get(name)?.values() ?? []) {
            const text = labelText(labels);
            merged.set(text, (merged.get(text) ?? 0) + value);
          }
          for (const [text, value] of merged) lines.push(`${name}${text} ${value}`);
          continue;
        }
        const buckets = d.buckets ?? defaultBuckets;
        for (const { labels, h } of mergedHistograms(histograms.get(name))) {
          for (const [i, b] of buckets.entries()) {
            lines.push(`${name}_bucket${labelText(labels, ["le", String(b)])} ${h.counts[i]}`);
          }
          lines.push(`${name}_bucket${labelText(labels, ["le", "+Inf"])} ${h.count}`);
          lines.push(
            `${name}_sum${labelText(labels)} ${h.sum}`,
            `${name}_count${labelText(labels)} ${h.count}`,
          );
        }
      }
      for (const [name, g] of gauges) {
        lines.push(`# HELP ${name} ${g.help}`, `# TYPE ${name} gauge`, `${name} ${await g.read()}`);
      }
      return `${lines.join("\n")}\n`;
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
