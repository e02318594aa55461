/**
 * Clock and timers of a poller (inject fakes in tests).
 *
 * @example
 * ```ts
 * const clock: PollerClock = { now: () => Date.now(), setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
 * ```
 */
export interface PollerClock {
  /** Current time in ms since the epoch. */
  now(): number;
  /** Schedules `fn` after `ms`; returns a handle for {@link PollerClock.clearTimeout}. */
  setTimeout(fn: () => void, ms: number): unknown;
  /** Cancels a scheduled call. */
  clearTimeout(handle: unknown): void;
}

/** The real clock and timers. @internal */
export const REAL_POLLER_CLOCK: PollerClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The lifecycle every poller shares. @internal */
export interface PollLoop<TSummary> {
  readonly running: boolean;
  start(): void;
  stop(): Promise<void>;
  pollNow(): Promise<TSummary>;
}

/**
 * Runs `pass` now and then again `intervalMs` (± `jitter`) after each pass ends, one pass at a
 * time: `pollNow` joins a pass in progress, `stop` waits for it, and a pass that throws is
 * turned into a summary by `onFailure` so the loop never dies of an unhandled rejection.
 *
 * @internal
 */
export function createPollLoop<TSummary>(options: {
  readonly pass: () => Promise<TSummary>;
  readonly onFailure: (error: unknown) => TSummary;
  readonly intervalMs: number;
  readonly jitter: number;
  readonly clock: PollerClock;
  readonly random: () => number;
}): PollLoop<TSummary> {
  const { clock, random, intervalMs } = options;
  const jitter = Math.min(Math.max(options.jitter, 0), 1);
  let running = false;
  let handle: unknown = null;
  let current: Promise<TSummary> | null = null;

  function pollNow(): Promise<TSummary> {
    if (current) return current;
    const p = options
      .pass()
      .catch(options.onFailure)
      .finally(() => {
        if (current === p) current = null;
      });
    current = p;
    return p;
  }

  function schedule(): void {
    if (!running) return;
    const spread = intervalMs * jitter * (2 * random() - 1);
    handle = clock.setTimeout(
      () => {
        handle = null;
        void pollNow().finally(schedule);
      },
      Math.max(0, Math.round(intervalMs + spread)),
    );
  }

  return {
    get running() {
      return running;
    },
    start() {
      if (running) return;
      running = true;
      void pollNow().finally(schedule);
    },
    async stop() {
      running = false;
      if (handle !== null) {
        clock.clearTimeout(handle);
        handle = null;
      }
      if (current) await current;
    },
    pollNow,
  };
}
