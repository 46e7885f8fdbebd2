import type { Hono } from "hono";
import { AppError, UnauthorizedError } from "../../shared/errors/index.ts";
import {
  asStoredEvents,
  eventBatchSchema,
  isUnsupportedVersionIssue,
} from "../../shared/events/eventSchema.ts";
import { readBodyBytes } from "../../shared/http/jsonBody.ts";
import { eventRangeFields } from "../../shared/logging/eventFields.ts";
import { type Logger, silentLogger } from "../../shared/logging/logger.ts";
import type { ViewStore } from "../../shared/views/viewStore.ts";
import type { CatchUp } from "../catchUp/catchUp.ts";
import type { ReaderState } from "../catchUp/readerState.ts";
import { applyFault } from "./applyFault.ts";

/** Checks an `Upstash-Signature` against the exact body text; false on any failure. */
export type PushVerifier = (signature: string, body: string) => Promise<boolean>;

export interface IngestDeps {
  store: ViewStore;
  catchUp: CatchUp;
  verify: PushVerifier;
  state: ReaderState;
  bodyLimitBytes: number;
  now?: () => number;
  /** one "reader applied" line per applied push */
  log?: Logger;
}

/**
 * `POST /v1/ingest`: QStash pushes only. The push is a doorbell and the log
 * is the truth: a duplicate is acknowledged, a gap makes the reader pull the
 * missing range from the primary first, so any delivery order converges.
 * A 5xx asks QStash to retry; a 4xx after a valid signature is a poison batch.
 */
export const ingestRoute = (deps: IngestDeps) => (app: Hono) =>
  app.post("/v1/ingest", async (c) => {
    const signature = c.req.header("upstash-signature");
    if (!signature) throw new UnauthorizedError("pushes need an Upstash-Signature");
    const raw = await readBodyBytes(c.req.raw, deps.bodyLimitBytes);
    // Verify the bytes as received: a re-serialized body would fail the hash.
    const text = new TextDecoder().decode(raw);
    if (!(await deps.verify(signature, text))) {
      throw new UnauthorizedError("the push signature is not valid for this reader");
    }
    // The relay always sends JSON; anything else is not one of our pushes.
    if (!/^application\/json\s*(?:;|$)/i.test(c.req.header("content-type") ?? "")) {
      throw new AppError("unsupported_media_type", "pushes are application/json");
    }
    // From here the push is genuinely QStash's: a refusal is a poison message, worth reporting.
    const poison = (error: AppError): AppError => {
      deps.state.lastPoison = {
        at: (deps.now ?? Date.now)(),
        message: error.message,
        details: error.details ?? null,
      };
      return error;
    };
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw poison(new AppError("malformed_json", "the push body is not JSON"));
    }
    const batch = eventBatchSchema.safeParse(json);
    if (!batch.success) {
      // written by newer code than this reader: never guess at its shape
      const tooNew = batch.error.issues.find(isUnsupportedVersionIssue);
      if (tooNew) {
        throw poison(
          new AppError("unsupported_event_version", `upgrade this reader: ${tooNew.message}`, {
            details: [{ path: tooNew.path.join("."), message: tooNew.message }],
          }),
        );
      }
      const details = batch.error.issues
        .slice(0, 5)
        .map((i) => ({ path: i.path.join("."), message: i.message }));
      throw poison(
        new AppError("validation_failed", "the push is not an event batch", { details }),
      );
    }
    const events = asStoredEvents(batch.data.events);
    const now = deps.now ?? Date.now;
    deps.state.lastHeardAt = now();
    deps.state.knownHead = Math.max(deps.state.knownHead, ...events.map((e) => e.seq));
    const { store } = deps;
    const fault = applyFault(deps.state, now, events);
    let result = await store.apply(events).catch(fault);
    let pulled = 0;
    if (result.status === "gap") {
      pulled = (await deps.catchUp.run().catch(fault)).applied;
      result = await store.apply(events).catch(fault);
      if (result.status === "gap") {
        throw new AppError("unavailable", "the primary's log does not reach this batch yet");
      }
    }
    if (result.status === "applied") {
      deps.state.lastApplyAt = now();
      (deps.log ?? silentLogger).info("reader applied", {
        via: "push",
        ...eventRangeFields(events, result.watermark - result.applied),
        watermark: result.watermark,
        pulled,
      });
    }
    return c.json({ status: result.status, watermark: result.watermark, pulled });
  });
