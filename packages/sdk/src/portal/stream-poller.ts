import type { StreamEngine, StreamState, StreamStatus } from '../engine/stream-engine.js';
import type { ExecutionInput, ExecutionStatus } from '../models/execution.js';
import type { Task, TaskStatus } from '../models/task.js';
import { createPollLoop, type PollerClock, REAL_POLLER_CLOCK } from './poll-loop.js';
import type { StreamSampleInput } from './stream-history.js';

/**
 * The part of the portal the stream poller needs. `PortalService` satisfies it; tests can pass a
 * stub.
 *
 * @example
 * ```ts
 * const portal: StreamPollerPortal = new PortalService({ store, streamEngines: { dinky } });
 * ```
 */
export interface StreamPollerPortal {
  /** Lists tasks page by page. */
  listTasks(query: {
    readonly taskType: 'stream';
    readonly status?: TaskStatus | readonly TaskStatus[];
    readonly limit?: number;
    readonly cursor?: string;
  }): Promise<{ readonly items: readonly Task[]; readonly nextCursor: string | null }>;
  /** Records a run report (idempotent on task + engine + external run id, forward-only status). */
  recordExecution(input: ExecutionInput): Promise<unknown>;
  /** Marks a task `failed` with the engine's message (called when its current job fails). */
  reportTaskFailure?(taskId: number, message: string | null): Promise<unknown>;
  /** Stores a status sample (throughput, uptime) of every read, for the history the API returns. */
  recordStreamSample?(sample: StreamSampleInput): Promise<unknown>;
}

/**
 * Clock and timers of the stream poller (inject fakes in tests).
 *
 * @example
 * ```ts
 * const clock: StreamPollerClock = { now: () => Date.now(), setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
 * ```
 */
export type StreamPollerClock = PollerClock;

/**
 * Configuration of {@link createStreamPoller}.
 *
 * @example
 * ```ts
 * const config: StreamPollerConfig = { portal, engine: dinky, intervalMs: 15_000, jitter: 0.2 };
 * ```
 */
export interface StreamPollerConfig {
  /** Where stream tasks are listed and state changes recorded. */
  readonly portal: StreamPollerPortal;
  /** The stream engine (Dinky). */
  readonly engine: StreamEngine;
  /** Pause between passes in ms (default 15 000). */
  readonly intervalMs?: number;
  /** Random spread of the pause as a fraction of it, 0–1 (default 0.1): 0.1 means ±10 %. */
  readonly jitter?: number;
  /** Task statuses that mean "started" (default `['online']`, what `startStream` sets). */
  readonly taskStatuses?: readonly TaskStatus[];
  /**
   * How long a job may stay in the engine's `unknown` state before the poller records it as
   * FAILED, in ms (default 10 minutes). Dinky stops monitoring a job it marks UNKNOWN.
   */
  readonly unknownGraceMs?: number;
  /** Clock and timers (default: the real ones). */
  readonly clock?: StreamPollerClock;
  /** Random source in [0, 1) for the jitter (default `Math.random`). */
  readonly random?: () => number;
  /** Called for every failure inside a pass (the pass continues with the next task). */
  readonly onError?: (error: unknown, context: { readonly taskId?: number }) => void;
  /** Called after every status read (for metrics or a status cache). */
  readonly onStatus?: (task: Task, status: StreamStatus) => void;
}

/**
 * What one pass did.
 *
 * @example
 * ```ts
 * const summary: StreamPollSummary = await poller.pollNow();
 * console.log(summary.recorded);
 * ```
 */
export interface StreamPollSummary {
  /** Started stream tasks seen. */
  readonly tasks: number;
  /** Status reads made. */
  readonly polled: number;
  /** State changes passed to `recordExecution`. */
  readonly recorded: number;
  /** Tasks skipped because their current run already ended. */
  readonly finished: number;
  /** Failures reported to `onError`. */
  readonly errors: number;
}

/**
 * A stream status poller; see {@link createStreamPoller}.
 *
 * @example
 * ```ts
 * const poller: StreamPoller = createStreamPoller({ portal, engine: dinky });
 * poller.start();
 * ```
 */
