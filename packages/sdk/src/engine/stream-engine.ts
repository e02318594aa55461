import type { EngineRef, Task } from '../models/task.js';
import type { EngineCallOptions } from './batch-engine.js';

/** What a stream engine can do beyond the required methods. */
export interface StreamEngineCapabilities {
  /** Stop can take a savepoint. */
  readonly savepoint: boolean;
  /** A job can be restarted in place. */
  readonly restart: boolean;
  /** The engine can create or update the task's SQL itself ({@link StreamEngine.publish}). */
  readonly publish: boolean;
}

/** Portal states of a stream job. */
export type StreamState = 'running' | 'starting' | 'finished' | 'stopped' | 'failed' | 'unknown';

/** A stream job's status as the portal shows it. */
export interface StreamStatus {
  /** Mapped state. */
  readonly state: StreamState;
  /** The engine's own state word (e.g. Dinky's `RUNNING`, `RECONNECTING`). */
  readonly engineState: string | null;
  /** The engine's id of the current job instance. */
  readonly externalRunId: string | null;
  /** When the job started, in absolute time. */
  readonly startedAt: Date | null;
  /** Milliseconds since start (until end for finished jobs), computed by the portal. */
  readonly uptimeMs: number | null;
  /** Records per second, or null when unknown. */
  readonly throughput: number | null;
  /** Last error message the engine reported. */
  readonly lastError: string | null;
}

/** The result of starting a stream job. */
export interface StreamStartResult {
  /** The engine's id of the job instance. */
  readonly externalRunId: string;
  /** Engine reference to store on the task (with the job id). */
  readonly engineRef: EngineRef;
  /** The savepoint the job started from, when the engine knows it (restarts). */
  readonly savepointPath?: string | null;
}

/**
 * The contract a stream engine (Dinky) implements.
 */
export interface StreamEngine {
  /** Engine name as stored on tasks and executions. */
  readonly name: 'dinky';
  /** What the engine supports. */
  readonly capabilities: StreamEngineCapabilities;
  /** Creates or updates the engine's task holding the portal task's SQL. */
  publish?(task: Task, options?: EngineCallOptions): Promise<EngineRef>;
  /** Starts the job; refuses while a job of the task is running. */
  start(task: Task, options?: EngineCallOptions): Promise<StreamStartResult>;
  /** Stops the job, optionally with a savepoint. */
  stop(
    task: Task,
    stop?: { readonly savepoint?: boolean },
    options?: EngineCallOptions,
  ): Promise<StreamStatus>;
  /** Restarts the job (when `capabilities.restart`). */
  restart?(task: Task, options?: EngineCallOptions): Promise<StreamStartResult>;
  /** Reads the job's current status. */
  status(task: Task, options?: EngineCallOptions): Promise<StreamStatus>;
  /** Checks the engine is reachable (for readiness probes). */
  ping?(options?: EngineCallOptions): Promise<void>;
  /** Releases timers and connections. */
  close?(): Promise<void>;
}
