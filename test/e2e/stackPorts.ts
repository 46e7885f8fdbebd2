import { createServer } from "node:net";
import type { StackPorts } from "../../local/stack/stackPlan.ts";

const isFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });

// write API, QStash, redis, its REST server, a spare, then one per region (four)
const stackWidth = 9;

/**
 * Free consecutive ports for a whole stack in a random range of its own, so
 * a test stack never meets `npm start`'s; below Linux's ephemeral ports
 * (32768 on), which outgoing connections take between our check and a bind.
 */
export async function freeStackPorts(): Promise<StackPorts> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * (32_000 - 20_000 - stackWidth));
    const ports = Array.from({ length: stackWidth }, (_, i) => base + i);
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
  throw new Error(`no free range of ${stackWidth} ports found`);
}
