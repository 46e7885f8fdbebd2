import { parentPort, workerData } from "node:worker_threads";
import type { AnyReadModel } from "../../shared/views/models/readModel.ts";
import { readModelList } from "../../shared/views/models/readModelList.ts";
import { openPrimaryDatabase } from "../db/primaryDatabase.ts";
import { eventStore } from "../eventStore/eventStore.ts";
import { openInlineViews } from "./inlineViews.ts";
import {
  toMessage,
  type ViewsCall,
  type ViewsMessage,
  type ViewsThreadData,
} from "./viewsThreadProtocol.ts";

// The primary's inline views in a thread of their own (`openInlineViewsThread`):
// their applies cost as much CPU as the commands they follow, and here they run
// beside them instead of between them.

const port = parentPort;
if (!port) throw new Error("viewsWorker runs as a worker thread: see openInlineViewsThread");
const data = workerData as ViewsThreadData;
const send = (message: ViewsMessage) => port.postMessage(message);
const models = new Map<string, AnyReadModel>(readModelList.map((m) => [m.name, m]));

const start = async () => {
  // the log only: nothing here writes to the primary, so its synchronous mode is moot
  const primary = await openPrimaryDatabase(data.primary.url, {
    authToken: data.primary.authToken,
    synchronous: "FULL",
    busyTimeoutMs: data.primary.busyTimeoutMs,
  });
  try {
    const views = await openInlineViews(eventStore(primary.reader), {
      ...data.views,
      onError: (error) => send({ kind: "applyFailed", error: toMessage(error) }),
    });
    return { primary, views };
  } catch (error) {
    primary.close();
    throw error;
  }
};

const opened = await start().then(
  (ok) => ok,
  (error: unknown) => {
    send({ kind: "failed", error: toMessage(error) });
    return null;
  },
);

if (opened) {
  const { primary, views } = opened;
  const { store } = views;
  const run = (call: Exclude<ViewsCall, { op: "committed" }>): Promise<unknown> => {
    switch (call.op) {
      case "fresh":
        return views.fresh();
      case "watermark":
        return store.watermark();
      case "read": {
        const model = models.get(call.model);
        if (!model) return Promise.reject(new Error(`no read model named "${call.model}"`));
        return store.read(model, call.plan);
      }
      case "digest":
        return store.digest({ fresh: call.fresh });
      case "apply":
        return store.apply(call.events);
      case "buildStep":
        return store.buildStep(call.maxEvents);
      case "rebuild":
        return store.rebuild();
      case "stop":
        return views.stop().finally(() => primary.close());
    }
  };
  port.on("message", (call: ViewsCall) => {
    if (call.op === "committed") return views.committed(call.version);
    run(call).then(
      (value) => {
        send({ kind: "answer", id: call.id, value, generation: store.generation() });
        if (call.op === "stop") port.close();
      },
      (error: unknown) => send({ kind: "refused", id: call.id, error: toMessage(error) }),
    );
  });
  send({ kind: "ready", generation: store.generation() });
}
