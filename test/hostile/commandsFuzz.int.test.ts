import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorStatus } from "../../shared/errors/appError.ts";
import { categoryCreate, productCreate } from "../../write-api/testing/catalogFixtures.ts";
import { databaseDigest } from "../../write-api/testing/databaseDigest.ts";
import { createTestWriteApi, type TestWriteApi } from "../../write-api/testing/testWriteApi.ts";
import { documented4xx, postCommands, readerAuth } from "./hostileHttp.ts";

let api: TestWriteApi;
let shoesId: string;
let shoeId: string;
const digest = () => databaseDigest(api);

beforeAll(async () => {
  api = await createTestWriteApi();
  const res = await api.command({
    commands: [
      categoryCreate("shoes"),
      productCreate("red-shoe", "shoes", { status: "active", stock: 1_000 }),
    ],
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { results: { id: string }[] };
  shoesId = body.results[0]?.id ?? "";
  shoeId = body.results[1]?.id ?? "";
});
afterAll(() => api.close());

/** Any code point, lone surrogates included, plus the characters that break naive code. */
const hostileChar = fc.oneof(
  fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
  fc.constantFrom("\ud800", "\udfff", "\u0000", "\u202e", "\u200b", "'", '"', "\\", "%", "/", ".."),
);
const hostileString = fc.oneof(
  fc.string({ unit: hostileChar, maxLength: 12 }),
  fc.constantFrom(
    "__proto__",
    "constructor",
    "'; DROP TABLE events; --",
    "../../etc/passwd",
    "%2e%2e",
    "NaN",
    "-0",
    "1e309",
  ),
);
const hostileJson = fc.jsonValue({ maxDepth: 4, stringUnit: hostileChar });
const hostileValue = fc.oneof(
  hostileJson,
  hostileString,
  fc.constantFrom(-0, 1e308, -1, 0.5, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 1_000_000_000_001),
);

const valid = (n: number): Record<string, unknown>[] => [
  categoryCreate(`fz-c${n}`, { parentSlug: "shoes" }),
  { type: "category.rename", id: shoesId, name: `Shoes ${n}` },
  productCreate(`fz-p${n}`, "shoes", { status: "active", attributes: { n } }),
  { type: "product.update", id: shoeId, name: `Shoe ${n}`, attributes: { k: "v" } },
  { type: "product.changePrice", id: shoeId, price: { amount: n, currency: "EUR" } },
  { type: "product.adjustStock", id: shoeId, delta: 1 },
  { type: "product.publish", id: shoeId },
  { type: "product.archive", id: shoeId, expectedVersion: 0 },
  { type: "product.delete", id: shoeId, expectedVersion: 0 },
];

type Mutation =
  | { kind: "drop"; field: number }
  | { kind: "change"; field: number; value: unknown }
  | { kind: "add"; key: string; value: unknown }
  | { kind: "nest"; field: number; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("drop" as const), field: fc.nat() }),
  fc.record({ kind: fc.constant("change" as const), field: fc.nat(), value: hostileValue }),
  fc.record({ kind: fc.constant("add" as const), key: hostileString, value: hostileValue }),
  fc.record({ kind: fc.constant("nest" as const), field: fc.nat(), value: hostileValue }),
);

