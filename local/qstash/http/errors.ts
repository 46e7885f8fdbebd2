/** The statuses this server answers errors with. */
export type QStashErrorStatus = 400 | 401 | 404 | 409 | 413 | 415 | 501 | 503;

/**
 * An expected failure of a QStash API call. QStash answers every error as
 * `{ "error": "…" }` (a bare string, unlike this repo's own `{ error: { code } }`
 * shape), and the SDK surfaces that body verbatim as `QstashError.message`.
 *
 * @example
 * throw new QStashHttpError(404, `topic ${name} not found`);
 */
export class QStashHttpError extends Error {
  override readonly name = "QStashHttpError";
  readonly status: QStashErrorStatus;

  constructor(status: QStashErrorStatus, message: string) {
    super(message);
    this.status = status;
  }
}

/**
 * The JSON body QStash sends with an error status.
 *
 * @example
 * c.json(errorBody("unauthorized"), 401);
 */
export const errorBody = (message: string): { error: string } => ({ error: message });
