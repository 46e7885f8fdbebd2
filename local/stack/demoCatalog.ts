/**
 * A deterministic demo storefront: a small category tree and a few hundred
 * products with believable names, prices, stock and attributes, as the batch
 * commands an admin tool would send.
 */
type Json = Record<string, unknown>;

const tree: [slug: string, name: string, parent: string | null][] = [
  ["apparel", "Apparel", null],
  ["shoes", "Shoes", "apparel"],
  ["jackets", "Jackets", "apparel"],
  ["outdoor", "Outdoor", null],
  ["tents", "Tents", "outdoor"],
  ["backpacks", "Backpacks", "outdoor"],
  ["kitchen", "Kitchen", null],
  ["cookware", "Cookware", "kitchen"],
  ["knives", "Knives", "kitchen"],
  ["electronics", "Electronics", null],
  ["audio", "Audio", "electronics"],
  ["cameras", "Cameras", "electronics"],
];

const nouns: Record<string, string[]> = {
  shoes: ["Runner", "Trail Shoe", "Sneaker", "Loafer", "Hiking Boot"],
  jackets: ["Rain Jacket", "Down Parka", "Fleece", "Windbreaker", "Softshell"],
  tents: ["Dome Tent", "Tunnel Tent", "Bivy", "Tarp Shelter", "Family Tent"],
  backpacks: ["Daypack", "Trekking Pack", "Rolltop Bag", "Sling Bag", "Hydration Pack"],
  cookware: ["Skillet", "Dutch Oven", "Saucepan", "Wok", "Stock Pot"],
  knives: ["Chef Knife", "Santoku", "Paring Knife", "Bread Knife", "Cleaver"],
  audio: ["Headphones", "Earbuds", "Speaker", "Turntable", "Soundbar"],
  cameras: ["Mirrorless Camera", "Action Cam", "Instant Camera", "Zoom Lens", "Tripod"],
};
const adjectives = [
  "Alpine",
  "Nordic",
  "Urban",
  "Classic",
  "Featherlight",
  "Rugged",
  "Coastal",
  "Midnight",
  "Summit",
  "Everyday",
  "Pro",
  "Café",
];
const materials = [
  "recycled nylon",
  "full-grain leather",
  "carbon steel",
  "cast iron",
  "merino wool",
  "aluminium",
  "walnut",
  "organic cotton",
];
const colors = ["black", "olive", "sand", "navy", "rust", "white"];

/** A small seeded PRNG (mulberry32), so every fresh stack shows the same catalog. */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};

const slugify = (text: string) =>
  text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

/** Batches of commands that build the demo catalog: categories first, then products. */
export function demoCatalogBatches(productCount = 300, batchSize = 100): Json[][] {
  const random = prng(20261125);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const categories: Json[] = tree.map(([slug, name, parent]) => ({
    type: "category.create",
    slug,
    name,
    ...(parent ? { parentSlug: parent } : {}),
  }));
  const leaves = Object.keys(nouns);
  const products: Json[] = Array.from({ length: productCount }, (_, i) => {
    const category = leaves[i % leaves.length] as string;
    const name = `${pick(adjectives)} ${pick(nouns[category] ?? ["Thing"])} ${i + 1}`;
    const material = pick(materials);
    const roll = random();
    return {
      type: "product.create",
      sku: `DEMO-${String(i + 1).padStart(5, "0")}`,
      slug: slugify(name),
      name,
      description: `A ${material} ${name.toLowerCase()} in ${pick(colors)}, made to last and easy to care for.`,
      categorySlug: category,
      price: { amount: 500 + Math.floor(random() * 400) * 100 + 99, currency: "EUR" },
      stock: roll < 0.15 ? 0 : Math.floor(random() * 120),
      status: roll > 0.95 ? "draft" : "active",
      attributes: {
        material,
        color: pick(colors),
        weightGrams: 100 + Math.floor(random() * 3_000),
      },
    };
  });
  const batches: Json[][] = [categories];
  for (let i = 0; i < products.length; i += batchSize)
    batches.push(products.slice(i, i + batchSize));
  return batches;
}
