import { AppError } from "../../shared/errors/index.ts";
import type { Tx } from "../db/writeTransactions.ts";

export interface CommandResponse {
  version: number;
  results: { id: string }[];
}

const findKey = "SELECT request_hash, response, created_at FROM idempotency_keys WHERE key = ?";
const purgeExpired = "DELETE FROM idempotency_keys WHERE created_at < ?";
const upsertKey = `INSERT INTO idempotency_keys (key, request_hash, response, created_at) VALUES (?, ?, ?, ?)
  ON CONFLICT (key) DO UPDATE SET request_hash = excluded.request_hash,
  response = excluded.response, created_at = excluded.created_at`;

/**
 * Looks a key up inside the write transaction, so two concurrent retries of
 * one request cannot both run. The same key with another body is refused:
 * replaying a different request's answer would hide a real write.
 */
export async function findReplay(
  tx: Tx,
  key: string,
  requestHash: string,
  notBefore: number,
): Promise<CommandResponse | null> {
  const row = await tx.first<{ request_hash: string; response: string; created_at: number }>(
    findKey,
    [key],
  );
  if (!row || Number(row.created_at) < notBefore) return null;
  if (row.request_hash !== requestHash) {
    throw new AppError(
      "idempotency_key_reused",
      "this Idempotency-Key was used with a different body",
    );
  }
  return JSON.parse(row.response) as CommandResponse;
}

/** Stores a successful response; expired keys are purged on the way. */
export async function rememberResponse(
  tx: Tx,
  key: string,
  requestHash: string,
  response: CommandResponse,
  now: number,
  notBefore: number,
): Promise<void> {
  await tx.run(purgeExpired, [notBefore]);
  await tx.run(upsertKey, [key, requestHash, JSON.stringify(response), now]);
}
