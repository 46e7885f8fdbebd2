/** HTTP statuses the Upstash REST API documents for refused requests. */
export type RestErrorStatus = 400 | 401 | 405 | 413 | 500;

/**
 * A request refused before (or instead of) reaching Redis. The message goes to
 * the client verbatim as `{"error": message}`, so it reads like a Redis error.
 *
 * @example
 * ```ts
 * throw new RestProtocolError(400, "ERR command must be a non-empty JSON array");
 * ```
 */
export class RestProtocolError extends Error {
  override readonly name = "RestProtocolError";
  readonly status: RestErrorStatus;

  constructor(status: RestErrorStatus, message: string) {
    super(message);
    this.status = status;
  }
}
