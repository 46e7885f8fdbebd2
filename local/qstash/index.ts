export { createQStashApp } from "./app.ts";
export { createQStashCore, type QStashCore, type QStashCoreOptions } from "./core.ts";
export { QSTASH_RETRY_POLICY, type RetryPolicy, retryDelayMs } from "./delivery/backoff.ts";
export { type FaultConfig, type FaultPlan, NO_FAULTS, planFaults } from "./delivery/faults.ts";
export type { DeliveryStats } from "./delivery/stats.ts";
export { readQStashEnv } from "./env.ts";
export { createQStashServer, type QStashServer, type QStashServerOptions } from "./server.ts";
export { bodyHashClaim, type SignatureClaims, signatureClaims } from "./signing/signature.ts";
export { generateSigningKey, type SigningKeys } from "./signing/signingKeys.ts";
