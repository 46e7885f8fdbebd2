import { createClient } from "@libsql/client";
import { createBaselineApp } from "./baselineApp.ts";
import { denoEnv, serveOnDeno } from "./serveOnDeno.ts";

// `PRIMARY_PATH=… PORT=… deno run -A --node-modules-dir=manual bench/servers/baselineServerDeno.ts`:
// the same app, on Deno (@libsql/client's native binding through Deno's Node-API support)
serveOnDeno(createBaselineApp(createClient({ url: `file:${denoEnv("PRIMARY_PATH")}` })).fetch);
