export * from "./eventFields.ts";
export * from "./logger.ts";
export * from "./turnSink.ts";
