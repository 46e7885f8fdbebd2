export * from "./eventFields.ts";
export * from "./logger.ts";
