import { createServer } from "node:net";
import type { StackPorts } from "../../local/stack/stackPlan.ts";

const isFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });

/** Eight free consecutive ports in a random high range, so a test stack never meets `npm start`'s. */
export async function freeStackPorts(): Promise<StackPorts> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 20_000);
    const ports = Array.from({ length: 8 }, (_, i) => base + i);
    if ((await Promise.all(ports.map(isFree))).every(Boolean)) {
      return {
        writeApi: base,
        qstash: base + 1,
        redis: base + 2,
        redisRest: base + 3,
        readers: base + 5,
      };
    }
  }
  throw new Error("no free range of 8 ports found");
}
