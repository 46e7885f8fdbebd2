import type { Command } from "../../shared/commands/schemas.ts";
import { pick, seededRandom } from "./seededRandom.ts";

export const categoryCount = 200;
const rootCount = 20;

// Word lists without shared substrings among the search words, so the baseline's
// LIKE '%word%' and the views' word index find the same products. A product's
// `color` attribute is one of the adjectives too (the facet reads ask for each).
export const adjectives = ["red", "blue", "green", "black", "white", "small", "large", "classic"];
const materials = ["oak", "steel", "linen", "wool", "glass", "cotton", "brass", "marble"];
const nouns = ["lamp", "chair", "table", "shelf", "rug", "vase", "mirror", "clock", "desk"];
const syllables = ["ka", "lo", "mi", "ren", "tu", "sa", "vo", "ni", "pe", "dor", "qui", "zan"];

/** The words a benchmark search asks for: a material and a noun, both indexed. */
export const searchQuery = "oak lamp";

export const categorySlug = (i: number) => `cat-${String(i).padStart(3, "0")}`;
export const productSlug = (i: number) => `product-${String(i).padStart(6, "0")}`;

/** Every category of the catalog: 20 roots, 180 children spread over them. */
export function categoryCommands(): Command[] {
  return Array.from({ length: categoryCount }, (_, i) => ({
    type: "category.create" as const,
    slug: categorySlug(i),
    name: `Category ${i}`,
    ...(i >= rootCount ? { parentSlug: categorySlug(i % rootCount) } : {}),
  }));
}

/**
 * Product `i` of a catalog, the same for the same seed: active, EUR (10% USD),
 * 10% out of stock, spread evenly over the categories.
 */
export function productCommand(seed: number, i: number): Command {
  const random = seededRandom(seed * 1_000_003 + i);
  const word = () => pick(random, syllables) + pick(random, syllables) + pick(random, syllables);
  const description = Array.from({ length: 12 }, word);
  description.splice(4, 0, pick(random, materials), pick(random, nouns));
  return {
    type: "product.create",
    sku: `SKU-${i}`,
    slug: productSlug(i),
    name: `${pick(random, adjectives)} ${pick(random, materials)} ${pick(random, nouns)} ${i}`,
    description: description.join(" "),
    categorySlug: categorySlug(i % categoryCount),
    price: {
      amount: 100 + Math.floor(random() * 99_900),
      currency: random() < 0.1 ? "USD" : "EUR",
    },
    stock: random() < 0.1 ? 0 : 1 + Math.floor(random() * 50),
    status: "active",
    attributes: { color: pick(random, adjectives), weightGrams: Math.floor(random() * 5_000) },
  };
}
