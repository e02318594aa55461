import type { StreamState } from '../engine/stream-engine.js';
import { SdkError } from '../errors.js';
import type { StreamHistory, StreamSample } from '../models/stream-sample.js';
import { executionFromRow } from '../storage/repositories/execution.repository.js';
import { type EntityRef, loadTask, type PortalContext } from './context.js';

/** How long samples are kept: a week of a 15 s poll is ~40k rows per task. */
export const STREAM_SAMPLE_RETENTION_MS = 7 * 24 * 3_600_000;
/** The most samples one history answer carries (the newest ones). */
const MAX_SAMPLES = 5000;
const MAX_WINDOW_MS = STREAM_SAMPLE_RETENTION_MS;

/** What the stream poller records per status read. */
export interface StreamSampleInput {
  /** The stream task. */
  readonly taskId: number;
  /** The job instance id. */
  readonly externalRunId: string;
  /** The job's state. */
  readonly state: StreamState;
  /** Records per second, or null. */
  readonly throughput: number | null;
  /** Uptime in ms, or null. */
  readonly uptimeMs: number | null;
  /** When it was read (defaults to now). */
  readonly sampledAt?: Date;
}

/** Stream status samples and the history the API returns. */
export class StreamHistoryService {
  readonly #ctx: PortalContext;

  /** @internal */
  constructor(ctx: PortalContext) {
    this.#ctx = ctx;
  }

  /**
   * Stores one status sample of a stream job and drops the task's samples older than
   * {@link STREAM_SAMPLE_RETENTION_MS}.
   *
   * @param input - task, run, state, throughput, uptime
   */
  async recordStreamSample(input: StreamSampleInput): Promise<void> {
    const at = input.sampledAt?.getTime() ?? this.#ctx.now();
    const finite = (n: number | null) => (n !== null && Number.isFinite(n) ? n : null);
    await this.#ctx.db
      .insertInto('stream_sample')
      .values({
        task_id: input.taskId,
        external_run_id: input.externalRunId.slice(0, 128),
        sampled_at: at,
        state: input.state,
        throughput: finite(input.throughput),
        uptime_ms: finite(input.uptimeMs),
      })
      .execute();
    await this.#ctx.db
      .deleteFrom('stream_sample')
      .where('task_id', '=', input.taskId)
      .where('sampled_at', '<', at - STREAM_SAMPLE_RETENTION_MS)
      .execute();
  }

  /**
   * A stream task's history over the last `windowMs`: the poller's samples (oldest first, at most
   * the newest 5000) and the runs that were recorded or changed in the window.
   *
   * @param ref - task id or name
   * @param options - `windowMs` (default one hour, at most seven days)
   * @returns samples and run changes
   * @throws {@link SdkError} `NOT_FOUND` for an unknown task, `VALIDATION_FAILED` for a bad window
   */
  async streamHistory(
    ref: EntityRef,
    options: { readonly windowMs?: number } = {},
  ): Promise<StreamHistory> {
    const windowMs = options.windowMs ?? 3_600_000;
    if (!Number.isFinite(windowMs) || windowMs <= 0 || windowMs > MAX_WINDOW_MS) {
      throw new SdkError(
        'VALIDATION_FAILED',
        `sdk: stream history window must be between 1 ms and ${MAX_WINDOW_MS} ms`,
        { details: { field: 'windowMs', value: windowMs } },
      );
    }
    const task = await loadTask(this.#ctx.db, ref);
    const since = this.#ctx.now() - windowMs;
    const rows = await this.#ctx.db
      .selectFrom('stream_sample')
      .selectAll()
      .where('task_id', '=', task.id)
      .where('sampled_at', '>=', since)
      .orderBy('sampled_at', 'desc')
      .orderBy('id', 'desc')
      .limit(MAX_SAMPLES)
      .execute();
    const samples: StreamSample[] = rows.reverse().map((r) => ({
      taskId: Number(r.task_id),
      externalRunId: r.external_run_id,
      sampledAt: new Date(Number(r.sampled_at)),
      state: r.state as StreamState,
      throughput: r.throughput === null ? null : Number(r.throughput),
      uptimeMs: r.uptime_ms === null ? null : Number(r.uptime_ms),
    }));
    const runs = await this.#ctx.db
      .selectFrom('task_execution_log')
      .selectAll()
      .where('task_id', '=', task.id)
      .where('updated_at', '>=', since)
      .orderBy('id', 'asc')
      .limit(1000)
      .execute();
    return {
      taskId: task.id,
      since: new Date(since),
      samples,
      changes: runs.map(executionFromRow),
    };
  }
}
