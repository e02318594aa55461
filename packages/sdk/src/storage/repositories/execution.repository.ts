import type { Execution } from '../../models/execution.js';
import type { TaskExecutionLogRow } from '../database.js';
import { toDate, toNum } from './json.js';

/** @internal */
export function executionFromRow(r: TaskExecutionLogRow): Execution {
  return {
    id: Number(r.id),
    taskId: Number(r.task_id),
    engine: r.engine as Execution['engine'],
    externalRunId: r.external_run_id,
    status: r.status as Execution['status'],
    startTime: toDate(r.start_time),
    endTime: toDate(r.end_time),
    durationMs: toNum(r.duration_ms),
    rowsOutput: toNum(r.rows_output),
    message: r.message,
    logRef: r.log_ref,
    createdAt: toDate(r.created_at) ?? new Date(0),
    updatedAt: toDate(r.updated_at) ?? new Date(0),
  };
}
