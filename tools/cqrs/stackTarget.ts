import { dirname, join, resolve } from "node:path";
import type { ConnectionArgs } from "./args.ts";

/** A reader to ask; region, runtime and store come from the stack file or, failing that, its status. */
export interface ReaderTarget {
  url: string;
  region?: string;
  runtime?: string;
  store?: string;
}

/** Everything the commands need to reach a stack. */
export interface StackTarget {
  writeApi: string;
  readers: ReaderTarget[];
  tokens: { admin: string; reader: string };
  qstash: { url: string; token: string };
}

/** The stack file is missing or unreadable: exit 2, like an unreachable stack. */
export class StackNotFoundError extends Error {
  override readonly name = "StackNotFoundError";
}

interface StackFileShape {
  writeApi?: { url?: string };
  qstash?: { url?: string };
  readers?: ReaderTarget[];
  tokens?: { admin?: string; reader?: string };
}

const json = <T>(text: string | null, path: string): T | null => {
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new StackNotFoundError(`${path} is not JSON`);
  }
};

const trimSlash = (url: string) => url.replace(/\/+$/, "");

/**
 * Where the stack is: `--write-api`/`--reader` flags alone, or a stack file
 * (`--stack`, default `.data/stack.json`) with `secrets.json` beside it for the
 * QStash token. Flags win over the environment, the environment over files.
 * `readText` returns null for a missing file, so this stays testable without disk.
 *
 * @example
 * resolveStackTarget({ readers: [] }, { env: {}, cwd: "/repo", readText: (p) => files[p] ?? null });
 * // → { writeApi: "http://127.0.0.1:8080", readers: [{ region: "us-bun", url: … }], … }
 */
export function resolveStackTarget(
  args: ConnectionArgs,
  deps: {
    env: Record<string, string | undefined>;
    cwd: string;
    readText: (path: string) => string | null;
  },
): StackTarget {
  const { env } = deps;
  let file: StackFileShape = {};
  let secrets: { qstashToken?: string } = {};
  if (args.stack !== undefined || args.writeApi === undefined) {
    const path = resolve(deps.cwd, args.stack ?? ".data/stack.json");
    const found = json<StackFileShape>(deps.readText(path), path);
    if (!found?.writeApi?.url) {
      throw new StackNotFoundError(
        found
          ? `${path} names no write API`
          : `no stack file at ${path}: start one with \`npm start\`, or pass --stack <file> or --write-api <url>`,
      );
    }
    file = found;
    const secretsPath = join(dirname(path), "secrets.json");
    secrets = json<{ qstashToken?: string }>(deps.readText(secretsPath), secretsPath) ?? {};
  }
  const readers =
    args.readers.length > 0
      ? args.readers.map((url) => ({ url: trimSlash(url) }))
      : (file.readers ?? []).map((r) => ({ ...r, url: trimSlash(r.url) }));
  return {
    writeApi: trimSlash(args.writeApi ?? file.writeApi?.url ?? ""),
    readers,
    tokens: {
      admin: args.adminToken ?? env.ADMIN_TOKEN ?? file.tokens?.admin ?? "",
      reader: args.readerToken ?? env.READER_TOKEN ?? file.tokens?.reader ?? "",
    },
    qstash: {
      url: trimSlash(args.qstashUrl ?? env.QSTASH_URL ?? file.qstash?.url ?? ""),
      token: args.qstashToken ?? env.QSTASH_TOKEN ?? secrets.qstashToken ?? "",
    },
  };
}