export interface StreamPoller {
  /** Starts polling (first pass right away). Calling it twice does nothing. */
  start(): void;
  /** Stops polling and waits for a pass in progress to finish. */
  stop(): Promise<void>;
  /** Runs one pass now (or joins the pass in progress) and resolves with its summary. */
  pollNow(): Promise<StreamPollSummary>;
  /** Whether the poller is started. */
  readonly running: boolean;
}

/**
 * The execution status a stream state is recorded as, or null for `unknown` (not recorded until
 * the grace period ends).
 *
 * @param state - the engine's mapped state
 * @returns running → RUNNING, finished → SUCCESS, stopped → KILLED, failed → FAILED,
 *   starting → SUBMITTED, unknown → null
 * @example
 * ```ts
 * executionStatusOfStream('stopped'); // 'KILLED'
 * ```
 */
export function executionStatusOfStream(state: StreamState): ExecutionStatus | null {
  switch (state) {
    case 'running':
      return 'RUNNING';
    case 'finished':
      return 'SUCCESS';
    case 'stopped':
      return 'KILLED';
    case 'failed':
      return 'FAILED';
    case 'starting':
      return 'SUBMITTED';
    default:
      return null;
  }
}

const TERMINAL: readonly ExecutionStatus[] = ['SUCCESS', 'FAILED', 'KILLED'];

interface Seen {
  readonly runId: string;
  readonly status: ExecutionStatus | null;
  readonly unknownSince: number | null;
}

/**
 * Creates the stream poller. Dinky has no callbacks, so for every started stream task (status
 * `online` by default) each pass reads the job's status from the engine and records each state
 * change as an execution keyed by the job instance id (`recordExecution` is idempotent and
 * forward-only): starting → SUBMITTED, running → RUNNING, finished → SUCCESS, stopped → KILLED,
 * failed → FAILED. Every read is also stored as a sample (`recordStreamSample`: state, throughput,
 * uptime) for the history the API returns. A job that died or vanished from the engine comes back as failed and is
 * recorded with the engine's message; a job stuck in `unknown` longer than `unknownGraceMs` is
 * recorded as FAILED. Once a run is terminal the task is not polled again until it has a new run
 * (a new job instance id in its engine reference).
 *
 * Passes never overlap, errors go to `onError` (never unhandled rejections), and the pause between
 * passes is `intervalMs` ± `jitter`.
 *
 * @param config - portal, engine, interval, jitter, clock
 * @returns the poller (call `start()`; `stop()` on shutdown)
 * @example
 * ```ts
 * const poller = createStreamPoller({ portal, engine: dinky, intervalMs: 15_000, jitter: 0.2 });
 * poller.start();
 * // … on shutdown:
 * await poller.stop();
 * ```
 */
