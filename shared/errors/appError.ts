/**
 * The error codes the HTTP layer knows how to answer. Each maps to one status,
 * so a handler only ever says what went wrong, never which status to send.
 */
export const errorStatus = {
  malformed_json: 400,
  bad_request: 400,
  unauthorized: 401,
  not_found: 404,
  conflict: 409,
  version_conflict: 409,
  duplicate: 409,
  insufficient_stock: 409,
  illegal_transition: 409,
  idempotency_key_reused: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  unknown_command: 422,
  unknown_reference: 422,
  unsupported_event_version: 422,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;
export type ErrorStatus = (typeof errorStatus)[ErrorCode];

/** The one error body every endpoint of both apps answers with. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/**
 * An expected failure with a machine-readable code. Thrown anywhere below a
 * route; turned into `{ error: { code, message, details? } }` in one place.
 *
 * @example
 * throw new AppError("not_found", `no product with id ${id}`);
 */
export class AppError extends Error {
  override readonly name: string = "AppError";
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options?: { details?: unknown; cause?: unknown }) {
    super(message, { cause: options?.cause });
    this.code = code;
    this.details = options?.details;
  }

  get status(): ErrorStatus {
    return errorStatus[this.code];
  }

  toBody(): ErrorBody {
    const error: ErrorBody["error"] = { code: this.code, message: this.message };
    if (this.details !== undefined) error.details = this.details;
    return { error };
  }
}

export class ValidationError extends AppError {
  override readonly name = "ValidationError";
  constructor(message: string, details?: unknown) {
    super("validation_failed", message, { details });
  }
}

export class ConflictError extends AppError {
  override readonly name = "ConflictError";
}

export class NotFoundError extends AppError {
  override readonly name = "NotFoundError";
  constructor(message: string) {
    super("not_found", message);
  }
}

export class UnauthorizedError extends AppError {
  override readonly name = "UnauthorizedError";
  constructor(message: string) {
    super("unauthorized", message);
  }
}

export class PayloadTooLargeError extends AppError {
  override readonly name = "PayloadTooLargeError";
  constructor(limitBytes: number) {
    super("payload_too_large", `request body exceeds ${limitBytes} bytes`, {
      details: { limitBytes },
    });
  }
}
