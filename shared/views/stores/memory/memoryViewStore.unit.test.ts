import { testViewStore } from "../../../testing/viewStoreContract.ts";
import { createMemoryViewStore } from "./memoryViewStore.ts";

// The reference store must pass the contract itself, or the contract proves nothing.
testViewStore("in-memory reference", async () => {
  const store = createMemoryViewStore();
  return { store, cleanup: () => store.close() };
});
