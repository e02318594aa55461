import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { BatchEngine, EngineLog } from '../engine/batch-engine.js';
import { SdkError } from '../errors.js';
import { isDeadlock, isUniqueViolation } from '../internal/db-errors.js';
import {
  type Execution,
  type ExecutionInput,
  ExecutionInputSchema,
  type ExecutionStats,
  type ExecutionStatus,
  statusRank,
  TERMINAL_STATUSES,
} from '../models/execution.js';
import type { EngineName } from '../models/task.js';
import type { Database } from '../storage/database.js';
import { executionFromRow } from '../storage/repositories/execution.repository.js';
import { toDate } from '../storage/repositories/json.js';
import {
  asArray,
  batchFor,
  cursorId,
  type EntityRef,
  type ExecutionChange,
  type ExecutionListener,
  engineError,
  LIMIT,
  loadTask,
  type Page,
  type PortalContext,
  pageOf,
  parse,
  storageError,
} from './context.js';

/** Filters for {@link RunService.listExecutions}. */
export interface ListExecutionsQuery {
  /** Only runs of this task. */
  readonly taskId?: number;
  /** Only runs with this status (or any of these statuses). */
  readonly status?: ExecutionStatus | readonly ExecutionStatus[];
  /** Only runs on this engine. */
  readonly engine?: EngineName;
  /** Only runs recorded at or after this time. */
  readonly from?: Date;
  /** Only runs recorded before this time. */
  readonly to?: Date;
  /** Page size (1–1000, default 100). Newest first. */
  readonly limit?: number;
  /** Cursor from a previous page. */
  readonly cursor?: string;
}

/** The outcome of {@link RunService.recordExecution}. */
export interface RecordExecutionResult {
  /** The stored execution after the call. */
  readonly execution: Execution;
  /** Whether this call created or changed the row (false for a duplicate or stale report). */
  readonly changed: boolean;
}

/**
 * Runs: the execution history of tasks (recorded idempotently and forward-only from triggers,
 * callbacks and pollers), statistics, and reading a run's state and log back from its engine.
 * Reached as `portal.runs`; every method is also on {@link PortalService}.
 */
export class RunService {
  readonly #ctx: PortalContext;

  /** @internal */
  constructor(ctx: PortalContext) {
    this.#ctx = ctx;
  }

  /**
   * Records a run report. Idempotent on (task, engine, external run id) and forward-only in
   * status: a late RUNNING never overwrites SUCCESS, a repeated terminal report changes
   * nothing, and missing details (times, rows) are filled from later reports.
   *
   * @param input - the report
   * @returns the stored execution and whether this call changed it
   * @throws {@link SdkError} `VALIDATION_FAILED`, `NOT_FOUND` (unknown task)
   */
  async recordExecution(input: ExecutionInput): Promise<RecordExecutionResult> {
    const data = parse(ExecutionInputSchema, 'execution', input);
    if (!this.#ctx.knownTasks.has(data.taskId)) {
      const task = await this.#ctx.db
        .selectFrom('data_task')
        .select('id')
        .where('id', '=', data.taskId)
        .executeTakeFirst();
      if (!task) throw new SdkError('NOT_FOUND', `sdk: task ${data.taskId} not found`);
      this.#ctx.knownTasks.add(data.taskId);
    }
    // Fast path: most reports are the first for their run, so try a plain insert; the unique
    // key on (task, engine, external run id) turns a duplicate into the merge path below.
    const now = this.#ctx.now();
    const start = data.startTime?.getTime() ?? null;
    const end = TERMINAL_STATUSES.includes(data.status) ? (data.endTime?.getTime() ?? null) : null;
    const row = {
      task_id: data.taskId,
      engine: data.engine,
      external_run_id: data.externalRunId,
      status: data.status,
      start_time: start,
      end_time: end,
      duration_ms: start !== null && end !== null ? Math.max(0, end - start) : null,
      rows_output: data.rowsOutput ?? null,
      message: data.message ?? null,
      log_ref: data.logRef ?? null,
      created_at: now,
      updated_at: now,
    };
    try {
      const r = await this.#ctx.db.insertInto('task_execution_log').values(row).executeTakeFirst();
      const execution = executionFromRow({ id: Number(r.insertId), ...row });
      this.#notify({ execution, previousStatus: null });
      return { execution, changed: true };
    } catch (err) {
      if (!isUniqueViolation(err)) throw storageError('recordExecution', err);
    }
    // Concurrent duplicates can still race inside the merge (deadlock on MySQL gap locks);
    // the retry then merges into the winner's row.
    for (let attempt = 0; ; attempt++) {
      let merged: { result: RecordExecutionResult; previous: ExecutionStatus | null };
      try {
        merged = await this.#ctx.db.transaction().execute((trx) => this.#mergeExecution(trx, data));
      } catch (err) {
        if (attempt < 3 && (isUniqueViolation(err) || isDeadlock(err))) continue;
        throw storageError('recordExecution', err);
      }
      if (merged.result.changed) {
        this.#notify({ execution: merged.result.execution, previousStatus: merged.previous });
      }
      return merged.result;
    }
  }

