import type { FaultConfig } from "../delivery/faults.ts";
import type { SigningKeys } from "../signing/signingKeys.ts";

/** The `/local/*` admin endpoints, over HTTP as a script or another process would use them. */
export interface LocalAdmin {
  /** Waits until no delivery is due, held or in flight; throws after `timeoutMs`. */
  idle(timeoutMs?: number): Promise<void>;
  setFaults(patch: Partial<FaultConfig>): Promise<Response>;
  rotateKeys(): Promise<SigningKeys>;
  stats(): Promise<Record<string, number>>;
}

/**
 * @example
 * const admin = localAdmin(qstash.url, qstash.token);
 * await admin.setFaults({ drop: 0.5, seed: 7 });
 * await admin.idle();
 */
export const localAdmin = (baseUrl: string, token: string): LocalAdmin => {
  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${baseUrl}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    });
  return {
    async idle(timeoutMs = 20_000) {
      const response = await call(`/local/idle?timeoutMs=${timeoutMs}`);
      if (response.status !== 200) {
        throw new Error(`local QStash not idle after ${timeoutMs}ms: ${await response.text()}`);
      }
    },
    setFaults: (patch) => call("/local/faults", { method: "POST", body: JSON.stringify(patch) }),
    rotateKeys: async () =>
      (await (await call("/local/keys/rotate", { method: "POST" })).json()) as SigningKeys,
    stats: async () => (await (await call("/local/stats")).json()) as Record<string, number>,
  };
};

/**
 * Polls `check` until it returns true, failing after `timeoutMs`: a deadline,
 * never a fixed sleep standing in for synchronisation.
 *
 * @example
 * await waitFor(() => receiver.deliveries.length === 2);
 */
export const waitFor = async (
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  what = "condition",
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};
