import { findChromium } from "./findChromium.ts";
import { findRedisServer } from "./findRedisServer.ts";

/** The system programs the npm commands need and npm cannot bring. */
export type ToolName = "redis-server" | "chromium";

/** A system program: how to find it, and the package that brings it per package manager. */
export interface Tool {
  readonly name: ToolName;
  /** Points at the binary instead of the PATH lookup; when set, nothing else is looked at. */
  readonly variable: string;
  readonly apt: string;
  readonly brew: { readonly formula: string } | { readonly cask: string };
  readonly dnf: string;
  find(env: NodeJS.ProcessEnv): string | undefined;
}

export const tools: Record<ToolName, Tool> = {
  "redis-server": {
    name: "redis-server",
    variable: "REDIS_SERVER_BIN",
    apt: "redis-server",
    brew: { formula: "redis" },
    dnf: "redis",
    find: findRedisServer,
  },
  chromium: {
    name: "chromium",
    variable: "CHROMIUM_PATH",
    apt: "chromium",
    brew: { cask: "chromium" },
    dnf: "chromium",
    find: findChromium,
  },
};

export type PreflightCommand = "start" | "test";

/** `npm start` launches redis-server; `npm test` also drives Chromium in the dashboard's browser test. */
export const needs: Record<PreflightCommand, readonly ToolName[]> = {
  start: ["redis-server"],
  test: ["redis-server", "chromium"],
};

export const isPreflightCommand = (value: unknown): value is PreflightCommand =>
  value === "start" || value === "test";
