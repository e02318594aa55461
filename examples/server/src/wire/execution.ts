import {
  type EngineLog,
  EngineNameSchema,
  type Execution,
  type ExecutionInput,
  type ExecutionStats,
  type ExecutionStatus,
  ExecutionStatusSchema,
} from '@dataportal/sdk';
import { z } from 'zod';
import { iso, PageQuerySchema, pageSchema, WireTimestampSchema } from './common';

/** An execution (`task_execution_log` row) on the wire. */
export const ExecutionWireSchema = z
  .object({
    id: z.number().int(),
    task_id: z.number().int(),
    engine: EngineNameSchema,
    external_run_id: z.string(),
    status: ExecutionStatusSchema,
    start_time: WireTimestampSchema.nullable(),
    end_time: WireTimestampSchema.nullable(),
    duration_ms: z.number().int().nullable(),
    rows_output: z.number().int().nullable(),
    message: z.string().nullable(),
    log_ref: z.string().nullable(),
    created_at: WireTimestampSchema,
    updated_at: WireTimestampSchema,
  })
  .meta({ id: 'Execution' });
/** An execution on the wire. */
export type ExecutionWire = z.infer<typeof ExecutionWireSchema>;

/** A page of executions, newest first. */
export const ExecutionPageSchema = pageSchema(ExecutionWireSchema);

/**
 * Maps an execution to the wire.
 *
 * @param e - the sdk execution
 * @returns its snake_case form
 * @example
 * ```ts
 * reply.send(executionToWire(await portal.getExecution(7)));
 * ```
 */
export function executionToWire(e: Execution): ExecutionWire {
  return {
    id: e.id,
    task_id: e.taskId,
    engine: e.engine,
    external_run_id: e.externalRunId,
    status: e.status,
    start_time: iso(e.startTime),
    end_time: iso(e.endTime),
    duration_ms: e.durationMs,
    rows_output: e.rowsOutput,
    message: e.message,
    log_ref: e.logRef,
    created_at: e.createdAt.toISOString(),
    updated_at: e.updatedAt.toISOString(),
  };
}

const STATUS_WORDS: Readonly<Record<string, ExecutionStatus>> = {
  SUBMITTED: 'SUBMITTED',
  QUEUED: 'SUBMITTED',
  PENDING: 'SUBMITTED',
  RUNNING: 'RUNNING',
  STARTED: 'RUNNING',
  SUCCESS: 'SUCCESS',
  SUCCEEDED: 'SUCCESS',
  FINISHED: 'SUCCESS',
  DONE: 'SUCCESS',
  FAILED: 'FAILED',
  FAILURE: 'FAILED',
  ERROR: 'FAILED',
  KILLED: 'KILLED',
  KILL: 'KILLED',
  STOPPED: 'KILLED',
  STOP: 'KILLED',
  CANCELLED: 'KILLED',
  CANCELED: 'KILLED',
};

/** A run status in a callback: the portal's words, case-insensitive, plus common synonyms. */
export const CallbackStatusSchema = z
  .string()
  .min(1)
  .max(32)
  .transform((s, ctx) => {
    const status = STATUS_WORDS[s.trim().toUpperCase()];
    if (!status) {
      ctx.addIssue({
        code: 'custom',
        message: `unknown status ${s.slice(0, 32)}; use SUBMITTED, RUNNING, SUCCESS, FAILED or KILLED`,
      });
      return z.NEVER;
    }
    return status;
  })
  .describe('SUBMITTED, RUNNING, SUCCESS, FAILED or KILLED (case-insensitive; synonyms accepted)');

/** A time in a callback: ISO-8601, `YYYY-MM-DD HH:mm:ss`, or epoch seconds/milliseconds. */
export const CallbackTimeSchema = z
  .union([z.number().int().min(0).max(1e14), z.string().min(1).max(64)])
  .transform((v, ctx) => {
    let d: Date;
    if (typeof v === 'number') d = new Date(v < 1e11 ? v * 1000 : v);
    else if (/^\d{9,14}$/.test(v.trim())) {
      const n = Number(v.trim());
      d = new Date(n < 1e11 ? n * 1000 : n);
    } else d = new Date(/^\d{4}-\d{2}-\d{2} \d/.test(v) ? v.trim().replace(' ', 'T') : v.trim());
    if (Number.isNaN(d.getTime())) {
      ctx.addIssue({ code: 'custom', message: `not a timestamp: ${String(v).slice(0, 40)}` });
      return z.NEVER;
    }
    return d;
  });

