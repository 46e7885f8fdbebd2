import { describe, expect, it } from "vitest";
import { routeCoverage } from "./routeCoverage.ts";

describe("routeCoverage", () => {
  const routes = [
    { method: "ALL", path: "*" },
    { method: "GET", path: "/v1/products/:slug" },
    { method: "GET", path: "/v1/secret" },
  ];
  const document = {
    paths: {
      "/v1/products/{slug}": { get: {}, parameters: [] },
      "/v1/ingest": { post: {} },
    },
  };

  it("reports handlers missing from the document and operations no handler serves", () => {
    expect(routeCoverage(routes, document)).toEqual({
      undocumented: ["GET /v1/secret"],
      unrouted: ["POST /v1/ingest"],
    });
  });
});
