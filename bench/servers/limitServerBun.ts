import { readFileSync } from "node:fs";
import { createLimitApp } from "./limitApp.ts";
import { serveOnBun } from "./serveOnBun.ts";

// `BODIES_PATH=… PORT=… bun bench/servers/limitServerBun.ts`
const bodies = JSON.parse(readFileSync(String(process.env.BODIES_PATH), "utf8")) as Record<
  string,
  string
>;
serveOnBun(createLimitApp(bodies).fetch);
