import { encodeListingCursor, encodeSearchCursor } from "../../shared/views/cursor.ts";

/**
 * Bad query strings and paths for the storefront read routes, which both apps
 * serve (the reader at `/v1`, the write API at `/v1/read`): [path, status, code].
 * Expects a category `shoes` with a product `shoe-a`.
 */
export const badReads = (prefix: string): [string, number, string][] => {
  const listing = `${prefix}/categories/shoes/products`;
  const b64 = (s: string) => Buffer.from(s).toString("base64url");
  return [
    [`${listing}?sort=evil`, 422, "validation_failed"],
    [`${listing}?sort=price_asc;DROP`, 422, "validation_failed"],
    [`${listing}?sort=__proto__`, 422, "validation_failed"],
    [`${listing}?limit=0`, 422, "validation_failed"],
    [`${listing}?limit=101`, 422, "validation_failed"],
    [`${listing}?limit=abc`, 422, "validation_failed"],
    [`${listing}?limit=-1`, 422, "validation_failed"],
    [`${listing}?limit=1.5`, 422, "validation_failed"],
    [`${listing}?limit=1e1`, 422, "validation_failed"],
    [`${listing}?limit=${"9".repeat(400)}`, 422, "validation_failed"],
    [`${listing}?inStock=maybe`, 422, "validation_failed"],
    [`${listing}?inStock=2`, 422, "validation_failed"],
    [`${listing}?cursor=garbage!`, 400, "bad_request"],
    [`${listing}?cursor=${"A".repeat(8)}`, 400, "bad_request"],
    [`${listing}?cursor=${b64("not json")}`, 400, "bad_request"],
    [`${listing}?cursor=${b64('{"v":1,"t":"l","s":"newest","f":0,"k":""}')}`, 400, "bad_request"],
    [`${listing}?cursor=${b64('{"__proto__":{"v":1}}')}`, 400, "bad_request"],
    [`${listing}?cursor=${encodeSearchCursor({ score: 1, id: "p" })}`, 400, "bad_request"],
    [
      `${listing}?sort=name&cursor=${encodeListingCursor({ sort: "newest", inStock: false, after: "x" })}`,
      400,
      "bad_request",
    ],
    [
      `${listing}?inStock=1&cursor=${encodeListingCursor({ sort: "newest", inStock: false, after: "x" })}`,
      400,
      "bad_request",
    ],
    [`${listing}?cursor=${"A".repeat(513)}`, 422, "validation_failed"],
    [`${listing}?cursor=${"A".repeat(100_000)}`, 422, "validation_failed"],
    [`${prefix}/search`, 422, "validation_failed"],
    [`${prefix}/search?q=`, 422, "validation_failed"],
    [`${prefix}/search?q=%20%20%20`, 422, "validation_failed"],
    [`${prefix}/search?q=${"a".repeat(201)}`, 422, "validation_failed"],
    [`${prefix}/search?q=${"shoe%20".repeat(20_000)}`, 422, "validation_failed"],
    [`${prefix}/search?q=shoe&limit=abc`, 422, "validation_failed"],
    [`${prefix}/search?q=shoe&limit=0`, 422, "validation_failed"],
    [`${prefix}/search?q=shoe&cursor=%00%00`, 400, "bad_request"],
    [
      `${prefix}/search?q=shoe&cursor=${b64('{"v":1,"t":"s","sc":-1,"id":"p"}')}`,
      400,
      "bad_request",
    ],
    [
      `${prefix}/search?q=shoe&cursor=${b64('{"v":1,"t":"s","sc":1e400,"id":"p"}')}`,
      400,
      "bad_request",
    ],
    [
      `${prefix}/search?q=shoe&cursor=${encodeListingCursor({ sort: "name", inStock: false, after: "x" })}`,
      400,
      "bad_request",
    ],
    [`${prefix}/products/..%2F..%2Fetc%2Fpasswd`, 404, "not_found"],
    [`${prefix}/products/%2e%2e`, 404, "not_found"],
    [`${prefix}/products/..%5C..%5Cwin.ini`, 404, "not_found"],
    [`${prefix}/products/shoe-a%00`, 404, "not_found"],
    [`${prefix}/products/SHOE-A`, 404, "not_found"],
    [`${prefix}/products/${encodeURIComponent("shoe-ä")}`, 404, "not_found"],
    [`${prefix}/products/${encodeURIComponent("👟")}`, 404, "not_found"],
    [`${prefix}/products/${encodeURIComponent("\u202eshoe")}`, 404, "not_found"],
    [`${prefix}/products/%ED%A0%80`, 404, "not_found"],
    [`${prefix}/products/%FF`, 404, "not_found"],
    [`${prefix}/products/${"a".repeat(121)}`, 404, "not_found"],
    [`${prefix}/products/${"a".repeat(50_000)}`, 404, "not_found"],
    [`${prefix}/products/${encodeURIComponent("'; DROP TABLE events; --")}`, 404, "not_found"],
    [`${prefix}/categories/..%2Fshoes/products`, 404, "not_found"],
    [`${prefix}/categories/${"a".repeat(121)}/stats`, 404, "not_found"],
    [`${prefix}/categories/%2e%2e/stats`, 404, "not_found"],
    // the catalog-wide listing takes the category listing's parameters
    [`${prefix}/products?sort=evil`, 422, "validation_failed"],
    [`${prefix}/products?limit=0`, 422, "validation_failed"],
    [`${prefix}/products?inStock=maybe`, 422, "validation_failed"],
    [`${prefix}/products?cursor=garbage!`, 400, "bad_request"],
    [
      `${prefix}/products?sort=name&cursor=${encodeListingCursor({ sort: "newest", inStock: false, after: "x" })}`,
      400,
      "bad_request",
    ],
    [`${prefix}/products/shoe-a/extra`, 404, "not_found"],
    [`${prefix}/nope`, 404, "not_found"],
  ];
};
