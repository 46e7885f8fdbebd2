import { describe, expect, it } from "vitest";
import type { ReaderStatus } from "../../shared/status/readerStatus.ts";
import { readerStatusFixture } from "../../shared/testing/readerStatusFixture.ts";
import {
  dashboardView,
  type PrimaryStatus,
  type ReaderProbe,
  seqsAwaited,
} from "./dashboardView.ts";

const now = Date.parse("2026-01-01T00:00:10.000Z");
const primary: PrimaryStatus = { head: 10, published: 10, watermark: 10, digest: "d10" };
const reader = (url: string, status: Partial<ReaderStatus>): ReaderProbe => ({
  url,
  ok: true,
  status: readerStatusFixture({
    region: url,
    runtime: "bun",
    watermark: 10,
    digest: "d10",
    ...status,
  }),
});
const noDlq = { available: false, reason: "not configured" } as const;

describe("dashboardView", () => {
  it("a reader at the head with the primary's digest agrees, with no lag", () => {
    const state = dashboardView({
      now,
      primary,
      probes: [reader("eu", {}), reader("us", {})],
      commitTimes: new Map(),
      deadLetters: noDlq,
    });
    expect(state.regions.map((r) => [r.region, r.agreement, r.lagEvents, r.lagMs])).toEqual([
      ["eu", "equal", 0, 0],
      ["us", "equal", 0, 0],
    ]);
    expect(state.converged).toBe(true);
    expect(state.at).toBe("2026-01-01T00:00:10.000Z");
  });

  it("a lagging reader: lag in events from the head, in ms from the first unapplied commit", () => {
    const probes = [reader("ap", { watermark: 7, digest: "d7" })];
    expect(seqsAwaited(primary, probes)).toEqual([8]);
    const state = dashboardView({
      now,
      primary,
      probes,
      commitTimes: new Map([[8, now - 1_500]]),
      deadLetters: noDlq,
    });
    const [ap] = state.regions;
    expect(ap).toMatchObject({ lagEvents: 3, lagMs: 1_500, agreement: "unknown" });
    expect(ap?.agreementNote).toContain("behind");
    expect(state.converged).toBe(false);
  });

  it("a lag whose commit time is unknown is null, not zero", () => {
    const state = dashboardView({
      now,
      primary,
      probes: [reader("ap", { watermark: 9, digest: "d9" })],
      commitTimes: new Map(),
      deadLetters: noDlq,
    });
    expect(state.regions[0]).toMatchObject({ lagEvents: 1, lagMs: null });
  });

  it("the same watermark with another digest differs", () => {
    const state = dashboardView({
      now,
      primary,
      probes: [reader("eu", { digest: "tampered" })],
      commitTimes: new Map(),
      deadLetters: noDlq,
    });
    expect(state.regions[0]?.agreement).toBe("differs");
    expect(state.converged).toBe(false);
  });

  it("an unreachable reader is shown by its last known name, agreement unknown", () => {
    const probes: ReaderProbe[] = [
      reader("eu", {}),
      {
        url: "http://10.0.0.9:8092/v1/status",
        ok: false,
        error: "timed out after 2000 ms",
        lastKnown: { region: "us-bun", runtime: "bun", store: "sqlite" },
      },
      { url: "http://10.0.0.9:8093/v1/status", ok: false, error: "connection refused" },
    ];
    expect(seqsAwaited(primary, probes)).toEqual([]);
    const state = dashboardView({
      now,
      primary,
      probes,
      commitTimes: new Map(),
      deadLetters: noDlq,
    });
    expect(state.regions.map((r) => [r.region, r.reachable, r.agreement, r.error])).toEqual([
      ["eu", true, "equal", null],
      ["us-bun", false, "unknown", "timed out after 2000 ms"],
      ["10.0.0.9:8093", false, "unknown", "connection refused"],
    ]);
    expect(state.converged).toBe(false);
  });

  it("no readers configured is not converged", () => {
    const state = dashboardView({
      now,
      primary,
      probes: [],
      commitTimes: new Map(),
      deadLetters: noDlq,
    });
    expect(state.converged).toBe(false);
  });

  it("asks each awaited seq once, in order", () => {
    const probes = [
      reader("a", { watermark: 5 }),
      reader("b", { watermark: 2 }),
      reader("c", { watermark: 5 }),
      reader("d", { watermark: 10 }),
    ];
    expect(seqsAwaited(primary, probes)).toEqual([3, 6]);
  });
  it("shows the live view generation and a build's progress", () => {
    const state = dashboardView({
      now: 0,
      primary: { head: 10, published: 10, watermark: 10, digest: "d" },
      probes: [
        {
          url: "http://eu/v1/status",
          ok: true,
          status: readerStatusFixture({
            region: "eu",
            watermark: 10,
            digest: "d",
            generation: {
              active: "g1",
              epoch: 0,
              versions: {},
              building: {
                namespace: "g2",
                epoch: 1,
                watermark: 4,
                head: 10,
                applied: 4,
                startedAt: "2026-01-01T00:00:00.000Z",
              },
              lastSwitchAt: null,
              lastError: null,
            },
          }),
        },
        {
          url: "http://us/v1/status",
          ok: true,
          status: readerStatusFixture({ region: "us", watermark: 10, digest: "d" }),
        },
      ],
      commitTimes: new Map(),
      deadLetters: { available: true, messages: [], more: false },
    });
    expect(state.regions.map((r) => r.views)).toEqual([
      { active: "g1", building: "g2 at 4 of 10" },
      null,
    ]);
  });

  it("marks a region self-heal rebuilt, and one whose damage it holds off healing", () => {
    const selfHeal = (over: object) => ({
      checks: 3,
      lastCheckAt: "2026-01-01T00:00:09.000Z",
      lastVerdict: "agree" as const,
      lastDetail: null,
      heals: 0,
      lastHealAt: null,
      ...over,
    });
    const probe = (region: string, over: object | null) => ({
      url: `http://${region}/v1/status`,
      ok: true as const,
      status: readerStatusFixture({
        region,
        watermark: 10,
        digest: "d",
        selfHeal: over && selfHeal(over),
      }),
    });
    const state = dashboardView({
      now: 0,
      primary: { head: 10, published: 10, watermark: 10, digest: "d" },
      probes: [
        probe("eu", { heals: 2, lastHealAt: "2026-01-01T00:00:05.000Z" }),
        probe("us", { lastVerdict: "held" }),
        probe("ap", null),
      ],
      commitTimes: new Map(),
      deadLetters: { available: true, messages: [], more: false },
    });
    expect(state.regions.map((r) => r.selfHeal)).toEqual([
      { heals: 2, lastHealAt: "2026-01-01T00:00:05.000Z", differsHeld: false },
      { heals: 0, lastHealAt: null, differsHeld: true },
      null,
    ]);
  });
});
