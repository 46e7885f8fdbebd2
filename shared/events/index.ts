export * from "./eventVersions.ts";
export * from "./types.ts";
export * from "./upcasters.ts";
