import { z } from 'zod';
import { TimestampSchema } from './common.js';
import { EngineNameSchema } from './task.js';

/**
 * Status of a run. Moves forward only: `SUBMITTED` → `RUNNING` → a terminal status
 * (`SUCCESS`, `FAILED`, `KILLED`).
 */
export const ExecutionStatusSchema = z.enum([
  'SUBMITTED',
  'RUNNING',
  'SUCCESS',
  'FAILED',
  'KILLED',
]);
/** An execution status, see {@link ExecutionStatusSchema}. */
export type ExecutionStatus = z.infer<typeof ExecutionStatusSchema>;

/** Terminal statuses: once recorded, a run never leaves them. */
export const TERMINAL_STATUSES: readonly ExecutionStatus[] = ['SUCCESS', 'FAILED', 'KILLED'];

/**
 * The rank of a status in the forward-only order (higher is later).
 *
 * @param status - an execution status
 * @returns 0 for SUBMITTED, 1 for RUNNING, 2 for terminal statuses
 * @example
 * ```ts
 * statusRank('RUNNING') < statusRank('SUCCESS'); // true
 * ```
 */
export function statusRank(status: ExecutionStatus): number {
  return status === 'SUBMITTED' ? 0 : status === 'RUNNING' ? 1 : 2;
}

/** A run report from an engine, a callback or the local engine. Idempotent on (task, engine, externalRunId). */
export const ExecutionInputSchema = z.object({
  taskId: z.number().int().positive(),
  engine: EngineNameSchema,
  /** The engine's id of the run (workflow instance id, job instance id…). */
  externalRunId: z.string().min(1).max(128),
  status: ExecutionStatusSchema,
  startTime: TimestampSchema.nullable().optional(),
  endTime: TimestampSchema.nullable().optional(),
  rowsOutput: z.number().int().min(0).nullable().optional(),
  message: z.string().max(8000).nullable().optional(),
  logRef: z.string().max(1000).nullable().optional(),
});
/** A run report, see {@link ExecutionInputSchema}. */
export type ExecutionInput = z.input<typeof ExecutionInputSchema>;

/** A stored execution (`task_execution_log`). */
export const ExecutionSchema = z.object({
  id: z.number().int(),
  taskId: z.number().int(),
  engine: EngineNameSchema,
  externalRunId: z.string(),
  status: ExecutionStatusSchema,
  startTime: z.date().nullable(),
  endTime: z.date().nullable(),
  /** Milliseconds between start and end, computed by the portal. */
  durationMs: z.number().int().nullable(),
  rowsOutput: z.number().int().nullable(),
  message: z.string().nullable(),
  logRef: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
/** A stored execution, see {@link ExecutionSchema}. */
export type Execution = z.infer<typeof ExecutionSchema>;

/** Per-task run statistics. */
export interface ExecutionStats {
  /** Task id. */
  readonly taskId: number;
  /** Number of runs considered. */
  readonly runs: number;
  /** Runs that ended in SUCCESS. */
  readonly successes: number;
  /** Runs that ended in FAILED or KILLED. */
  readonly failures: number;
  /** successes / finished runs, or null when none finished. */
  readonly successRate: number | null;
  /** Median duration of finished runs in ms. */
  readonly p50DurationMs: number | null;
  /** 95th percentile duration of finished runs in ms. */
  readonly p95DurationMs: number | null;
  /** End time of the last successful run. */
  readonly lastSuccessAt: Date | null;
  /** Average rows output of successful runs that reported rows. */
  readonly avgRowsOutput: number | null;
}
