import type { StreamStatus } from '@dataportal/sdk';
import { z } from 'zod';
import { iso, WireTimestampSchema } from './common';

const TaskIdSchema = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** `POST /api/v1/tasks/stream/start` body: `{task_id, engine}`. */
export const StreamStartBodySchema = z
  .object({
    task_id: TaskIdSchema,
    engine: z.literal('dinky').optional().describe('the stream engine; only dinky exists'),
  })
  .meta({ id: 'StreamStartRequest' });

/** `POST /api/v1/tasks/stream/stop` body: `{task_id, savepoint?}`. */
export const StreamStopBodySchema = z
  .object({
    task_id: TaskIdSchema,
    savepoint: z.boolean().optional().describe('take a savepoint before stopping'),
  })
  .meta({ id: 'StreamStopRequest' });

/** `POST /api/v1/tasks/stream/restart` body. */
export const StreamRestartBodySchema = z.object({ task_id: TaskIdSchema });

/** `GET /api/v1/tasks/stream/status?task_id=` query. */
export const StreamStatusQuerySchema = z.object({ task_id: TaskIdSchema });

/** A stream job's status on the wire: `{status, uptime: "5h 23m", throughput}` and details. */
export const StreamStatusWireSchema = z
  .object({
    task_id: z.number().int(),
    status: z
      .enum(['RUNNING', 'STARTING', 'FINISHED', 'STOPPED', 'FAILED', 'UNKNOWN'])
      .describe('the job state'),
    uptime: z.string().nullable().describe('human uptime such as "5h 23m"; null when not started'),
    throughput: z
      .number()
      .nullable()
      .describe(
        "records per second, as Flink reports it: the job's sources' `numRecordsOutPerSecond` " +
          'summed over every subtask (or the records between two status reads over the seconds ' +
          "between them; the sink's records in where Flink lists no source operator); null when " +
          'unknown',
      ),
    uptime_ms: z
      .number()
      .nullable()
      .describe('milliseconds since the job started (`uptime` in words); null when not started'),
    started_at: WireTimestampSchema.nullable(),
    engine_state: z.string().nullable().describe("the engine's own state word"),
    external_run_id: z.string().nullable(),
    last_error: z.string().nullable(),
  })
  .meta({ id: 'StreamStatus' });
/** A stream status on the wire. */
export type StreamStatusWire = z.infer<typeof StreamStatusWireSchema>;

/**
 * Formats a duration the way the contract shows uptime: `5h 23m`, `2d 1h 5m`, `42s`.
 *
 * @param ms - milliseconds
 * @returns the human form
 * @example
 * ```ts
 * formatUptime((5 * 60 + 23) * 60_000); // '5h 23m'
 * ```
 */
export function formatUptime(ms: number): string {
  const totalSeconds = Math.max(0, Math.floor(ms / 1000));
  if (totalSeconds < 60) return `${totalSeconds}s`;
  const minutes = Math.floor(totalSeconds / 60) % 60;
  const hours = Math.floor(totalSeconds / 3600) % 24;
  const days = Math.floor(totalSeconds / 86_400);
  if (days > 0) return `${days}d ${hours}h ${minutes}m`;
  if (hours > 0) return `${hours}h ${minutes}m`;
  return `${minutes}m`;
}

/**
 * Maps a stream status to the wire.
 *
 * @param taskId - the task
 * @param s - the sdk status
 * @returns its snake_case form
 * @example
 * ```ts
 * streamStatusToWire(3, await portal.streamStatus(3)); // { status: 'RUNNING', uptime: '5h 23m', … }
 * ```
 */
export function streamStatusToWire(taskId: number, s: StreamStatus): StreamStatusWire {
  return {
    task_id: taskId,
    status: s.state.toUpperCase() as StreamStatusWire['status'],
    uptime: s.uptimeMs === null ? null : formatUptime(s.uptimeMs),
    throughput: s.throughput,
    uptime_ms: s.uptimeMs,
    started_at: iso(s.startedAt),
    engine_state: s.engineState,
    external_run_id: s.externalRunId,
    last_error: s.lastError,
  };
}
