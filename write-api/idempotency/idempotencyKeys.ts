import { eq, lt } from "drizzle-orm";
import { AppError } from "../../shared/errors/index.ts";
import { idempotencyKeys } from "../db/schema.ts";
import type { Tx } from "../db/writeTransactions.ts";

export interface CommandResponse {
  version: number;
  results: { id: string }[];
}

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
  const row = (
    await tx.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key)).limit(1)
  )[0];
  if (!row || row.createdAt < notBefore) return null;
  if (row.requestHash !== requestHash) {
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
  await tx.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, notBefore));
  await tx
    .insert(idempotencyKeys)
    .values({ key, requestHash, response: JSON.stringify(response), createdAt: now })
    .onConflictDoUpdate({
      target: idempotencyKeys.key,
      set: { requestHash, response: JSON.stringify(response), createdAt: now },
    });
}
