export * from "./canonicalJson.ts";
export * from "./recordHash.ts";
export * from "./viewDigest.ts";