function mutate(command: Record<string, unknown>, m: Mutation): Record<string, unknown> {
  const out = { ...command };
  const keys = Object.keys(out);
  const key = keys[("field" in m ? m.field : 0) % keys.length] ?? "type";
  if (m.kind === "drop") delete out[key];
  if (m.kind === "change") out[key] = m.value;
  if (m.kind === "nest") out[key] = { [key]: out[key], extra: m.value };
  // defineProperty, so "__proto__" becomes an own key that JSON.stringify sends
  if (m.kind === "add")
    Object.defineProperty(out, m.key, {
      value: m.value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out;
}

let seen = 0;
const outcomes = new Map<number, number>();

/** The property every answer must have: 200, or a documented 4xx that changed nothing. */
async function answersWithin(body: string): Promise<void> {
  const before = await digest();
  const res = await postCommands(api, body);
  const text = await res.text();
  outcomes.set(res.status, (outcomes.get(res.status) ?? 0) + 1);
  seen++;
  if (res.status === 200) {
    expect(JSON.parse(text)).toMatchObject({
      version: expect.any(Number),
      results: expect.any(Array),
    });
    return;
  }
  expect(documented4xx, `${res.status} ${text.slice(0, 200)} for ${body.slice(0, 200)}`).toContain(
    res.status,
  );
  const { error } = JSON.parse(text) as {
    error: { code: keyof typeof errorStatus; message: string };
  };
  expect(errorStatus[error.code]).toBe(res.status);
  expect(error.message.length).toBeGreaterThan(0);
  expect(await digest(), `digest moved on ${res.status} for ${body.slice(0, 200)}`).toBe(before);
}

describe("fuzzing POST /v1/commands", () => {
  it("arbitrary JSON values: 200 or a documented 4xx, never a write on refusal", async () => {
    await fc.assert(
      fc.asyncProperty(hostileJson, async (value) => answersWithin(JSON.stringify(value))),
      { numRuns: 400, seed: 20261125 },
    );
  });

  it("mutated valid commands (drop, change, add, nest a field), alone or in a batch", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: 8 }),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        fc.nat(),
        async (which, mutations, inBatch, n) => {
          const base = valid(n)[which] ?? {};
          const hostile = mutations.reduce(mutate, base);
          const body = inBatch ? { commands: [categoryCreate(`fz-b${n}`), hostile] } : hostile;
          await answersWithin(JSON.stringify(body));
        },
      ),
      { numRuns: 600, seed: 20261126 },
    );
  });

  it("mutated bodies at the byte level: truncated, spliced or re-encoded JSON", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: 8 }),
        fc.nat(),
        fc.nat(),
        fc.string({ unit: hostileChar, maxLength: 4 }),
        async (which, at, n, splice) => {
          const text = JSON.stringify(valid(n)[which]);
          const cut = at % (text.length + 1);
          await answersWithin(text.slice(0, cut) + splice + text.slice(cut + (n % 3)));
        },
      ),
      { numRuns: 300, seed: 20261127 },
    );
  });

  it("any text is either refused (422) or stored and read back exactly, in the tables and the views", async () => {
    let stored = 0;
    await fc.assert(
      fc.asyncProperty(
        // NUL is left out here: libsql reads TEXT back cut at the first NUL, a known
        // bug pinned in commandsHostile ("NUL survives the normalized tables").
        fc
          .string({ unit: hostileChar, minLength: 1, maxLength: 24 })
          .filter((s) => !s.includes("\u0000")),
        fc.nat(),
        async (name, n) => {
          const slug = `rt-${n}-${stored}`;
          const before = await digest();
          const res = await postCommands(api, JSON.stringify(categoryCreate(slug, { name })));
          outcomes.set(res.status, (outcomes.get(res.status) ?? 0) + 1);
          seen++;
          const expected = name.trim();
          if (res.status !== 200) {
            expect(res.status, `${JSON.stringify(name)}: ${await res.text()}`).toBe(422);
            expect(expected.length === 0 || /\p{Cs}/u.test(name)).toBe(true);
            expect(await digest()).toBe(before);
            return;
          }
          stored++;
          const row = await api.primary.reads.reader.first(
            "SELECT name FROM categories WHERE slug = ?",
            [slug],
          );
          expect(row?.name).toBe(expected);
          const nav = await api.app.request("http://localhost/v1/read/categories", {
            headers: readerAuth,
          });
          const found = JSON.stringify(await nav.json()).includes(
            JSON.stringify({ slug, name: expected }).slice(1, -1),
          );
          expect(found, `${JSON.stringify(expected)} not in the navigation view`).toBe(true);
        },
      ),
      { numRuns: 150, seed: 20261128 },
    );
    expect(stored).toBeGreaterThan(50);
  });

  afterAll(() => {
    // The runs must have reached both sides of the property, or they proved little.
    expect(seen).toBeGreaterThanOrEqual(1_450);
    expect(outcomes.get(200) ?? 0).toBeGreaterThan(0);
    expect(outcomes.get(422) ?? 0).toBeGreaterThan(100);
    expect(outcomes.get(400) ?? 0).toBeGreaterThan(0);
    expect([...outcomes.keys()].every((s) => s < 500)).toBe(true);
  });
});
