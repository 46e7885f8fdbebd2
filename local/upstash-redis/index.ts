export { createUpstashRestApp, type UpstashRestAppDeps } from "./app.ts";
export {
  createUpstashRestServer,
  type UpstashRestServer,
  type UpstashRestServerOptions,
} from "./createUpstashRestServer.ts";
