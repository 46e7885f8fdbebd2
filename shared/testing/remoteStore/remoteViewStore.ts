import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { StoredEvent } from "../../events/types.ts";
import type { AnyReadModel } from "../../views/models/readModel.ts";
import type { ApplyResult, DigestAt, StoredRead, ViewStore } from "../../views/viewStore.ts";
import type { FileSettings } from "../viewDbSettings.ts";

const server = fileURLToPath(new URL("./storeServer.ts", import.meta.url));
const bin = (name: string) =>
  fileURLToPath(new URL(`../../../node_modules/.bin/${name}`, import.meta.url));

/** A thrown store error as the server reported it: same name, code and status. */
class RemoteStoreError extends Error {
  constructor(
    message: string,
    override readonly name: string,
    readonly code: string | undefined,
    readonly status: number | undefined,
  ) {
    super(message);
  }
}

export interface StoreServer {
  /** the SQLite binding the server's stores run on */
  binding(): Promise<string>;
  /** how a view file the server opens commits and sorts, per kind of connection */
  fileSettings(): Promise<Record<"reader" | "write" | "read", FileSettings>>;
  /** a new store on a file of its own (or `:memory:`), and how to drop it */
  open(options?: { memory?: boolean }): Promise<{ store: ViewStore; cleanup(): Promise<void> }>;
  stop(): Promise<void>;
}

/**
 * Starts `storeServer.ts` under Bun or Deno and hands out `ViewStore`s that
 * forward every call to it: the SQL store on that runtime's own binding, the
 * real one, as the contract suite's factory needs it.
 *
 * @example
 * const bun = await startStoreServer("bun");
 * testViewStore("SQL on bun:sqlite", () => bun.open());
 */
export async function startStoreServer(runtime: "bun" | "deno"): Promise<StoreServer> {
  const args = runtime === "bun" ? [server] : ["run", "-A", "--node-modules-dir=manual", server];
  const child: ChildProcess = spawn(bin(runtime), args, {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr += String(d);
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(
      () => reject(new Error(`${runtime} store server: no port\n${stderr}`)),
      60_000,
    );
    child.stdout?.on("data", (d) => {
      out += String(d);
      const match = /\{"port":(\d+)\}/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once("exit", (code) =>
      reject(new Error(`${runtime} store server exited ${code}\n${stderr}`)),
    );
  });
  const base = `http://127.0.0.1:${port}`;
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json()) as T & {
      error?: { name: string; message: string; code?: string; status?: number };
    };
    if (json.error) {
      const e = json.error;
      throw new RemoteStoreError(e.message, e.name, e.code, e.status);
    }
    return json;
  };

  return {
    binding: async () => (await call<{ binding: string }>("GET", "/binding")).binding,
    fileSettings: () => call("GET", "/file-settings"),
    async open(options = {}) {
      const { id } = await call<{ id: string }>("POST", "/stores", options);
      const store: ViewStore = {
        apply: (events: readonly StoredEvent[]) =>
          call<ApplyResult>("POST", `/stores/${id}/apply`, events),
        watermark: async () =>
          (await call<{ watermark: number }>("GET", `/stores/${id}/watermark`)).watermark,
        read: (model: AnyReadModel, plan: unknown) =>
          call<StoredRead>("POST", `/stores/${id}/read`, { model: model.name, plan }),
        digest: (o) => call<DigestAt>("GET", `/stores/${id}/digest${o?.fresh ? "?fresh=1" : ""}`),
        close: () => Promise.resolve(),
      };
      return { store, cleanup: async () => void (await call("DELETE", `/stores/${id}`)) };
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
