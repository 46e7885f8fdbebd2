import { createClient } from "@libsql/client";
import { createBaselineApp } from "./baselineApp.ts";
import { serveOnBun } from "./serveOnBun.ts";

// `PRIMARY_PATH=… PORT=… bun bench/servers/baselineServerBun.ts`: the same app, on Bun
serveOnBun(createBaselineApp(createClient({ url: `file:${process.env.PRIMARY_PATH}` })).fetch);
