import type { StreamHistory, StreamStatus } from '@dataportal/sdk';
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

const WINDOW_UNITS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `GET /api/v1/tasks/stream/status?task_id=&history=1h` query. */
export const StreamStatusQuerySchema = z.object({
  task_id: TaskIdSchema,
  history: z
    .string()
    .regex(/^[1-9]\d{0,6}[smhd]$/, 'a window such as 30m, 1h, 24h or 7d')
    .transform((v) => Number(v.slice(0, -1)) * WINDOW_UNITS[v.slice(-1) as 's' | 'm' | 'h' | 'd'])
    .refine((ms) => ms <= 7 * 86_400_000, 'at most 7d (samples are kept a week)')
    .optional()
    .describe(
      'also return the status history of this window: throughput/uptime samples and run changes',
    ),
});

/** One status sample on the wire. */
export const StreamSampleWireSchema = z
  .object({
    at: WireTimestampSchema,
    status: z.enum(['RUNNING', 'STARTING', 'FINISHED', 'STOPPED', 'FAILED', 'UNKNOWN']),
    throughput: z.number().nullable().describe('records per second, null when unknown'),
    uptime_ms: z.number().nullable(),
    external_run_id: z.string(),
  })
  .meta({ id: 'StreamSample' });

/** A run change in the history window on the wire. */
export const StreamChangeWireSchema = z
  .object({
    external_run_id: z.string(),
    status: z.string().describe('SUBMITTED, RUNNING, SUCCESS, FAILED or KILLED'),
    start_time: WireTimestampSchema.nullable(),
    end_time: WireTimestampSchema.nullable(),
    updated_at: WireTimestampSchema,
    message: z
      .string()
      .nullable()
      .describe("Flink's exception for a failure, the savepoint of a restart"),
  })
  .meta({ id: 'StreamChange' });

/** The `history` part of the stream status, present when `?history=` is given. */
export const StreamHistoryWireSchema = z
  .object({
    since: WireTimestampSchema,
    samples: z.array(StreamSampleWireSchema).describe('oldest first, for a sparkline'),
    changes: z.array(StreamChangeWireSchema).describe('runs recorded or changed in the window'),
  })
  .meta({ id: 'StreamHistory' });

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
    history: StreamHistoryWireSchema.optional().describe('only with ?history='),
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

/**
 * Maps a stream history to the wire.
 *
 * @param h - the sdk history
 * @returns its snake_case form
 * @example
 * ```ts
 * streamHistoryToWire(await portal.streamHistory(3, { windowMs: 3_600_000 })).samples.length;
 * ```
 */
export function streamHistoryToWire(h: StreamHistory): z.infer<typeof StreamHistoryWireSchema> {
  return {
    since: h.since.toISOString(),
    samples: h.samples.map((s) => ({
      at: s.sampledAt.toISOString(),
      status: s.state.toUpperCase() as StreamStatusWire['status'],
      throughput: s.throughput,
      uptime_ms: s.uptimeMs,
      external_run_id: s.externalRunId,
    })),
    changes: h.changes.map((e) => ({
      external_run_id: e.externalRunId,
      status: e.status,
      start_time: iso(e.startTime),
      end_time: iso(e.endTime),
      updated_at: e.updatedAt.toISOString(),
      message: e.message,
    })),
  };
}
