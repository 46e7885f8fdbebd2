import { Worker } from "node:worker_threads";
import { AppError } from "../../shared/errors/index.ts";
import type { GenerationalStore } from "../../shared/views/generations/generationalStore.ts";
import type { GenerationStatus } from "../../shared/views/generations/generationStatus.ts";
import type { ApplyResult, DigestAt, StoredRead } from "../../shared/views/viewStore.ts";
import type { InlineViewOptions, InlineViews } from "./inlineViews.ts";
import {
  fromMessage,
  type ViewsCall,
  type ViewsMessage,
  type ViewsThreadData,
} from "./viewsThreadProtocol.ts";

export interface InlineViewsThreadOptions extends InlineViewOptions {
  /** the primary whose log the views follow: the thread opens its own connection */
  primary: ViewsThreadData["primary"];
}

declare const Bun: unknown;
declare const Deno: unknown;

const workerEntry = new URL("./viewsWorker.ts", import.meta.url);

/**
 * Bun and Deno run the TypeScript entry as it is. Node 20 loads a worker's
 * entry before any loader the process was started with (`--import tsx` in
 * `execArgv` included): the thread registers tsx first, then imports it.
 */
const startWorker = (workerData: ViewsThreadData): Worker => {
  if (typeof Bun !== "undefined" || typeof Deno !== "undefined") {
    return new Worker(workerEntry, { workerData });
  }
  const tsx = import.meta.resolve("tsx/esm/api");
  const code = `import(${JSON.stringify(tsx)}).then((tsx) => tsx.register()).then(() => import(${JSON.stringify(workerEntry.href)}))`;
  return new Worker(code, { eval: true, workerData });
};

const shuttingDown = () =>
  new AppError("unavailable", "the write API is shutting down; retry later");

type Call = ViewsCall extends infer C ? (C extends { id: number } ? Omit<C, "id"> : never) : never;

/** The primary's views in a thread, and that thread, for tests and diagnostics. */
export interface InlineViewsThread extends InlineViews {
  /** the thread serving now; null while a crashed one is being replaced */
  thread(): Worker | null;
}

/** How long after a crash the thread is started again, doubling per failed start up to 30 s. */
const restartAfterMs = (failures: number) => Math.min(30_000, 250 * 2 ** failures);

/**
 * `openInlineViews` in a worker thread: the views apply there, on the second
 * core, while the commands' thread only announces commits and forwards reads.
 * Each apply costs about as much CPU as the command it follows (a
 * `product.create` some 0.4 ms of statements), which on one thread halved
 * what the write API could commit. The views' database is the thread's
 * alone; it reads the primary's log on a connection of its own (WAL), so
 * nothing here shares the commands' writer. Same port as `openInlineViews`,
 * proved by the same tests: a read waits until the views hold every commit
 * made before it, and errors keep their code across the thread. A thread
 * that dies (a bug, memory) is reported through `onError` and started again,
 * with backoff; it catches up from the log like any start, and reads answer
 * 503 meanwhile. A thread that cannot start the first time fails the open.
 *
 * @example
 * const views = await openInlineViewsThread({ url: "file:.data/primary.views.db", primary: { url: "file:.data/primary.db", busyTimeoutMs: 5_000 } });
 */
