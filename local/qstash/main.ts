import { readQStashEnv } from "./env.ts";
import { createQStashServer } from "./server.ts";

// Fault fractions are validated by the fault switch; apply them after start so
// a bad value fails loudly here instead of being silently clamped.
const { faults, ...options } = readQStashEnv(process.env);
const server = await createQStashServer(options);
try {
  if (faults) server.setFaults(faults);
} catch (error) {
  console.error(`[local qstash] invalid fault option: ${(error as Error).message}`);
  await server.close();
  process.exit(1);
}

const keys = server.signingKeys();
const generated = [
  process.env.QSTASH_TOKEN ? undefined : "QSTASH_TOKEN",
  process.env.QSTASH_CURRENT_SIGNING_KEY ? undefined : "QSTASH_CURRENT_SIGNING_KEY",
  process.env.QSTASH_NEXT_SIGNING_KEY ? undefined : "QSTASH_NEXT_SIGNING_KEY",
].filter((name) => name !== undefined);

console.log(`[local qstash] listening on ${server.url}`);
if (generated.length > 0) console.log(`[local qstash] generated: ${generated.join(", ")}`);
console.log(`QSTASH_URL=${server.url}`);
console.log(`QSTASH_TOKEN=${server.token}`);
console.log(`QSTASH_CURRENT_SIGNING_KEY=${keys.current}`);
console.log(`QSTASH_NEXT_SIGNING_KEY=${keys.next}`);
console.log(`[local qstash] faults: ${JSON.stringify(server.faults())}`);

const stop = async (signal: string) => {
  console.log(`[local qstash] ${signal}: stopping`);
  await server.close();
  process.exit(0);
};
process.once("SIGINT", () => void stop("SIGINT"));
process.once("SIGTERM", () => void stop("SIGTERM"));