export function createStreamPoller(config: StreamPollerConfig): StreamPoller {
  const clock = config.clock ?? REAL_POLLER_CLOCK;
  const random = config.random ?? Math.random;
  const interval = config.intervalMs ?? 15_000;
  const jitter = config.jitter ?? 0.1;
  const statuses = config.taskStatuses ?? ['online'];
  const grace = config.unknownGraceMs ?? 10 * 60_000;
  const seen = new Map<number, Seen>();
  const report = (error: unknown, context: { taskId?: number }) => {
    try {
      config.onError?.(error, context);
    } catch {
      // a failing error hook must not break the loop
    }
  };

  const runIdOf = (task: Task): string | null => {
    const id = task.engineRef?.['jobInstanceId'] ?? task.engineRef?.['externalRunId'];
    return typeof id === 'number' || typeof id === 'string' ? String(id) : null;
  };

  async function pollTask(
    task: Task,
    counts: { polled: number; recorded: number; finished: number },
  ): Promise<void> {
    const before = seen.get(task.id);
    const refRun = runIdOf(task);
    if (before && TERMINAL.includes(before.status as ExecutionStatus) && before.runId === refRun) {
      counts.finished += 1;
      return;
    }
    const status = await config.engine.status(task);
    counts.polled += 1;
    try {
      config.onStatus?.(task, status);
    } catch {
      // observers must not break the loop
    }
    const runId = status.externalRunId ?? refRun;
    if (runId === null) return;
    if (config.portal.recordStreamSample) {
      try {
        await config.portal.recordStreamSample({
          taskId: task.id,
          externalRunId: runId,
          state: status.state,
          throughput: status.throughput,
          uptimeMs: status.uptimeMs,
          sampledAt: new Date(clock.now()),
        });
      } catch (err) {
        // A lost sample must not cost the state change below.
        report(err, { taskId: task.id });
      }
    }
    if (before && before.runId !== runId && !TERMINAL.includes(before.status as ExecutionStatus)) {
      await closeReplacedRun(task, before.runId, counts);
    }
    const prev = before?.runId === runId ? before : undefined;
    const now = clock.now();
    let next = executionStatusOfStream(status.state);
    let message = status.lastError;
    let unknownSince: number | null = null;
    if (next === null) {
      unknownSince = prev?.unknownSince ?? now;
      if (now - unknownSince < grace) {
        seen.set(task.id, { runId, status: prev?.status ?? null, unknownSince });
        return;
      }
      next = 'FAILED';
      message = `job state unknown to the engine for ${Math.round((now - unknownSince) / 1000)} s${
        status.lastError ? `: ${status.lastError}` : ''
      }`;
    }
    if (prev && prev.status === next) {
      seen.set(task.id, { runId, status: next, unknownSince });
      return;
    }
    const terminal = TERMINAL.includes(next);
    const startTime = status.startedAt;
    const endTime = terminal
      ? startTime && status.uptimeMs !== null
        ? new Date(startTime.getTime() + status.uptimeMs)
        : new Date(now)
      : null;
    await config.portal.recordExecution({
      taskId: task.id,
      engine: task.engine,
      externalRunId: runId,
      status: next,
      startTime,
      endTime,
      message: message ? message.slice(0, 8000) : null,
    });
    counts.recorded += 1;
    seen.set(task.id, { runId, status: next, unknownSince });
    if (next === 'FAILED') await config.portal.reportTaskFailure?.(task.id, message);
  }

  /** A restart replaced the run the poller was following: record how the old job ended. */
  async function closeReplacedRun(
    task: Task,
    oldRunId: string,
    counts: { polled: number; recorded: number },
  ): Promise<void> {
    const asNumber = Number(oldRunId);
    const oldRef = {
      ...(task.engineRef ?? {}),
      jobInstanceId: Number.isInteger(asNumber) ? asNumber : oldRunId,
      externalRunId: oldRunId,
    };
    const old = await config.engine.status({ ...task, engineRef: oldRef });
    counts.polled += 1;
    const status = executionStatusOfStream(old.state);
    if (old.externalRunId !== oldRunId || status === null || !TERMINAL.includes(status)) return;
    await config.portal.recordExecution({
      taskId: task.id,
      engine: task.engine,
      externalRunId: oldRunId,
      status,
      startTime: old.startedAt,
      endTime:
        old.startedAt && old.uptimeMs !== null
          ? new Date(old.startedAt.getTime() + old.uptimeMs)
          : new Date(clock.now()),
      message: old.lastError ? old.lastError.slice(0, 8000) : null,
    });
    counts.recorded += 1;
  }

  async function pass(): Promise<StreamPollSummary> {
    const counts = { tasks: 0, polled: 0, recorded: 0, finished: 0, errors: 0 };
    const live = new Set<number>();
    let cursor: string | undefined;
    do {
      let page: { readonly items: readonly Task[]; readonly nextCursor: string | null };
      try {
        page = await config.portal.listTasks({
          taskType: 'stream',
          status: statuses,
          limit: 200,
          ...(cursor ? { cursor } : {}),
        });
      } catch (err) {
        counts.errors += 1;
        report(err, {});
        return counts;
      }
      for (const task of page.items) {
        if (task.taskType !== 'stream' || task.engine !== config.engine.name) continue;
        if (task.engineRef === null) continue;
        counts.tasks += 1;
        live.add(task.id);
        try {
          await pollTask(task, counts);
        } catch (err) {
          counts.errors += 1;
          report(err, { taskId: task.id });
        }
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    // Tasks no longer started (stopped through the portal) are forgotten.
    for (const id of [...seen.keys()]) if (!live.has(id)) seen.delete(id);
    return counts;
  }

  return createPollLoop<StreamPollSummary>({
    pass,
    onFailure: (err) => {
      report(err, {});
      return { tasks: 0, polled: 0, recorded: 0, finished: 0, errors: 1 };
    },
    intervalMs: interval,
    jitter,
    clock: clock,
    random,
  });
}
