import type { Command } from "../../shared/commands/schemas.ts";
import { categoryCount } from "./catalogCommands.ts";
import { pick, seededRandom } from "./seededRandom.ts";

/** The catalog's ids: `generateCatalog` hands them out in order, categories first. */
export const categoryId = (i: number) => `cat_${String(i + 1).padStart(6, "0")}`;
export const productId = (i: number) => `prd_${String(i + 1).padStart(8, "0")}`;

const adjectives = ["bright", "quiet", "modern", "rustic", "slim", "solid", "soft", "grand"];
const nouns = ["lamp", "chair", "table", "shelf", "rug", "vase", "mirror", "clock", "desk"];

/**
 * What the generator must know of the catalog to only emit commands the write
 * API accepts (a rejected command would fail its whole batch): stock, status
 * and price of every product, the name counter of every category.
 */
export interface HistoryState {
  stock: Int32Array;
  /** 0 active, 1 archived (the catalog creates every product active) */
  archived: Uint8Array;
  eurPrice: Uint8Array;
  categoryRenames: Uint16Array;
}

/** The state right after `generateCatalog`, which only knows stock and currency by replaying it. */
export function initialHistoryState(
  products: number,
  catalogProduct: (i: number) => Command,
): HistoryState {
  const state: HistoryState = {
    stock: new Int32Array(products),
    archived: new Uint8Array(products),
    eurPrice: new Uint8Array(products),
    categoryRenames: new Uint16Array(categoryCount),
  };
  for (let i = 0; i < products; i++) {
    const c = catalogProduct(i);
    if (c.type !== "product.create") throw new Error("the catalog creates products");
    state.stock[i] = c.stock;
    state.eurPrice[i] = c.price.currency === "EUR" ? 1 : 0;
  }
  return state;
}

/**
 * A skewed pick, as a real catalog's traffic is: u⁴ puts two thirds of the
 * picks on a fifth of the products; the multiplier (prime, so coprime with any
 * catalog size not divisible by it) scatters the hot ones over all categories.
 */
const hotProduct = (random: () => number, products: number) =>
  (Math.floor(products * random() ** 4) * 7_919) % products;

/**
 * One follow-up command of a catalog's life, valid against `state` (which it
 * updates): 55% stock adjustments, 33% price changes, 10% renames, 2% archives
 * (or publishes of an archived product), and a category rename every 5,000 commands.
 *
 * @example
 * const random = seededRandom(42);
 * followUpCommand(state, random, 10_000, 0); // → { type: "product.adjustStock", id: "prd_…", delta: 7 }
 */
export function followUpCommand(
  state: HistoryState,
  random: () => number,
  products: number,
  n: number,
): Command {
  if (n % 5_000 === 4_999) {
    const c = Math.floor(random() * categoryCount);
    const renames = (state.categoryRenames[c] ?? 0) + 1;
    state.categoryRenames[c] = renames;
    return { type: "category.rename", id: categoryId(c), name: `Category ${c} (${renames})` };
  }
  const i = hotProduct(random, products);
  const id = productId(i);
  const roll = random();
  if (roll < 0.55) {
    const stock = state.stock[i] ?? 0;
    // mostly sales, a restock now and then; never below zero, never zero
    let delta = random() < 0.8 ? -(1 + Math.floor(random() * 3)) : 5 + Math.floor(random() * 40);
    if (stock + delta < 0) delta = 5 + Math.floor(random() * 40);
    state.stock[i] = stock + delta;
    return { type: "product.adjustStock", id, delta };
  }
  if (roll < 0.88) {
    return {
      type: "product.changePrice",
      id,
      price: {
        amount: 100 + Math.floor(random() * 99_900),
        currency: state.eurPrice[i] === 1 ? "EUR" : "USD",
      },
    };
  }
  if (roll < 0.98) {
    return {
      type: "product.update",
      id,
      name: `${pick(random, adjectives)} ${pick(random, nouns)} ${i}`,
    };
  }
  // archive an active product, publish an archived one back
  const archived = state.archived[i] === 1;
  state.archived[i] = archived ? 0 : 1;
  return { type: archived ? "product.publish" : "product.archive", id };
}

/** A seeded stream of follow-up commands, the same for the same seed and catalog. */
export function followUpStream(state: HistoryState, seed: number, products: number) {
  const random = seededRandom(seed * 7_777 + 1);
  let n = 0;
  return (count: number): Command[] =>
    Array.from({ length: count }, () => followUpCommand(state, random, products, n++));
}
