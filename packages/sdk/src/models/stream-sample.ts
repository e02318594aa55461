import type { StreamState } from '../engine/stream-engine.js';
import type { Execution } from './execution.js';

/**
 * One status read of a started stream job, as the stream poller records it: the series the web
 * page draws as a throughput sparkline.
 *
 * @example
 * ```ts
 * const s: StreamSample = { taskId: 3, externalRunId: '7', sampledAt: new Date(), state: 'running', throughput: 50, uptimeMs: 60_000 };
 * ```
 */
export interface StreamSample {
  /** The stream task. */
  readonly taskId: number;
  /** The engine's job instance id at the time. */
  readonly externalRunId: string;
  /** When the status was read. */
  readonly sampledAt: Date;
  /** The job's state. */
  readonly state: StreamState;
  /** Records per second, or null when the engine could not tell. */
  readonly throughput: number | null;
  /** Uptime in milliseconds, or null before the job runs. */
  readonly uptimeMs: number | null;
}

/**
 * A stream task's recent history: its samples and the runs that changed in the window.
 *
 * @example
 * ```ts
 * const h: StreamHistory = await portal.streamHistory('orders_agg', { windowMs: 3_600_000 });
 * console.log(h.samples.map((s) => s.throughput));
 * ```
 */
export interface StreamHistory {
  /** The stream task. */
  readonly taskId: number;
  /** Start of the window. */
  readonly since: Date;
  /** Status samples in the window, oldest first. */
  readonly samples: readonly StreamSample[];
  /**
   * Runs recorded or changed in the window, oldest first: state changes (RUNNING, FAILED with
   * the engine's exception text, KILLED) and restarts (a new run whose message names the
   * savepoint it started from).
   */
  readonly changes: readonly Execution[];
}
