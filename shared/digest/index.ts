export * from "./canonicalJson.ts";
export * from "./viewDigest.ts";
