import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type StoreServer,
  startStoreServer,
} from "../../../testing/remoteStore/remoteViewStore.ts";
import { testViewStore } from "../../../testing/viewStoreContract.ts";

// The SQL store on each runtime's own binding (bun:sqlite, Deno's node:sqlite),
// run in that runtime and held to the same contract as on Node's libsql.
for (const runtime of ["bun", "deno"] as const) {
  let server: StoreServer;
  beforeAll(async () => {
    server = await startStoreServer(runtime);
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
  });
  const binding = runtime === "bun" ? "bun:sqlite" : "node:sqlite";
  describe(`the store server under ${runtime}`, () => {
    it(`runs its stores on ${binding}, the runtime's own`, async () => {
      expect(await server.binding()).toBe(binding);
    });
    it("commits a view file in WAL without an fsync per commit and keeps temporary data in memory, on every connection", async () => {
      const normal = { journalMode: "wal", synchronous: 1, tempStore: 2 };
      expect(await server.fileSettings()).toEqual({ reader: normal, write: normal, read: normal });
    });
  });
  testViewStore(`SQL on ${binding} under ${runtime}, a file`, () => server.open(), {
    propertyRuns: 50,
  });
  testViewStore(
    `SQL on ${binding} under ${runtime}, :memory:`,
    () => server.open({ memory: true }),
    {
      propertyRuns: 20,
    },
  );
}
