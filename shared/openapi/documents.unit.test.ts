import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { commandTypes } from "../commands/schemas.ts";
import { docsPage } from "./docsPage.ts";
import { edgeReaderDocument, writeApiDocument } from "./documents.ts";
import { codesFor } from "./operations.ts";
import type { JsonObject } from "./schemaComponents.ts";

const documents = { writeApi: writeApiDocument(), edgeReader: edgeReaderDocument() };

const at = (value: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>(
    (v, k) => (typeof v === "object" && v !== null ? (v as JsonObject)[k] : undefined),
    value,
  );

/** A validator for POST /v1/commands' request body, taken from the document itself. */
function commandBodyValidator(document: JsonObject) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema({ components: at(document, "components") }, "doc");
  const body = at(document, "paths", "/v1/commands", "post", "requestBody", "content");
  const schema = at(body, "application/json", "schema") as JsonObject;
  const rewritten = JSON.parse(
    JSON.stringify(schema).replaceAll('"#/components', '"doc#/components'),
  );
  return ajv.compile(rewritten);
}

const id = "prd_01HZX";
const price = { amount: 3900, currency: "EUR" };
const samples: Record<(typeof commandTypes)[number], JsonObject> = {
  "category.create": { type: "category.create", slug: "hats", name: "Hats", parentSlug: "wear" },
  "category.rename": { type: "category.rename", id: "cat_1", name: "Caps", expectedVersion: 3 },
  "product.create": {
    type: "product.create",
    sku: "HAT-1",
    slug: "felt-hat",
    name: "Felt hat",
    description: "Warm felt",
    categorySlug: "hats",
    price,
    stock: 5,
    status: "active",
    attributes: { colour: "grey", size: 58, felt: true },
  },
  "product.update": { type: "product.update", id, name: "Grey felt hat" },
  "product.changePrice": { type: "product.changePrice", id, price, expectedVersion: 7 },
  "product.adjustStock": { type: "product.adjustStock", id, delta: -2 },
  "product.publish": { type: "product.publish", id },
  "product.archive": { type: "product.archive", id },
  "product.delete": { type: "product.delete", id },
};
const broken: JsonObject[] = [
  { type: "product.create", sku: "HAT-1", slug: "felt-hat", name: "Felt hat" },
  { type: "category.create", slug: "Not A Slug", name: "Hats" },
  { type: "product.changePrice", id, price: { amount: 1.5, currency: "EUR" } },
  { type: "product.publish", id, extra: true },
  { type: "product.teleport", id },
  { commands: [] },
  { commands: [samples["product.publish"]], extra: 1 },
];

describe.each(Object.entries(documents))("the %s document", (_name, document) => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const result = await new Validator().validate(structuredClone(document));
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe("3.1.0");
  });

  it("names, per error status, exactly the codes that status carries", () => {
    const responses = Object.values(document.paths as Record<string, JsonObject>).flatMap((item) =>
      Object.values(item).flatMap((op) => Object.entries(at(op, "responses") as JsonObject)),
    );
    const errors = responses.filter(([status]) => Number(status) >= 400);
    expect(errors.length).toBeGreaterThan(5);
    for (const [status, response] of errors) {
      const schema = at(response, "content", "application/json", "schema", "allOf");
      const codes = at(schema, "1", "properties", "error", "properties", "code", "enum");
      expect(codes).toEqual(codesFor(Number(status)));
    }
  });

  it("renders every path and method on the docs page", () => {
    const page = docsPage(document);
    for (const [path, item] of Object.entries(document.paths as JsonObject)) {
      for (const method of Object.keys(item as JsonObject)) {
        expect(page).toContain(`${method.toUpperCase()}</span> ${path.replaceAll("'", "&#39;")}`);
      }
    }
    expect(page).not.toMatch(/<script|https?:\/\/(?!json-schema)/);
  });
});

describe("the write API document", () => {
  it("answers every status of the README's error table on POST /v1/commands", () => {
    const statuses = Object.keys(
      at(documents.writeApi, "paths", "/v1/commands", "post", "responses") as JsonObject,
    );
    expect(statuses).toEqual(["200", "400", "401", "404", "409", "413", "415", "422", "503"]);
  });
});

describe("POST /v1/commands in the write API document", () => {
  const valid = commandBodyValidator(documents.writeApi);

  it.each(commandTypes)("accepts a valid %s, alone and in a batch", (type) => {
    expect(valid(samples[type]), JSON.stringify(valid.errors)).toBe(true);
    expect(valid({ commands: [samples[type], samples["product.publish"]] })).toBe(true);
  });

  it.each(broken.map((b) => [JSON.stringify(b), b]))("refuses %s", (_, body) => {
    expect(valid(body)).toBe(false);
  });

  it("refuses a batch over the limit", () => {
    expect(valid({ commands: Array(1001).fill(samples["product.delete"]) })).toBe(false);
  });
});
