import type { ExecutionStatus } from '../models/execution.js';
import type { EngineRef, Task } from '../models/task.js';

/** What a batch engine can do beyond the required methods. */
export interface BatchEngineCapabilities {
  /** The engine runs tasks on their cron schedule itself. */
  readonly schedule: boolean;
  /** Tasks connected by lineage can be published together as one unit (workflow). */
  readonly dagSync: boolean;
  /** The engine keeps run logs that {@link BatchEngine.getLog} can read. */
  readonly logs: boolean;
  /** A running run can be stopped. */
  readonly stop: boolean;
}

/** A dependency between two tasks of one publish unit: `upstream` must finish before `downstream`. */
export interface TaskDependency {
  /** Portal id of the upstream task. */
  readonly upstream: number;
  /** Portal id of the downstream task. */
  readonly downstream: number;
}

/**
 * A dependency of a task in the unit on a task published in another unit (for DolphinScheduler a
 * DEPENDENT node on that workflow's task).
 */
export interface ExternalDependency {
  /** Portal id of the task inside this unit that waits. */
  readonly task: number;
  /** The task it waits for, with the engine reference it was published with. */
  readonly dependsOn: Task;
}

/** What to publish: one or more tasks that the engine deploys as one unit. */
export interface PublishRequest {
  /**
   * Name of the unit (DolphinScheduler: the workflow name). Stable across re-publishes so the
   * engine updates rather than duplicates.
   */
  readonly unitName: string;
  /** Tasks of the unit, each with its current `engineRef` (null when never published). */
  readonly tasks: readonly Task[];
  /** Order between tasks of the unit, derived from lineage. */
  readonly dependencies: readonly TaskDependency[];
  /** Dependencies on tasks of other units. */
  readonly external: readonly ExternalDependency[];
  /** 5-field cron of the unit, or null for no schedule. */
  readonly schedule: string | null;
  /** Bring the unit (and its schedule) online after publishing. */
  readonly online: boolean;
}

/** The result of a publish: the reference to store on each task. */
export interface PublishResult {
  /** Engine reference per portal task id. */
  readonly refs: ReadonlyMap<number, EngineRef>;
  /** Whether the unit is online after the call. */
  readonly online: boolean;
}

/** Options for one engine call. */
export interface EngineCallOptions {
  /** Aborts the call. */
  readonly signal?: AbortSignal;
}

/** A run as the engine reports it, already mapped to portal statuses. */
export interface EngineRun {
  /** The engine's id of the run (e.g. the workflow instance id). */
  readonly externalRunId: string;
  /** Portal status. */
  readonly status: ExecutionStatus;
  /** When it started, if it did. */
  readonly startTime: Date | null;
  /** When it ended, if it did. */
  readonly endTime: Date | null;
  /** Rows written, when the engine knows. */
  readonly rowsOutput: number | null;
  /** Engine message (error text for failures). */
  readonly message: string | null;
}

/** A page of a run's log. */
export interface EngineLog {
  /** The log text of this page. */
  readonly text: string;
  /** Offset (line number) to continue from. */
  readonly nextOffset: number;
  /** Whether the end of the log was reached. */
  readonly complete: boolean;
}

/**
 * The contract a batch engine (DolphinScheduler, the local engine) implements.
 * Optional capabilities are optional methods or flags; a missing capability never surfaces as a run-time throw.
 */
export interface BatchEngine {
  /** Engine name as stored on tasks and executions. */
  readonly name: 'dolphin' | 'local';
  /** What the engine supports. */
  readonly capabilities: BatchEngineCapabilities;
  /**
   * Creates or updates the unit on the engine (idempotent, keyed by the tasks' engine
   * references and the unit name) and brings it online when asked.
   */
  publish(request: PublishRequest, options?: EngineCallOptions): Promise<PublishResult>;
  /** Takes a published task's unit (and its schedule) online or offline. */
  setOnline(task: Task, online: boolean, options?: EngineCallOptions): Promise<EngineRef>;
  /** Starts a run of the task now; returns the run's external id. */
  trigger(task: Task, options?: EngineCallOptions): Promise<{ externalRunId: string }>;
  /** Reads one run of the task, or null when the engine does not know it. */
  getRun(task: Task, externalRunId: string, options?: EngineCallOptions): Promise<EngineRun | null>;
  /** Lists recent runs of the task, newest first. */
  listRuns(
    task: Task,
    query?: { readonly limit?: number; readonly since?: Date },
    options?: EngineCallOptions,
  ): Promise<EngineRun[]>;
  /** Reads a page of a run's log. */
  getLog(
    task: Task,
    externalRunId: string,
    page?: { readonly offset?: number; readonly limit?: number },
  ): Promise<EngineLog>;
  /**
   * Stops a running run (when `capabilities.stop`). May resolve to the run's state read back
   * afterwards; a run that already ended is not an error (its final state comes back).
   */
  stopRun?(
    task: Task,
    externalRunId: string,
    options?: EngineCallOptions,
  ): Promise<EngineRun | undefined>;
  /** Removes the task's unit from the engine. */
  unpublish?(task: Task, options?: EngineCallOptions): Promise<void>;
  /** Checks the engine is reachable (for readiness probes). */
  ping?(options?: EngineCallOptions): Promise<void>;
  /** Releases timers and connections. */
  close?(): Promise<void>;
}
