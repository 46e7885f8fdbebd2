export * from "./parseCommands.ts";
export * from "./schemas.ts";
