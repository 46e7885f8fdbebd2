import type { IdSource } from "./decide.ts";

const randomPart = () => crypto.randomUUID().replaceAll("-", "").slice(0, 20);

/** Random ids with a readable prefix: `cat_…`, `prd_…`. */
export const randomIds: IdSource = {
  category: () => `cat_${randomPart()}`,
  product: () => `prd_${randomPart()}`,
};
