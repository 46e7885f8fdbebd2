import { testViewNamespaces } from "../../../testing/generationsContract.ts";
import { openD1Database } from "./drivers/d1.ts";
import { localD1ForSuite } from "./drivers/localD1.ts";
import { sqlViewNamespaces } from "./sqlNamespaces.ts";
import { viewSchemaVersion, viewTables } from "./tables.ts";

const local = localD1ForSuite();

// A second openD1Database on the same binding stands for another Worker isolate.
testViewNamespaces("SQL on D1 (Miniflare, workerd)", async () => {
  const { d1, release } = await local().take();
  const db = await openD1Database(d1);
  return {
    namespaces: sqlViewNamespaces(db),
    second: async () => sqlViewNamespaces(await openD1Database(d1)),
    async ageLayout(namespace) {
      await db.reader.run(`UPDATE ${viewTables(namespace).meta} SET schema_version = ?`, [
        viewSchemaVersion - 1,
      ]);
    },
    cleanup: release,
  };
});
