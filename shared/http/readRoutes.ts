import { type Context, Hono } from "hono";
import { slugSchema } from "../commands/schemas.ts";
import { NotFoundError, ValidationError } from "../errors/index.ts";
import { attributeText } from "../views/attributeQueries.ts";
import { type ListingSort, listingSorts } from "../views/readModels.ts";
import type { Read, ViewStore } from "../views/viewStore.ts";

export type ServedBy = "replica" | "primary";

const maxLimit = 100;

const limitOf = (c: Context): number => {
  const raw = c.req.query("limit");
  if (raw === undefined || raw === "") return 20;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > maxLimit) {
    throw new ValidationError(`limit must be an integer from 1 to ${maxLimit}`, [
      { path: "limit", message: "out of range" },
    ]);
  }
  return n;
};

const cursorOf = (c: Context): string | undefined => {
  const raw = c.req.query("cursor");
  if (raw === undefined || raw === "") return undefined;
  if (raw.length > 512)
    throw new ValidationError("cursor is too long", [{ path: "cursor", message: "too long" }]);
  return raw;
};

const sortOf = (c: Context): ListingSort => {
  const raw = c.req.query("sort") ?? "newest";
  if (!(listingSorts as readonly string[]).includes(raw)) {
    throw new ValidationError(`sort must be one of ${listingSorts.join(", ")}`, [
      { path: "sort", message: "unknown sort" },
    ]);
  }
  return raw as ListingSort;
};

const flagOf = (c: Context, name: string): boolean => {
  const raw = c.req.query(name);
  if (raw === undefined || raw === "" || raw === "0" || raw === "false") return false;
  if (raw === "1" || raw === "true") return true;
  throw new ValidationError(`${name} must be 1 or 0`, [{ path: name, message: "not a flag" }]);
};

/** A slug that cannot exist is simply not found: no lookup, no echo of odd input. */
const slugOf = (c: Context, what: string): string => {
  const slug = c.req.param("slug") ?? "";
  if (!slugSchema.safeParse(slug).success) throw new NotFoundError(`no ${what} with that slug`);
  return slug;
};

/** An attribute name or value from the path, checked before any store is asked: a 400 if unfit. */
const attributeParam = (c: Context, parameter: "name" | "value"): string =>
  attributeText(parameter, c.req.param(parameter) ?? "");

/**
 * Answers a read: the body under `key` with the watermark it was served at,
 * and the headers every read carries. A missing record is a 404 that still
 * says which watermark looked for it.
 */
const answer = <T>(c: Context, servedBy: ServedBy, read: Read<T>, key: string, missing: string) => {
  c.header("X-Served-By", servedBy);
  c.header("X-Replica-Watermark", String(read.watermark));
  if (read.data === null) {
    return c.json(
      { error: { code: "not_found", message: missing }, watermark: read.watermark },
      404,
    );
  }
  return c.json({ [key]: read.data, watermark: read.watermark });
};

/**
 * The storefront read paths over a view store. The edge reader mounts them at
 * `/v1`, the write API at `/v1/read` over its inline views: same shapes both ways.
 *
 * @example
 * app.route("/v1", readRoutes(() => store, "replica"));
 */
export function readRoutes(store: () => ViewStore, servedBy: ServedBy): Hono {
  const routes = new Hono();
  routes.get("/products/:slug", async (c) => {
    const read = await store().productPage(slugOf(c, "product"));
    return answer(c, servedBy, read, "product", "no product with that slug");
  });
  routes.get("/categories", async (c) =>
    answer(c, servedBy, await store().navigation(), "categories", ""),
  );
  routes.get("/categories/:slug/products", async (c) => {
    const query = {
      sort: sortOf(c),
      inStock: flagOf(c, "inStock"),
      limit: limitOf(c),
      cursor: cursorOf(c),
    };
    const read = await store().categoryListing(slugOf(c, "category"), query);
    return answer(c, servedBy, read, "page", "no category with that slug");
  });
  routes.get("/categories/:slug/stats", async (c) => {
    const read = await store().categoryStats(slugOf(c, "category"));
    return answer(c, servedBy, read, "stats", "no category with that slug");
  });
  // Facets: an unknown attribute or value is an empty answer, never a 404,
  // so a storefront can offer a filter before any product carries it.
  routes.get("/attributes/:name/:value/products", async (c) => {
    const name = attributeParam(c, "name");
    const value = attributeParam(c, "value");
    const query = { limit: limitOf(c), cursor: cursorOf(c) };
    const read = await store().productsByAttribute(name, value, query);
    return answer(c, servedBy, read, "products", "");
  });
  routes.get("/attributes/:name", async (c) => {
    const read = await store().attributeValues(attributeParam(c, "name"));
    return answer(c, servedBy, read, "attribute", "");
  });
  routes.get("/search", async (c) => {
    const q = (c.req.query("q") ?? "").trim();
    if (q.length === 0 || q.length > 200) {
      throw new ValidationError("q must be 1 to 200 characters", [
        { path: "q", message: "required" },
      ]);
    }
    const read = await store().search({ q, limit: limitOf(c), cursor: cursorOf(c) });
    return answer(c, servedBy, read, "page", "");
  });
  return routes;
}
