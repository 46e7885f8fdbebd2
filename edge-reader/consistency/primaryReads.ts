import { AppError } from "../../shared/errors/index.ts";

/** Fetches the same read from the primary's `/v1/read/…`, same shape. */
export type PrimaryReads = (pathAndQuery: string) => Promise<Response>;

/**
 * The primary's read paths with the reader credential.
 *
 * @example
 * const primary = primaryReads({ writeApiUrl, readerToken });
 * await primary("/products/red-shoe"); // GET {writeApiUrl}/v1/read/products/red-shoe
 */
export const primaryReads =
  (options: {
    writeApiUrl: string;
    readerToken: string;
    timeoutMs?: number;
    fetch?: typeof fetch;
  }): PrimaryReads =>
  async (pathAndQuery) => {
    try {
      return await (options.fetch ?? fetch)(`${options.writeApiUrl}/v1/read${pathAndQuery}`, {
        headers: { authorization: `Bearer ${options.readerToken}` },
        signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
      });
    } catch (e) {
      throw new AppError(
        "unavailable",
        "the primary is unreachable for a read this replica cannot serve yet",
        {
          cause: e,
        },
      );
    }
  };
