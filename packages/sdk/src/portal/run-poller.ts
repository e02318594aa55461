import type { BatchEngine, EngineRun } from '../engine/batch-engine.js';
import type { Execution, ExecutionInput, ExecutionStatus } from '../models/execution.js';
import type { EngineName, Task, TaskStatus } from '../models/task.js';
import { createPollLoop, type PollerClock, REAL_POLLER_CLOCK } from './poll-loop.js';

/**
 * The part of the portal the poller needs. `PortalService` satisfies it; tests can pass a stub.
 *
 * @example
 * ```ts
 * const portal: RunPollerPortal = new PortalService({ store });
 * ```
 */
export interface RunPollerPortal {
  /** Lists tasks page by page. */
  listTasks(query: {
    readonly status?: TaskStatus | readonly TaskStatus[];
    readonly engine?: EngineName;
    readonly limit?: number;
    readonly cursor?: string;
  }): Promise<{ readonly items: readonly Task[]; readonly nextCursor: string | null }>;
  /** Lists recorded executions, newest first. */
  listExecutions(query: {
    readonly taskId?: number;
    readonly status?: ExecutionStatus | readonly ExecutionStatus[];
    readonly limit?: number;
  }): Promise<{ readonly items: readonly Execution[] }>;
  /** Records a run report (idempotent on task + engine + external run id, forward-only status). */
  recordExecution(input: ExecutionInput): Promise<unknown>;
}

/**
 * Clock and timers of the poller (inject fakes in tests).
 *
 * @example
 * ```ts
 * const timers: RunPollerTimers = { now: () => Date.now(), setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
 * ```
 */
export type RunPollerTimers = PollerClock;

/**
 * Configuration of {@link createRunPoller}.
 *
 * @example
 * ```ts
 * const config: RunPollerConfig = { portal, engines: { dolphin: engine }, intervalMs: 60_000, jitter: 0.2 };
 * ```
 */
export interface RunPollerConfig {
  /** Where tasks and executions are read and run reports recorded. */
  readonly portal: RunPollerPortal;
  /** Batch engines by the name stored on tasks (`dolphin`, `local`). */
  readonly engines: Readonly<Partial<Record<EngineName, BatchEngine>>>;
  /** Pause between the end of one pass and the start of the next, in ms (default 30 000). */
  readonly intervalMs?: number;
  /** Random spread of the pause as a fraction of it, 0–1 (default 0.1): 0.1 means ±10 %. */
  readonly jitter?: number;
  /** How far back a pass looks for runs the portal has not seen (scheduled runs), in ms (default 24 h). */
  readonly lookbackMs?: number;
  /** How many recent runs per task a pass reads (default 10). */
  readonly runsPerTask?: number;
  /** Clock and timers (default: the real ones). */
  readonly timers?: RunPollerTimers;
  /** Random source in [0, 1) for the jitter (default `Math.random`). */
  readonly random?: () => number;
  /** Called for every failure inside a pass (the pass continues with the next task). */
  readonly onError?: (
    error: unknown,
    context: { readonly engine: string; readonly taskId?: number },
  ) => void;
}

/**
 * What one pass did.
 *
 * @example
 * ```ts
 * const summary: RunPollSummary = await poller.pollNow();
 * console.log(summary.recorded);
 * ```
 */
export interface RunPollSummary {
  /** Tasks looked at. */
  readonly tasks: number;
  /** Engine runs read (in-flight checks plus recent runs). */
  readonly runsRead: number;
  /** Reports passed to `recordExecution`. */
  readonly recorded: number;
  /** Failures reported to `onError`. */
  readonly errors: number;
}

/**
 * A reconciliation poller; see {@link createRunPoller}.
 *
 * @example
 * ```ts
 * const poller: RunPoller = createRunPoller({ portal, engines: { dolphin: engine } });
 * poller.start();
 * ```
 */
export interface RunPoller {
  /** Starts polling (first pass right away). Calling it twice does nothing. */
  start(): void;
  /** Stops polling and waits for a pass in progress to finish. */
  stop(): Promise<void>;
  /** Runs one pass now (or joins the pass in progress) and resolves with its summary. */
  pollNow(): Promise<RunPollSummary>;
  /** Whether the poller is started. */
  readonly running: boolean;
}

const IN_FLIGHT: readonly ExecutionStatus[] = ['SUBMITTED', 'RUNNING'];
const TERMINAL: readonly ExecutionStatus[] = ['SUCCESS', 'FAILED', 'KILLED'];

function toInput(task: Task, engine: EngineName, run: EngineRun): ExecutionInput {
  return {
    taskId: task.id,
    engine,
    externalRunId: run.externalRunId,
    status: run.status,
    startTime: run.startTime,
    endTime: run.endTime,
    rowsOutput: run.rowsOutput,
    message: run.message,
  };
}