export async function openInlineViewsThread(
  options: InlineViewsThreadOptions,
): Promise<InlineViewsThread> {
  const { primary, onError, ...views } = options;
  const data: ViewsThreadData = { primary, views };
  const pending = new Map<number, { resolve(value: unknown): void; reject(e: unknown): void }>();
  let nextId = 1;
  let stopped = false;
  let generation: GenerationStatus | null = null;
  let live: Worker | null = null;
  let down: Error = new AppError("unavailable", "the primary's views thread is starting");
  let failures = 0;
  let restartTimer: ReturnType<typeof setTimeout> | undefined;

  const failAll = (error: Error) => {
    for (const call of pending.values()) call.reject(error);
    pending.clear();
  };

  /** A thread, resolved once its views are open and caught up. */
  const spawn = () =>
    new Promise<Worker>((resolve, reject) => {
      const worker = startWorker(data);
      let ready = false;
      let ended: Error | null = null;
      worker.on("message", (message: ViewsMessage) => {
        switch (message.kind) {
          case "ready":
            ready = true;
            generation = message.generation;
            return resolve(worker);
          case "failed":
            ended = fromMessage(message.error);
            // whatever the failed open left running must not keep the thread (and the process) alive
            void worker.terminate();
            return reject(ended);
          case "applyFailed":
            return onError?.(fromMessage(message.error));
          case "answer": {
            generation = message.generation;
            pending.get(message.id)?.resolve(message.value);
            pending.delete(message.id);
            return;
          }
          case "refused":
            pending.get(message.id)?.reject(fromMessage(message.error));
            pending.delete(message.id);
            return;
        }
      });
      worker.on("error", (error) => {
        ended = new AppError("unavailable", `the primary's views thread failed: ${error.message}`, {
          cause: error,
        });
      });
      worker.on("exit", (code) => {
        ended ??= new AppError("unavailable", `the primary's views thread exited (${code})`);
        if (!ready) return reject(ended);
        if (live !== worker) return;
        live = null;
        down = ended;
        failAll(stopped ? shuttingDown() : ended);
        if (stopped) return;
        // primary reads answer 503 until a new thread has caught up: say why where the operator looks
        onError?.(ended);
        scheduleRestart();
      });
    });

  const adopt = (worker: Worker) => {
    // an idle views thread must not keep the process alive
    worker.unref();
    live = worker;
    failures = 0;
    if (announced > 0)
      worker.postMessage({ op: "committed", version: announced } satisfies ViewsCall);
  };

  const scheduleRestart = () => {
    restartTimer = setTimeout(() => {
      spawn().then(
        (worker) => {
          if (stopped) void worker.terminate();
          else adopt(worker);
        },
        (error: unknown) => {
          failures++;
          down = error instanceof Error ? error : new Error(String(error));
          onError?.(error);
          if (!stopped) scheduleRestart();
        },
      );
    }, restartAfterMs(failures));
  };

  const call = <T>(message: Call): Promise<T> => {
    if (stopped) return Promise.reject(shuttingDown());
    const worker = live;
    if (!worker) return Promise.reject(down);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ ...message, id } as ViewsCall);
    });
  };

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    clearTimeout(restartTimer);
    failAll(shuttingDown());
    const worker = live;
    if (!worker) return;
    const id = nextId++;
    const done = new Promise<void>((resolve) => {
      pending.set(id, { resolve: () => resolve(), reject: () => resolve() });
      worker.once("exit", () => resolve());
    });
    worker.postMessage({ op: "stop", id } satisfies ViewsCall);
    await done;
  };

  const store: GenerationalStore = {
    apply: (events) => call<ApplyResult>({ op: "apply", events }),
    watermark: () => call<number>({ op: "watermark" }),
    read: (model, plan) => call<StoredRead>({ op: "read", model: model.name, plan }),
    digest: (options) => call<DigestAt>({ op: "digest", fresh: options?.fresh }),
    buildStep: (maxEvents) => call<boolean>({ op: "buildStep", maxEvents }),
    rebuild: () => call<GenerationStatus>({ op: "rebuild" }),
    generation: () => generation as GenerationStatus,
    liveNamespace: () => (generation as GenerationStatus).active,
    close: stop,
  };
  // One message per turn of the event loop with the highest version, not one
  // per commit: a message costs some 17 µs, a group commit announces dozens.
  let announced = 0;
  let announcing = false;
  const announce = () => {
    announcing = false;
    if (!stopped) live?.postMessage({ op: "committed", version: announced } satisfies ViewsCall);
  };

  const first = spawn();
  try {
    adopt(await first);
  } catch (error) {
    stopped = true;
    throw error;
  }
  return {
    committed(version) {
      if (version <= announced) return;
      announced = version;
      if (announcing) return;
      announcing = true;
      setImmediate(announce);
    },
    fresh: () => call<void>({ op: "fresh" }),
    store,
    stop,
    thread: () => live,
  };
}
