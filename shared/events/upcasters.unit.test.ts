import { describe, expect, it } from "vitest";
import type { AppError } from "../errors/index.ts";
import {
  asStoredEvents,
  eventBatchSchema,
  eventDataSchemas,
  isUnsupportedVersionIssue,
  legacyEventDataSchemas,
} from "./eventSchema.ts";
import { currentEventVersions, UnsupportedEventVersionError } from "./eventVersions.ts";
import { eventTypes } from "./types.ts";
import { upcastData, upcasters } from "./upcasters.ts";

const wire = (data: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  seq: 9,
  type: "product.stockAdjusted",
  aggregateId: "prd_1",
  data,
  at: "2026-11-25T10:00:00.000Z",
  ...extra,
});

describe("event versions and upcasters", () => {
  it("has an upcaster and an old schema for every version below the current one", () => {
    for (const type of eventTypes) {
      for (let v = 1; v < currentEventVersions[type]; v++) {
        expect(upcasters[type]?.[v], `${type} v${v} → v${v + 1}`).toBeTypeOf("function");
        expect(legacyEventDataSchemas[type]?.[v], `${type} v${v} schema`).toBeDefined();
      }
    }
  });

  it("upcasts product.stockAdjusted v1 (delta) to v2 (both levels)", () => {
    const v2 = upcastData("product.stockAdjusted", 1, { id: "prd_1", delta: -2, stock: 3 });
    expect(v2).toEqual({ id: "prd_1", previousStock: 5, stock: 3 });
    expect(eventDataSchemas["product.stockAdjusted"].safeParse(v2).success).toBe(true);
  });

  it("leaves current data as it is", () => {
    const data = { id: "prd_1", previousStock: 5, stock: 3 };
    expect(upcastData("product.stockAdjusted", 2, data)).toBe(data);
    expect(upcastData("product.published", 1, { id: "prd_1" })).toEqual({ id: "prd_1" });
  });

  it.each([3, 0])("refuses version %i with unsupported_event_version (422)", (version) => {
    const refuse = () => upcastData("product.stockAdjusted", version, {}, 41);
    expect(refuse).toThrow(UnsupportedEventVersionError);
    expect(refuse).toThrow(/event 41: product.stockAdjusted has schema version/);
    try {
      refuse();
    } catch (error) {
      expect((error as AppError).status).toBe(422);
      expect((error as AppError).code).toBe("unsupported_event_version");
    }
  });
});

describe("parsing pushed and pulled events", () => {
  const parse = (event: unknown) => eventBatchSchema.safeParse({ events: [event] });

  it("reads an unversioned push as v1 and upcasts it", () => {
    const batch = parse(wire({ id: "prd_1", delta: 4, stock: 4 }));
    expect(batch.success).toBe(true);
    expect(asStoredEvents(batch.data?.events ?? [])).toEqual([
      {
        seq: 9,
        type: "product.stockAdjusted",
        aggregateId: "prd_1",
        data: { id: "prd_1", previousStock: 0, stock: 4 },
        at: "2026-11-25T10:00:00.000Z",
      },
    ]);
  });

  it("keeps a current event and its request id, dropping the version tag", () => {
    const event = wire(
      { id: "prd_1", previousStock: 1, stock: 4 },
      { schemaVersion: 2, meta: { requestId: "req-1" } },
    );
    const batch = parse(event);
    const [stored] = asStoredEvents(batch.data?.events ?? []);
    expect(stored).toEqual({ ...event, schemaVersion: undefined });
    expect(stored && "schemaVersion" in stored).toBe(false);
  });

  it("checks data against the shape of its own version", () => {
    // v1 data labelled v2, and v2 data labelled v1: both are wrong
    const mislabelled = [
      parse(wire({ id: "prd_1", delta: 4, stock: 4 }, { schemaVersion: 2 })),
      parse(wire({ id: "prd_1", previousStock: 0, stock: 4 }, { schemaVersion: 1 })),
    ];
    for (const batch of mislabelled) {
      expect(batch.success).toBe(false);
      expect(batch.error?.issues.some(isUnsupportedVersionIssue)).toBe(false);
    }
  });

  it("refuses data an upcaster cannot make valid", () => {
    const batch = parse(wire({ id: "prd_1", delta: 9, stock: 4 }));
    expect(batch.error?.issues[0]?.message).toMatch(/after upcasting from v1/);
  });

  it("flags a version newer than the code as unsupported", () => {
    const batch = parse(wire({ id: "prd_1", stock: { onHand: 4 } }, { schemaVersion: 3 }));
    expect(batch.success).toBe(false);
    const issue = batch.error?.issues.find(isUnsupportedVersionIssue);
    expect(issue?.message).toBe("product.stockAdjusted v3 is newer than this code knows (v2)");
  });
});
