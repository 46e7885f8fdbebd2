export * from "./applyEvents.ts";
export * from "./busy.ts";
export * from "./digest.ts";
export * from "./openSqlViewStore.ts";
export * from "./schema.ts";
export * from "./sqlNamespaces.ts";
export * from "./sqlViewStore.ts";
export * from "./tables.ts";