/** `POST /api/v1/tasks/callback` body: `{task_id, status, start_time, end_time, rows_output}`. */
export const CallbackBodySchema = z
  .object({
    task_id: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    status: CallbackStatusSchema,
    start_time: CallbackTimeSchema.nullish(),
    end_time: CallbackTimeSchema.nullish(),
    rows_output: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullish(),
    run_id: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .describe(
        "the engine's run id; when absent the report attaches to the task's run in flight, or " +
          'to the run that started at `start_time`',
      ),
    engine: EngineNameSchema.optional().describe("defaults to the task's engine"),
    message: z.string().max(8000).nullish(),
    log_ref: z.string().max(1000).nullish(),
  })
  .meta({ id: 'CallbackRequest' });
/** A parsed callback body. */
export type CallbackBody = z.output<typeof CallbackBodySchema>;

/**
 * Maps a callback to the sdk's run report, given the run it belongs to.
 *
 * @param body - the parsed callback
 * @param run - engine and external run id resolved by the route
 * @returns the sdk execution input
 * @example
 * ```ts
 * await portal.recordExecution(callbackToExecution(body, { engine: 'local', externalRunId: 'r1' }));
 * ```
 */
export function callbackToExecution(
  body: CallbackBody,
  run: { readonly engine: Execution['engine']; readonly externalRunId: string },
): ExecutionInput {
  return {
    taskId: body.task_id,
    engine: run.engine,
    externalRunId: run.externalRunId,
    status: body.status,
    ...(body.start_time !== undefined && { startTime: body.start_time }),
    ...(body.end_time !== undefined && { endTime: body.end_time }),
    ...(body.rows_output !== undefined && { rowsOutput: body.rows_output }),
    ...(body.message !== undefined && { message: body.message }),
    ...(body.log_ref !== undefined && { logRef: body.log_ref }),
  };
}

/** `GET /api/v1/executions` query. */
export const ExecutionListQuerySchema = PageQuerySchema.extend({
  task_id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  status: ExecutionStatusSchema.optional(),
  engine: EngineNameSchema.optional(),
  from: CallbackTimeSchema.optional().describe('recorded at or after'),
  to: CallbackTimeSchema.optional().describe('recorded before'),
});

/** `GET /api/v1/executions/{id}/log` query. */
export const LogQuerySchema = z.object({
  offset: z.coerce.number().int().min(0).max(10_000_000).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
});

/** A page of a run's log on the wire. */
export const LogWireSchema = z
  .object({
    execution_id: z.number().int(),
    text: z.string(),
    next_offset: z.number().int(),
    complete: z.boolean(),
  })
  .meta({ id: 'ExecutionLog' });

/**
 * Maps a log page to the wire.
 *
 * @param executionId - the execution
 * @param log - the engine's log page
 * @returns its snake_case form
 * @example
 * ```ts
 * logToWire(7, await portal.getExecutionLog(7));
 * ```
 */
export function logToWire(executionId: number, log: EngineLog): z.infer<typeof LogWireSchema> {
  return {
    execution_id: executionId,
    text: log.text,
    next_offset: log.nextOffset,
    complete: log.complete,
  };
}

/** Per-task run statistics on the wire. */
export const StatsWireSchema = z
  .object({
    task_id: z.number().int(),
    runs: z.number().int(),
    successes: z.number().int(),
    failures: z.number().int(),
    success_rate: z.number().nullable(),
    p50_duration_ms: z.number().nullable(),
    p95_duration_ms: z.number().nullable(),
    last_success_at: WireTimestampSchema.nullable(),
    avg_rows_output: z.number().nullable(),
  })
  .meta({ id: 'ExecutionStats' });

/** `GET …/stats` query. */
export const StatsQuerySchema = z.object({
  since: CallbackTimeSchema.optional().describe('only runs recorded at or after'),
  window: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .optional()
    .describe('max runs (default 1000)'),
});

/**
 * Maps run statistics to the wire.
 *
 * @param s - the sdk statistics
 * @returns their snake_case form
 * @example
 * ```ts
 * statsToWire(await portal.executionStats('dwd_orders'));
 * ```
 */
export function statsToWire(s: ExecutionStats): z.infer<typeof StatsWireSchema> {
  return {
    task_id: s.taskId,
    runs: s.runs,
    successes: s.successes,
    failures: s.failures,
    success_rate: s.successRate,
    p50_duration_ms: s.p50DurationMs,
    p95_duration_ms: s.p95DurationMs,
    last_success_at: iso(s.lastSuccessAt),
    avg_rows_output: s.avgRowsOutput,
  };
}
