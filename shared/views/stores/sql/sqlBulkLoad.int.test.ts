import { testBulkLoad } from "../../../testing/bulkLoadContract.ts";
import { openSqlViewStore } from "./openSqlViewStore.ts";

testBulkLoad("SQL on :memory:", async () => {
  const store = await openSqlViewStore(":memory:");
  return { store, cleanup: () => store.close() };
});
