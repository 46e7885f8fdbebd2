import { afterEach, describe, expect, it } from "vitest";
import { categoryCreate, productCreate } from "../testing/catalogFixtures.ts";
import { databaseDigest } from "../testing/databaseDigest.ts";
import { createTestWriteApi, type TestWriteApi } from "../testing/testWriteApi.ts";
import type { FaultHooks } from "./runCommands.ts";

const crash = () => {
  throw new Error("injected crash");
};

describe("a command commits whole or not at all", () => {
  let api: TestWriteApi;
  afterEach(() => api.close());

  const points: [string, FaultHooks][] = [
    ["after the event append, before the table change", { afterEventAppend: crash }],
    ["after the table change, before the next command", { afterTableWrite: crash }],
    ["after events and tables, before the commit", { beforeCommit: crash }],
  ];

  it.each(points)("a crash %s leaves the database unchanged", async (_where, hooks) => {
    const faults: FaultHooks = {};
    api = await createTestWriteApi({ faults });
    expect((await api.command(categoryCreate("shoes"))).status).toBe(200);
    const before = await databaseDigest(api);

    Object.assign(faults, hooks);
    const res = await api.command({
      commands: [productCreate("a", "shoes"), productCreate("b", "shoes")],
    });
    expect(res.status).toBe(500);
    expect(await databaseDigest(api)).toBe(before);

    // The failed transaction must not hold the write lock or a seq.
    for (const key of Object.keys(hooks)) delete faults[key as keyof FaultHooks];
    const next = await api.command(productCreate("a", "shoes"));
    expect(next.status).toBe(200);
    expect(((await next.json()) as { version: number }).version).toBe(2);
  });
});
