import type { ReaderStatus } from "../status/readerStatus.ts";

/**
 * A whole reader status for fakes of `GET /v1/status`: clients parse every
 * field, so a fake that sends only the ones a test cares about is refused.
 *
 * @example
 * new Response(JSON.stringify(readerStatusFixture({ region: "eu", watermark: 7 })));
 */
export const readerStatusFixture = (over: Partial<ReaderStatus> = {}): ReaderStatus => ({
  region: "test",
  runtime: "node",
  store: "sqlite",
  role: "replica",
  watermark: 0,
  digest: "d0",
  knownHead: 0,
  lagEvents: 0,
  lastApplyAt: null,
  lastHeardAt: null,
  sinceHeardMs: null,
  primaryFallbacks: 0,
  lastPoison: null,
  generation: null,
  selfHeal: null,
  ...over,
});