  /** Tells the listeners about a stored change; a failing listener never fails the report. */
  #notify(change: ExecutionChange): void {
    for (const listener of this.#ctx.executionListeners) {
      try {
        listener(change);
      } catch {
        // Listeners own their errors (the OpenLineage emitter reports its own); a report that
        // was stored must not be answered with an error.
      }
    }
  }

  /**
   * Subscribes to execution changes: called after every stored change of a run (a new run, a
   * status that moved, details filled in), with the status before. Duplicate or stale reports
   * that change nothing are not reported. Listeners run synchronously after the write; start
   * async work from them without awaiting it.
   *
   * @param listener - receives each change
   * @returns a function that unsubscribes
   * @example
   * ```ts
   * const off = portal.onExecutionChange(({ execution, previousStatus }) => {
   *   console.log(execution.id, previousStatus, '->', execution.status);
   * });
   * off();
   * ```
   */
  onExecutionChange(listener: ExecutionListener): () => void {
    this.#ctx.executionListeners.add(listener);
    return () => {
      this.#ctx.executionListeners.delete(listener);
    };
  }

  async #mergeExecution(
    trx: Kysely<Database>,
    data: z.output<typeof ExecutionInputSchema>,
  ): Promise<{ result: RecordExecutionResult; previous: ExecutionStatus | null }> {
    const now = this.#ctx.now();
    const existing = await trx
      .selectFrom('task_execution_log')
      .selectAll()
      .where('task_id', '=', data.taskId)
      .where('engine', '=', data.engine)
      .where('external_run_id', '=', data.externalRunId)
      .$if(this.#ctx.store.dialect === 'mysql', (q) => q.forUpdate())
      .executeTakeFirst();
    const start = data.startTime?.getTime() ?? null;
    const end = data.endTime?.getTime() ?? null;
    if (!existing) {
      const r = await trx
        .insertInto('task_execution_log')
        .values({
          task_id: data.taskId,
          engine: data.engine,
          external_run_id: data.externalRunId,
          status: data.status,
          start_time: start,
          end_time: end,
          duration_ms: start !== null && end !== null ? Math.max(0, end - start) : null,
          rows_output: data.rowsOutput ?? null,
          message: data.message ?? null,
          log_ref: data.logRef ?? null,
          created_at: now,
          updated_at: now,
        })
        .executeTakeFirst();
      const row = await trx
        .selectFrom('task_execution_log')
        .selectAll()
        .where('id', '=', Number(r.insertId))
        .executeTakeFirstOrThrow();
      return { result: { execution: executionFromRow(row), changed: true }, previous: null };
    }
    const cur = executionFromRow(existing);
    const advance = statusRank(data.status) > statusRank(cur.status);
    const status = advance ? data.status : cur.status;
    // A SUBMITTED row's start is when the portal asked for the run; the engine's first report
    // of the real start (on RUNNING or later) replaces it, so durations exclude queueing.
    const startTime =
      cur.status === 'SUBMITTED' && advance && start !== null
        ? start
        : (cur.startTime?.getTime() ?? start);
    const endTime = cur.endTime?.getTime() ?? (TERMINAL_STATUSES.includes(status) ? end : null);
    const next = {
      status,
      start_time: startTime,
      end_time: endTime,
      duration_ms: startTime !== null && endTime !== null ? Math.max(0, endTime - startTime) : null,
      rows_output: cur.rowsOutput ?? data.rowsOutput ?? null,
      message: advance ? (data.message ?? cur.message) : (cur.message ?? data.message ?? null),
      log_ref: cur.logRef ?? data.logRef ?? null,
    };
    const changed =
      next.status !== cur.status ||
      next.start_time !== (cur.startTime?.getTime() ?? null) ||
      next.end_time !== (cur.endTime?.getTime() ?? null) ||
      next.rows_output !== cur.rowsOutput ||
      next.message !== cur.message ||
      next.log_ref !== cur.logRef;
    if (!changed) return { result: { execution: cur, changed: false }, previous: cur.status };
    await trx
      .updateTable('task_execution_log')
      .set({ ...next, updated_at: now })
      .where('id', '=', cur.id)
      .execute();
    const row = await trx
      .selectFrom('task_execution_log')
      .selectAll()
      .where('id', '=', cur.id)
      .executeTakeFirstOrThrow();
    return { result: { execution: executionFromRow(row), changed: true }, previous: cur.status };
  }

  /**
   * Reads one execution.
   *
   * @param id - execution id
   * @returns the execution
   * @throws {@link SdkError} `NOT_FOUND`
   */
  async getExecution(id: number): Promise<Execution> {
    const row = await this.#ctx.db
      .selectFrom('task_execution_log')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new SdkError('NOT_FOUND', `sdk: execution ${id} not found`);
    return executionFromRow(row);
  }

  /**
   * Lists executions, newest first, with filters and cursor pagination.
   *
   * @param query - task, status, engine, time range, limit, cursor
   * @returns a page of executions
   */
  async listExecutions(query: ListExecutionsQuery = {}): Promise<Page<Execution>> {
    const limit = parse(LIMIT, 'limit', query.limit);
    const before = cursorId(query.cursor);
    let q = this.#ctx.db
      .selectFrom('task_execution_log')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(limit + 1);
    if (query.taskId !== undefined) q = q.where('task_id', '=', query.taskId);
    const statuses = asArray(query.status);
    if (statuses && statuses.length > 0) q = q.where('status', 'in', statuses);
    if (query.engine) q = q.where('engine', '=', query.engine);
    if (query.from) q = q.where('created_at', '>=', query.from.getTime());
    if (query.to) q = q.where('created_at', '<', query.to.getTime());
    if (before !== null) q = q.where('id', '<', before);
    const rows = await q.execute();
    return pageOf(rows.map(executionFromRow), limit);
  }

  /**
   * Run statistics of a task over its most recent runs.
   *
   * @param ref - task id or name
   * @param options - `since` (only runs recorded after) and `window` (max runs, default 1000)
   * @returns runs, success rate, p50/p95 duration, last success, average rows output
   */
  async executionStats(
    ref: EntityRef,
    options: { readonly since?: Date; readonly window?: number } = {},
  ): Promise<ExecutionStats> {
    const task = await loadTask(this.#ctx.db, ref);
    let q = this.#ctx.db
      .selectFrom('task_execution_log')
      .select(['status', 'duration_ms', 'end_time', 'rows_output'])
      .where('task_id', '=', task.id)
      .orderBy('id', 'desc')
      .limit(options.window ?? 1000);
    if (options.since) q = q.where('created_at', '>=', options.since.getTime());
    const rows = await q.execute();
    let successes = 0;
    let failures = 0;
    let lastSuccess: number | null = null;
    const durations: number[] = [];
    let rowsSum = 0;
    let rowsN = 0;
    for (const r of rows) {
      const status = r.status as ExecutionStatus;
      if (!TERMINAL_STATUSES.includes(status)) continue;
      if (r.duration_ms != null) durations.push(Number(r.duration_ms));
      if (status === 'SUCCESS') {
        successes++;
        const end = r.end_time == null ? null : Number(r.end_time);
        if (end !== null && (lastSuccess === null || end > lastSuccess)) lastSuccess = end;
        if (r.rows_output != null) {
          rowsSum += Number(r.rows_output);
          rowsN++;
        }
      } else failures++;
    }
    durations.sort((a, b) => a - b);
    const finished = successes + failures;
    return {
      taskId: task.id,
      runs: rows.length,
      successes,
      failures,
      successRate: finished === 0 ? null : successes / finished,
      p50DurationMs: percentile(durations, 50),
      p95DurationMs: percentile(durations, 95),
      lastSuccessAt: toDate(lastSuccess),
      avgRowsOutput: rowsN === 0 ? null : rowsSum / rowsN,
    };
  }

  /**
   * Asks the engine for the current state of a recorded run and records it.
   *
   * @param executionId - execution id
   * @returns the execution after the refresh
   */
  async refreshExecution(executionId: number): Promise<Execution> {
    const exec = await this.getExecution(executionId);
    const task = await loadTask(this.#ctx.db, exec.taskId);
    if (task.taskType !== 'batch' || TERMINAL_STATUSES.includes(exec.status)) return exec;
    const engine = batchFor(this.#ctx, task);
    let run: Awaited<ReturnType<BatchEngine['getRun']>>;
    try {
      run = await engine.getRun(task, exec.externalRunId);
    } catch (err) {
      throw engineError(`read run ${exec.externalRunId}`, err);
    }
    if (!run) return exec;
    return (
      await this.recordExecution({
        taskId: task.id,
        engine: task.engine,
        externalRunId: run.externalRunId,
        status: run.status,
        startTime: run.startTime,
        endTime: run.endTime,
        rowsOutput: run.rowsOutput,
        message: run.message,
      })
    ).execution;
  }

  /**
   * Reads a page of a run's log from the engine.
   *
   * @param executionId - execution id
   * @param page - offset and limit (lines)
   * @returns the log page
   */
  async getExecutionLog(
    executionId: number,
    page: { readonly offset?: number; readonly limit?: number } = {},
  ): Promise<EngineLog> {
    const exec = await this.getExecution(executionId);
    const task = await loadTask(this.#ctx.db, exec.taskId);
    if (task.taskType !== 'batch') {
      return { text: exec.message ?? '', nextOffset: 0, complete: true };
    }
    const engine = batchFor(this.#ctx, task);
    try {
      return await engine.getLog(task, exec.externalRunId, page);
    } catch (err) {
      throw engineError(`read log of run ${exec.externalRunId}`, err);
    }
  }
}

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] ?? null;
}
