import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { probeRedis } from "../redis/probeRedis.ts";
import { loadDevSecrets } from "./devSecrets.ts";
import { processGroup, waitForHttp } from "./processGroup.ts";
import { seedDemoCatalog } from "./seedDemoCatalog.ts";
import { type StackPorts, stackPlan } from "./stackPlan.ts";

export interface StackFile {
  writeApi: { url: string };
  qstash: { url: string };
  readers: { region: string; url: string; runtime: string; store: string }[];
  tokens: { admin: string; reader: string };
}

export const defaultPorts = (env: NodeJS.ProcessEnv): StackPorts => {
  const port = (name: string, fallback: number) => Number(env[name] ?? fallback);
  return {
    writeApi: port("WRITE_API_PORT", 8080),
    qstash: port("QSTASH_PORT", 8081),
    redis: port("REDIS_PORT", 8078),
    redisRest: port("REDIS_REST_PORT", 8079),
    readers: port("READER_BASE_PORT", 8091),
  };
};

const waitForRedis = async (port: number, deadlineMs = 15_000) => {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if ((await probeRedis(port, "127.0.0.1", 500)).answered) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`redis-server did not answer on port ${port} within ${deadlineMs} ms`);
};

/** The last lines a service wrote, for an error about it. */
const logTail = (logDir: string, name: string, lines = 20): string => {
  const path = join(logDir, `${name}.log`);
  if (!existsSync(path)) return `(no ${name}.log)`;
  return `last lines of ${name}.log:\n${readFileSync(path, "utf8").trimEnd().split("\n").slice(-lines).join("\n")}`;
};

/**
 * Starts the local stack's processes in order, each once the one before it
 * answers, seeds the demo catalog on first start, and writes `stack.json`.
 * Used by `npm start` and by the end-to-end tests.
 */
export async function launchStack(options: {
  dataDir: string;
  ports: StackPorts;
  echo: boolean;
  env?: NodeJS.ProcessEnv;
  seed?: boolean;
}) {
  mkdirSync(options.dataDir, { recursive: true });
  const { secrets, generated } = loadDevSecrets(
    join(options.dataDir, "secrets.json"),
    options.env ?? {},
  );
  const plan = stackPlan({
    dataDir: options.dataDir,
    ports: options.ports,
    secrets,
    env: options.env,
  });
  const logDir = join(options.dataDir, "logs");
  const group = processGroup({ logDir, echo: options.echo });
  const stack: StackFile = {
    writeApi: { url: plan.urls.writeApi },
    qstash: { url: plan.urls.qstash },
    readers: plan.readers.map(({ region, url, runtime, store }) => ({
      region,
      url,
      runtime,
      store,
    })),
    tokens: { admin: secrets.adminToken, reader: secrets.readerToken },
  };
  const ready: Record<string, () => Promise<void>> = {
    "redis-server": () => waitForRedis(options.ports.redis),
    "upstash-redis": () =>
      waitForHttp(`${plan.urls.redisRest}/ping`, 15_000, {
        headers: { authorization: `Bearer ${secrets.redisRestToken}` },
      }),
    qstash: () => waitForHttp(`${plan.urls.qstash}/local/health`),
    "write-api": () => waitForHttp(`${plan.urls.writeApi}/healthz`),
  };
  try {
    for (const service of plan.services) {
      group.start(service);
      await ready[service.name]?.();
    }
    // workerd takes a few seconds to come up: wait for all readers together
    await Promise.all(
      plan.readers.map((r) =>
        waitForHttp(`${r.url}/healthz`, 90_000).catch((error: Error) => {
          // The data folder of a test stack is gone by the time anyone looks: say what the log said.
          throw new Error(`reader ${r.region}: ${error.message}\n${logTail(logDir, r.region)}`);
        }),
      ),
    );
    const seeded =
      options.seed === false
        ? { seeded: false }
        : await seedDemoCatalog(
            plan.urls.writeApi,
            secrets.adminToken,
            join(options.dataDir, "seeded"),
          );
    writeFileSync(join(options.dataDir, "stack.json"), `${JSON.stringify(stack, null, 2)}\n`);
    return { stack, group, plan, secrets, generated, seeded: seeded.seeded };
  } catch (e) {
    await group.stopAll();
    throw e;
  }
}

export type LaunchedStack = Awaited<ReturnType<typeof launchStack>>;
