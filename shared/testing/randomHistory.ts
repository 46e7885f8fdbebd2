import fc from "fast-check";
import type { ProductStatus } from "../domain/catalog.ts";
import type { StoredEvent } from "../events/types.ts";
import { EventLog } from "./eventLog.ts";

/** One random choice per event; interpreted against the history so far, so every history is legal. */
export interface Intent {
  op: number;
  a: number;
  b: number;
  c: number;
}

/** Words with case, diacritics and ligatures, so search normalization is always exercised. */
export const historyWords = [
  "Lamp",
  "lamp",
  "Crème",
  "brûlée",
  "Café",
  "cafe",
  "red",
  "Blue",
  "Äpfel",
  "desk",
  "chair",
  "ÉCLAIR",
  "naïve",
  "oak",
  "ﬁne",
  "Zoë",
  "set",
  "2-pack",
] as const;
const amounts = [0, 100, 250, 999, 1_000, 1_999, 5_000];
const currencies = ["EUR", "EUR", "EUR", "USD"];

interface ModelProduct {
  id: string;
  status: ProductStatus;
  stock: number;
}

interface Model {
  categories: string[];
  /** live products; a delete swaps the last one into the hole */
  live: ModelProduct[];
  created: number;
  maxCategories: number;
  /** share of ops 8-11 (4% of all) that rename a category; the rest create products */
  renameShare: number;
}

const pick = <T>(list: readonly T[], n: number): T => list[n % list.length] as T;
const phrase = (n: number, words: number) =>
  Array.from({ length: words }, (_, i) => pick(historyWords, Math.floor(n / 7 ** i))).join(" ");

/** A live product the op may touch: probes a few from a random start so large histories stay linear. */
function target(m: Model, start: number, legal: (p: ModelProduct) => boolean) {
  for (let k = 0; k < Math.min(8, m.live.length); k++) {
    const p = m.live[(start + k) % m.live.length];
    if (p && legal(p)) return p;
  }
  return undefined;
}

function updateFields(m: Model, { a, b, c }: Intent) {
  return {
    ...(a % 2 === 0 ? { name: phrase(b, 1 + (c % 3)) } : {}),
    ...(b % 3 === 0 ? { description: phrase(c, c % 5) } : {}),
    ...(c % 3 === 0 || (a % 2 !== 0 && b % 3 !== 0)
      ? { categoryId: pick(m.categories, b + c) }
      : {}),
    ...(c % 4 === 1 ? { attributes: { color: pick(historyWords, b), size: c % 50 } } : {}),
  };
}

/** Appends the event an intent asks for, or a product creation when that is not legal now. */
function step(log: EventLog, m: Model, i: Intent): void {
  const { op, a, b, c } = i;
  const kind = op % 100;
  if (m.categories.length === 0 || (kind < 8 && m.categories.length < m.maxCategories)) {
    const parent = m.categories.length === 0 || a % 3 === 0 ? null : pick(m.categories, b);
    m.categories.push(log.category(`c${m.categories.length}`, phrase(c, 1 + (a % 2)), parent));
    return;
  }
  if (kind >= 8 && kind < 12 && c % 1_000 < m.renameShare * 1_000) {
    log.renameCategory(pick(m.categories, a), phrase(b, 1 + (c % 3)));
    return;
  }
  const p =
    kind < 36
      ? undefined
      : kind < 81 && kind >= 73
        ? target(m, a, (x) => x.status !== "active")
        : kind < 89 && kind >= 81
          ? target(m, a, (x) => x.status !== "archived")
          : target(m, a, () => true);
  if (p === undefined) createProduct(log, m, i);
  else if (kind < 46) log.update(p.id, updateFields(m, i));
  else if (kind < 58) log.price(p.id, b % 5 === 0 ? b * 13 : pick(amounts, b), pick(currencies, c));
  else if (kind < 73) {
    // the write side refuses a zero delta and stock below zero
    const lowered = Math.max(0, p.stock + ((b % 9) - 4 || 1));
    const stock = lowered === p.stock ? p.stock + 1 : lowered;
    log.stock(p.id, stock, stock - p.stock);
    p.stock = stock;
  } else if (kind < 89) {
    p.status = kind < 81 ? "active" : "archived";
    if (kind < 81) log.publish(p.id);
    else log.archive(p.id);
  } else {
    log.delete(p.id);
    const last = m.live.pop();
    if (last && last !== p) m.live[m.live.indexOf(p)] = last;
  }
}

function createProduct(log: EventLog, m: Model, i: Intent) {
  const n = m.created++;
  const status: ProductStatus = i.b % 4 === 0 ? "draft" : "active";
  const stock = i.c % 4 === 0 ? 0 : i.c % 12;
  const id = log.product({
    id: `prd_${(n * 7919) % 1000}_${n}`,
    slug: `p${n}`,
    name: phrase(i.a, 1 + (i.b % 3)),
    description: phrase(i.c, i.a % 5),
    categoryId: pick(m.categories, i.b),
    price: { amount: pick(amounts, i.c), currency: pick(currencies, i.a) },
    stock,
    status,
    attributes: i.a % 3 === 0 ? { material: pick(historyWords, i.c) } : {},
  });
  m.live.push({ id, status, stock });
}

/**
 * A legal history from any list of intents: events reference existing
 * categories and products, status changes are legal, stock never goes below
 * zero, slugs are unique.
 *
 * @example
 * historyFromIntents([{ op: 0, a: 1, b: 2, c: 3 }])[0]?.type; // → "category.created"
 */
export function historyFromIntents(
  intents: readonly Intent[],
  shape: { maxCategories?: number; renameShare?: number } = {},
): StoredEvent[] {
  const log = new EventLog();
  const model: Model = {
    categories: [],
    live: [],
    created: 0,
    maxCategories: shape.maxCategories ?? 12,
    renameShare: shape.renameShare ?? 1,
  };
  for (const i of intents) step(log, model, i);
  return log.events;
}

const intent = fc.record({
  op: fc.nat(99),
  a: fc.nat(10_000),
  b: fc.nat(10_000),
  c: fc.nat(10_000),
});

/**
 * Random legal histories for fast-check; they shrink towards short, simple ones.
 *
 * @example
 * fc.assert(fc.property(historyArbitrary({ maxEvents: 40 }), (events) => events.length <= 40));
 */
export function historyArbitrary(
  options: { maxEvents?: number } = {},
): fc.Arbitrary<StoredEvent[]> {
  return fc
    .array(intent, { minLength: 1, maxLength: options.maxEvents ?? 80, size: "max" })
    .map(historyFromIntents);
}

/**
 * A large legal history from a seed, without fast-check: for rebuild and load tests.
 *
 * @example
 * generateHistory(100_000, 42).length; // → 100000
 */
export function generateHistory(count: number, seed: number): StoredEvent[] {
  let state = seed >>> 0 || 1;
  const next = () => {
    // xorshift32: tiny, fast and the same everywhere
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % 10_000;
  };
  const intents = Array.from({ length: count }, () => ({
    op: next() % 100,
    a: next(),
    b: next(),
    c: next(),
  }));
  // a rename rewrites every page below the category: rare in a real catalog, 0.2% here
  return historyFromIntents(intents, { maxCategories: 40, renameShare: 0.05 });
}
