import { readFileSync } from "node:fs";
import { createLimitApp } from "./limitApp.ts";
import { denoEnv, serveOnDeno } from "./serveOnDeno.ts";

// `BODIES_PATH=… PORT=… deno run -A --node-modules-dir=manual bench/servers/limitServerDeno.ts`
const bodies = JSON.parse(readFileSync(denoEnv("BODIES_PATH"), "utf8")) as Record<string, string>;
serveOnDeno(createLimitApp(bodies).fetch);
