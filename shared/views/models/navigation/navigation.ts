import { z } from "zod";
import { readScopes } from "../../../consistency/readScopes.ts";
import { navigationKey } from "../../../projection/records.ts";
import type { NavigationNode } from "../../readModels.ts";
import { watermarkFrom } from "../../stores/redis/replies.ts";
import { recordText } from "../bodies.ts";
import { readModel } from "../readModel.ts";
import { recordRead } from "../recordRead.ts";
import { categoryRefSchema, int } from "../schemas.ts";

/** A node of the tree; registered as its own OpenAPI component, which it refers to. */
export const navigationNode: z.ZodType<NavigationNode> = categoryRefSchema.extend({
  productCount: int,
  totalProductCount: int,
  version: int,
  get children() {
    return z.array(navigationNode);
  },
});

/** Before the first category there is no tree: an empty one. */
const emptyTree = "[]";

/**
 * The category tree with direct and total counts of active products, stored
 * whole as the one `navigation` record and rewritten by the projection when a
 * category or a count changes.
 */
export const navigation = readModel<
  Record<string, never>,
  null,
  NavigationNode[],
  "navigation",
  "categories"
>({
  name: "navigation",
  version: 2,
  key: "categories",
  path: "/categories",
  summary: "the category tree with product counts",
  parameters: [],
  statuses: [],
  responseName: "CategoriesResponse",
  data: z.array(navigationNode),
  notFound: null,
  input: () => ({}),
  url: () => "/categories",
  plan: () => null,
  scopes: () => [readScopes.navigation],
  examples: () => [{}],
  sql: (t) => recordRead(t.meta, t.navigation, "key", () => navigationKey, emptyTree),
  redis: {
    async read({ redis, keys }) {
      const [w, tree] = await redis.mget<[unknown, unknown]>([
        keys.watermark,
        keys.navigation(navigationKey),
      ]);
      return { watermark: watermarkFrom(w), body: recordText(tree) ?? emptyTree };
    },
  },
  memory: (records) => records.tables.navigation.get(navigationKey) ?? [],
});
