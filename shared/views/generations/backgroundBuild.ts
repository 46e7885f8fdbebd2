import type { GenerationalStore } from "./generationalStore.ts";

export interface BackgroundBuild {
  /** look for work now instead of at the next idle tick (after `rebuild()`, say) */
  kick(): void;
  stop(): void;
}

export interface BackgroundBuildOptions {
  /** how often an idle loop checks for a build to do */
  idleMs: number;
  /** events per step; a step yields to reads and live applies between pages */
  maxEvents?: number;
  /** between steps while a build has work (default 0: back to back) */
  pauseMs?: number;
  /** after a failed step; the loop waits `idleMs` and tries again */
  onError?: (error: unknown) => void;
}

/**
 * Drives a generational store's builds on runtimes with long-lived timers
 * (Node, Bun, Deno): steps back to back (or `pauseMs` apart) while a build
 * has work, then idles.
 * Workers have no such timers between requests; their cron calls `buildStep`.
 *
 * @example
 * const builder = startBackgroundBuild(store, { idleMs: 5_000 });
 * await store.rebuild();
 * builder.kick();
 */
export function startBackgroundBuild(
  store: GenerationalStore,
  options: BackgroundBuildOptions,
): BackgroundBuild {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;

  const schedule = (ms: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(tick, ms);
    // A pending idle check never keeps a process alive on its own.
    (timer as { unref?: () => void }).unref?.();
  };

  async function tick(): Promise<void> {
    if (running || stopped) return;
    running = true;
    let done = true;
    try {
      done = await store.buildStep(options.maxEvents ?? 5_000);
    } catch (error) {
      options.onError?.(error);
    } finally {
      running = false;
    }
    schedule(done ? options.idleMs : (options.pauseMs ?? 0));
  }

  schedule(0);
  return {
    kick: () => schedule(0),
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
