import { AppError, type ErrorCode, errorStatus } from "../../shared/errors/index.ts";
import type { StoredEvent } from "../../shared/events/types.ts";
import type { GenerationStatus } from "../../shared/views/generations/generationStatus.ts";

/** What the views' thread is started with (`workerData`). */
export interface ViewsThreadData {
  /** the primary, opened read-only there for its log */
  primary: { url: string; authToken?: string; busyTimeoutMs: number };
  views: { url: string; pageSize?: number; followEveryMs?: number };
}

/** A call from the write API's thread; `committed` is the only one without an id and an answer. */
export type ViewsCall =
  | { op: "committed"; version: number }
  | { id: number; op: "fresh" }
  | { id: number; op: "watermark" }
  /** `model`: a read model's name (`readModelList`); the plan its `plan()` made */
  | { id: number; op: "read"; model: string; plan: unknown }
  | { id: number; op: "digest"; fresh?: boolean }
  | { id: number; op: "apply"; events: readonly StoredEvent[] }
  | { id: number; op: "buildStep"; maxEvents?: number }
  | { id: number; op: "rebuild" }
  | { id: number; op: "stop" };

/** An error as it crosses threads: an `AppError` keeps its code (so its HTTP status) and details. */
export interface ErrorMessage {
  name: string;
  message: string;
  code?: ErrorCode;
  details?: unknown;
}

/** What the views' thread sends: the first message, every answer, and apply failures. */
export type ViewsMessage =
  | { kind: "ready"; generation: GenerationStatus }
  | { kind: "failed"; error: ErrorMessage }
  | { kind: "applyFailed"; error: ErrorMessage }
  | { kind: "answer"; id: number; value: unknown; generation: GenerationStatus }
  | { kind: "refused"; id: number; error: ErrorMessage };

/** @example toMessage(new AppError("unavailable", "down")); // → { name: "AppError", message: "down", code: "unavailable" } */
export function toMessage(error: unknown): ErrorMessage {
  if (error instanceof AppError) {
    return { name: error.name, message: error.message, code: error.code, details: error.details };
  }
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: "Error", message: String(error) };
}

/** The error again on this side: an `AppError` when it carried a known code. */
export function fromMessage(message: ErrorMessage): Error {
  const error =
    message.code && message.code in errorStatus
      ? new AppError(message.code, message.message, { details: message.details })
      : new Error(message.message);
  Object.defineProperty(error, "name", { value: message.name });
  return error;
}