function sameAsRecorded(run: EngineRun, known: Execution | undefined): boolean {
  if (!known) return false;
  if (TERMINAL.includes(known.status)) return true; // forward-only: nothing left to learn
  return (
    known.status === run.status &&
    (known.startTime?.getTime() ?? null) === (run.startTime?.getTime() ?? null)
  );
}

/**
 * Creates the reconciliation poller: for every published task it asks the task's batch engine
 * about the runs the portal has in flight (`getRun`) and about recent runs it has not seen yet —
 * scheduled runs, or runs whose callback was lost (`listRuns`) — and feeds the answers to
 * `recordExecution`, which is idempotent and forward-only. Callbacks stay the fast path; the poller
 * makes sure a lost callback loses nothing.
 *
 * Passes never overlap, errors go to `onError` (never unhandled rejections), and the pause between
 * passes is `intervalMs` ± `jitter`.
 *
 * @param config - portal, engines, interval, jitter, timers
 * @returns the poller (call `start()`; `stop()` on shutdown)
 * @example
 * ```ts
 * const poller = createRunPoller({ portal, engines: { dolphin: engine }, intervalMs: 60_000 });
 * poller.start();
 * // … on shutdown:
 * await poller.stop();
 * ```
 */
export function createRunPoller(config: RunPollerConfig): RunPoller {
  const timers = config.timers ?? REAL_POLLER_CLOCK;
  const random = config.random ?? Math.random;
  const interval = config.intervalMs ?? 30_000;
  const jitter = config.jitter ?? 0.1;
  const lookback = config.lookbackMs ?? 24 * 3600_000;
  const perTask = config.runsPerTask ?? 10;
  const report = (error: unknown, context: { engine: string; taskId?: number }) => {
    try {
      config.onError?.(error, context);
    } catch {
      // a failing error hook must not break the loop
    }
  };

  async function pollTask(
    engineName: EngineName,
    engine: BatchEngine,
    task: Task,
    counts: { runsRead: number; recorded: number; errors: number },
  ): Promise<void> {
    const known = new Map<string, Execution>();
    const recent = await config.portal.listExecutions({ taskId: task.id, limit: perTask * 2 });
    for (const e of recent.items) if (e.engine === engineName) known.set(e.externalRunId, e);
    const inflight = await config.portal.listExecutions({
      taskId: task.id,
      status: IN_FLIGHT,
      limit: 50,
    });
    for (const e of inflight.items) if (e.engine === engineName) known.set(e.externalRunId, e);

    const seen = new Set<string>();
    const record = async (run: EngineRun) => {
      if (seen.has(run.externalRunId)) return;
      seen.add(run.externalRunId);
      if (sameAsRecorded(run, known.get(run.externalRunId))) return;
      await config.portal.recordExecution(toInput(task, engineName, run));
      counts.recorded += 1;
    };

    const runs = await engine.listRuns(task, {
      limit: perTask,
      since: new Date(timers.now() - lookback),
    });
    counts.runsRead += runs.length;
    for (const run of runs) await record(run);

    for (const e of inflight.items) {
      if (e.engine !== engineName || seen.has(e.externalRunId)) continue;
      try {
        const run = await engine.getRun(task, e.externalRunId);
        counts.runsRead += 1;
        if (run) await record(run);
      } catch (err) {
        counts.errors += 1;
        report(err, { engine: engineName, taskId: task.id });
      }
    }
  }

  async function pass(): Promise<RunPollSummary> {
    const counts = { tasks: 0, runsRead: 0, recorded: 0, errors: 0 };
    for (const [name, engine] of Object.entries(config.engines) as Array<
      [EngineName, BatchEngine | undefined]
    >) {
      if (!engine) continue;
      let cursor: string | undefined;
      do {
        let page: { readonly items: readonly Task[]; readonly nextCursor: string | null };
        try {
          page = await config.portal.listTasks({
            engine: name,
            limit: 200,
            ...(cursor ? { cursor } : {}),
          });
        } catch (err) {
          counts.errors += 1;
          report(err, { engine: name });
          break;
        }
        for (const task of page.items) {
          if (task.engineRef === null || task.taskType !== 'batch') continue;
          counts.tasks += 1;
          try {
            await pollTask(name, engine, task, counts);
          } catch (err) {
            counts.errors += 1;
            report(err, { engine: name, taskId: task.id });
          }
        }
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    }
    return counts;
  }

  return createPollLoop<RunPollSummary>({
    pass,
    onFailure: (err) => {
      report(err, { engine: '*' });
      return { tasks: 0, runsRead: 0, recorded: 0, errors: 1 };
    },
    intervalMs: interval,
    jitter,
    clock: timers,
    random,
  });
}
