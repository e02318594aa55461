import { analyzeSql, type SqlDialect } from '@dataportal/lineage';
import { sql } from 'kysely';
import { z } from 'zod';
import { fromZodError, SdkError } from '../errors.js';
import { assertMayChange, assertRole, SYSTEM_ACTOR } from '../identity/roles.js';
import { isUniqueViolation } from '../internal/db-errors.js';
import type { ColumnPair } from '../models/lineage-edge.js';
import {
  checkMergedTask,
  type EngineName,
  type Task,
  type TaskInput,
  TaskInputSchema,
  type TaskPatch,
  TaskPatchSchema,
  type TaskStatus,
  type TaskType,
} from '../models/task.js';
import { replaceTaskEdges } from '../storage/repositories/lineage.repository.js';
import { syncLineageHistory } from '../storage/repositories/lineage-history.repository.js';
import {
  findTaskRow,
  taskFromRow,
  taskToRow,
  updateTaskRow,
} from '../storage/repositories/task.repository.js';
import {
  asArray,
  audit,
  cursorId,
  type EntityRef,
  LIMIT,
  likePrefix,
  loadTask,
  lockLineage,
  type Page,
  type PortalContext,
  pageOf,
  parse,
  storageError,
  versionRequired,
} from './context.js';
import { ensureTables, rejectCycle, type TaskWriteOptions } from './graph-guard.js';
import { canonicalTableName, defaultDatabaseOf, resolveTableRows } from './table-names.js';

/** Filters for {@link TaskService.listTasks}. */
export interface ListTasksQuery {
  /** Only tasks with this status (or any of these statuses). */
  readonly status?: TaskStatus | readonly TaskStatus[];
  /** Only tasks on this engine. */
  readonly engine?: EngineName;
  /** Only batch or stream tasks. */
  readonly taskType?: TaskType;
  /** Only tasks of this owner. */
  readonly owner?: string;
  /** Only tasks whose name starts with this prefix. */
  readonly prefix?: string;
  /** Only tasks that read or write this table. */
  readonly table?: string;
  /** Page size (1–1000, default 100). */
  readonly limit?: number;
  /** Cursor from a previous page. */
  readonly cursor?: string;
}

/** The outcome of {@link TaskService.checkTaskLineage}. */
export interface TaskLineageCheck {
  /** Task id. */
  readonly taskId: number;
  /** Dialect the SQL was read as. */
  readonly dialect: SqlDialect;
  /** Tables the SQL reads. */
  readonly parsedInputs: readonly string[];
  /** Tables the SQL writes. */
  readonly parsedOutputs: readonly string[];
  /** Read by the SQL but not declared as inputs. */
  readonly undeclaredInputs: readonly string[];
  /** Declared as inputs but not read by the SQL. */
  readonly unusedInputs: readonly string[];
  /** Written by the SQL but not declared as outputs. */
  readonly undeclaredOutputs: readonly string[];
  /** Declared as outputs but not written by the SQL. */
  readonly unwrittenOutputs: readonly string[];
  /** No differences at all. */
  readonly consistent: boolean;
  /** The parser's confidence (0–1). */
  readonly confidence: number;
  /** What the parser could not read. */
  readonly warnings: readonly string[];
}

/**
 * Task definitions: create, read, list, change and delete tasks, each write keeping the task's
 * lineage edges in step in one transaction; and the check of declared lineage against the SQL.
 * Reached as `portal.tasks`; every method is also on {@link PortalService}.
 */
export class TaskService {
  readonly #ctx: PortalContext;

  /** @internal */
  constructor(ctx: PortalContext) {
    this.#ctx = ctx;
  }

  /**
   * Creates a task and its lineage edges (every input → every output) in one transaction.
   *
   * @param input - the task
   * @param options - whether to register unknown tables as drafts
   * @returns the stored task (status `draft`)
   * @throws {@link SdkError} `VALIDATION_FAILED`, `CONFLICT` (name taken), `UNKNOWN_TABLES`
   *   (`details.tables`), `CYCLE_DETECTED` (`details.cycle` is the path)
   */
  async createTask(input: TaskInput, options: TaskWriteOptions = {}): Promise<Task> {
    const data = parse(TaskInputSchema, 'task', input);
    const actor = this.#ctx.actor;
    assertRole(actor, 'developer', `create task ${data.name}`);
    const columns = await this.#columnPairs(data);
    const now = this.#ctx.now();
    try {
      return await this.#ctx.db.transaction().execute(async (trx) => {
        await lockLineage(trx);
        const { inputs, outputs } = await ensureTables(this.#ctx, trx, data.inputs, data.outputs, {
          ...options,
          defaultDatabase: await defaultDatabaseOf(trx, data.datasource),
        });
        await rejectCycle(trx, -1, inputs, outputs);
        const row = taskToRow({
          name: data.name,
          description: data.description ?? null,
          kind: data.kind,
          sql: data.sql,
          taskType: data.taskType,
          engine: data.engine,
          schedule: data.schedule ?? null,
          inputs,
          outputs,
          owner: data.owner ?? (actor === SYSTEM_ACTOR ? null : actor.name),
          datasource: data.datasource ?? null,
          retries: data.retries,
          timeoutSeconds: data.timeoutSeconds,
          preStatements: data.preStatements,
          postStatements: data.postStatements,
          status: 'draft',
          engineRef: null,
          lastError: null,
        });
        const result = await trx
          .insertInto('data_task')
          .values({ ...row, version: 1, created_at: now, updated_at: now })
          .executeTakeFirst();
        const id = Number(result.insertId);
        await replaceTaskEdges(trx, id, crossEdges(inputs, outputs, columns), now);
        await audit(this.#ctx, trx, {
          action: 'task.create',
          entity: 'task',
          entityId: id,
          versionAfter: 1,
          details: { name: data.name },
        });
        const stored = await findTaskRow(trx, id);
        if (!stored) throw new SdkError('STORAGE_FAILED', 'sdk: created task vanished');
        return taskFromRow(stored);
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new SdkError('CONFLICT', `sdk: a task named ${data.name} already exists`, {
          cause: err,
          details: { name: data.name },
        });
      }
      throw storageError('createTask', err);
    }
  }

  /**
   * Reads a task by id or name.
   *
   * @param ref - id or name
   * @returns the task
   * @throws {@link SdkError} `NOT_FOUND`
   */
  async getTask(ref: EntityRef): Promise<Task> {
    return loadTask(this.#ctx.db, ref);
  }

  /**
   * Lists tasks with filters, ordered by id, with cursor pagination.
   *
   * @param query - filters, limit and cursor
   * @returns a page of tasks
   */
  async listTasks(query: ListTasksQuery = {}): Promise<Page<Task>> {
    const limit = parse(LIMIT, 'limit', query.limit);
    const after = cursorId(query.cursor);
    let q = this.#ctx.db
      .selectFrom('data_task')
      .selectAll()
      .orderBy('id')
      .limit(limit + 1);
    const statuses = asArray(query.status);
    if (statuses && statuses.length > 0) q = q.where('status', 'in', statuses);
    if (query.engine) q = q.where('engine', '=', query.engine);
    if (query.taskType) q = q.where('task_type', '=', query.taskType);
    if (query.owner) q = q.where('owner', '=', query.owner);
    if (query.prefix) {
      q = q.where(sql<boolean>`name like ${likePrefix(query.prefix)} escape '!'`);
    }
    if (query.table) {
      const t = await canonicalTableName(this.#ctx.db, query.table);
      q = q.where('id', 'in', (sub) =>
        sub
          .selectFrom('data_lineage')
          .select('task_id')
          .where((eb) => eb.or([eb('source', '=', t), eb('target', '=', t)])),
      );
    }
    if (after !== null) q = q.where('id', '>', after);
    const rows = await q.execute();
    return pageOf(rows.map(taskFromRow), limit);
  }

  /**
   * Changes a task; when inputs or outputs change, its lineage edges are replaced in the same
   * transaction. A published task keeps its engine reference; republish to apply the change.
   *
   * @param ref - id or name
   * @param patch - the changes, with the `version` read (optimistic lock)
   * @param options - whether to register unknown tables as drafts
   * @returns the updated task
   * @throws {@link SdkError} `NOT_FOUND`, `CONFLICT` (stale version), `VALIDATION_FAILED`,
   *   `UNKNOWN_TABLES`, `CYCLE_DETECTED`, `PRECONDITION_REQUIRED` without `version`
   */
  async updateTask(
    ref: EntityRef,
    patch: TaskPatch,
    options: TaskWriteOptions = {},
  ): Promise<Task> {
    const data = parse(TaskPatchSchema, 'task patch', patch);
    // Column pairs are derived data: read outside the transaction from the SQL as patched.
    let columns: Map<string, ColumnPair[]> | undefined;
    const sqlOrEdgesChanged =
      data.sql !== undefined || data.inputs !== undefined || data.outputs !== undefined;
    if (this.#ctx.columnLineage && sqlOrEdgesChanged) {
      const before = await findTaskRow(this.#ctx.db, ref);
      if (before) {
        const t = taskFromRow(before);
        columns = await this.#columnPairs({
          sql: data.sql ?? t.sql,
          taskType: data.taskType ?? t.taskType,
          inputs: data.inputs ?? t.inputs,
          outputs: data.outputs ?? t.outputs,
        });
      }
    }
    try {
      return await this.#ctx.db.transaction().execute(async (trx) => {
        await lockLineage(trx);
        const row = await findTaskRow(trx, ref);
        if (!row) throw new SdkError('NOT_FOUND', `sdk: task ${String(ref)} not found`);
        const current = taskFromRow(row);
        assertMayChange(this.#ctx.actor, current.owner, `change task ${current.name}`);
        if (data.version === undefined)
          throw versionRequired(`task ${current.name}`, current.version);
        const expected = data.version;
        if (expected !== current.version) throw staleTask(current, expected);
        let merged: Task = {
          ...current,
          ...(data.description !== undefined && { description: data.description }),
          ...(data.kind !== undefined && { kind: data.kind }),
          ...(data.sql !== undefined && { sql: data.sql }),
          ...(data.taskType !== undefined && { taskType: data.taskType }),
          ...(data.engine !== undefined && { engine: data.engine }),
          ...(data.schedule !== undefined && { schedule: data.schedule }),
          ...(data.inputs !== undefined && { inputs: data.inputs }),
          ...(data.outputs !== undefined && { outputs: data.outputs }),
          ...(data.owner !== undefined && { owner: data.owner }),
          ...(data.datasource !== undefined && { datasource: data.datasource }),
          ...(data.retries !== undefined && { retries: data.retries }),
          ...(data.timeoutSeconds !== undefined && { timeoutSeconds: data.timeoutSeconds }),
          ...(data.preStatements !== undefined && { preStatements: data.preStatements }),
          ...(data.postStatements !== undefined && { postStatements: data.postStatements }),
        };
        const check = z.any().superRefine(checkMergedTask).safeParse(merged);
        if (!check.success) throw fromZodError('task', check.error);
        if (current.engineRef && merged.engine !== current.engine) {
          throw new SdkError(
            'INVALID_STATE',
            `sdk: task ${current.name} is published on ${current.engine}; unpublish it before moving it to ${merged.engine}`,
          );
        }
        const lineageChanged =
          data.inputs !== undefined ||
          data.outputs !== undefined ||
          (columns !== undefined && data.sql !== undefined);
        if (lineageChanged) {
          const resolved = await ensureTables(this.#ctx, trx, merged.inputs, merged.outputs, {
            ...options,
            defaultDatabase: await defaultDatabaseOf(trx, merged.datasource),
          });
          merged = { ...merged, ...resolved };
          await rejectCycle(trx, current.id, merged.inputs, merged.outputs);
        }
        const now = this.#ctx.now();
        const ok = await updateTaskRow(trx, current.id, expected, {
          ...taskToRow(merged),
          updated_at: now,
        });
        if (!ok) throw staleTask(current, expected);
        await audit(this.#ctx, trx, {
          action: 'task.update',
          entity: 'task',
          entityId: current.id,
          versionBefore: expected,
          versionAfter: expected + 1,
          details: {
            changed: Object.keys(data).filter((k) => k !== 'version'),
            ...(data.owner !== undefined && data.owner !== current.owner && { owner: data.owner }),
          },
        });
        if (lineageChanged) {
          await replaceTaskEdges(
            trx,
            current.id,
            crossEdges(merged.inputs, merged.outputs, columns),
            now,
          );
        }
        const stored = await findTaskRow(trx, current.id);
        if (!stored) throw new SdkError('STORAGE_FAILED', 'sdk: updated task vanished');
        return taskFromRow(stored);
      });
    } catch (err) {
      throw storageError('updateTask', err);
    }
  }

  /**
   * Deletes a task and its lineage edges (its execution history stays). A task that is online
   * on an engine must be taken offline or unpublished first.
   *
   * @param ref - id or name
   * @param version - the version read, for optimistic locking
   * @throws {@link SdkError} `NOT_FOUND`, `CONFLICT`, `INVALID_STATE`
   */
  async deleteTask(ref: EntityRef, version?: number): Promise<void> {
    try {
      await this.#ctx.db.transaction().execute(async (trx) => {
        const row = await findTaskRow(trx, ref);
        if (!row) throw new SdkError('NOT_FOUND', `sdk: task ${String(ref)} not found`);
        const task = taskFromRow(row);
        assertMayChange(this.#ctx.actor, task.owner, `delete task ${task.name}`);
        if (version !== undefined && version !== task.version) throw staleTask(task, version);
        await lockLineage(trx);
        if (task.status === 'online') {
          throw new SdkError(
            'INVALID_STATE',
            `sdk: task ${task.name} is online; take it offline or unpublish it before deleting`,
          );
        }
        await trx.deleteFrom('data_lineage').where('task_id', '=', task.id).execute();
        await syncLineageHistory(
          trx,
          { taskId: task.id, taskVersion: task.version },
          this.#ctx.now(),
        );
        const r = await trx
          .deleteFrom('data_task')
          .where('id', '=', task.id)
          .where('version', '=', task.version)
          .executeTakeFirst();
        if (Number(r.numDeletedRows) !== 1) throw staleTask(task, task.version);
        await audit(this.#ctx, trx, {
          action: 'task.delete',
          entity: 'task',
          entityId: task.id,
          versionBefore: task.version,
          details: { name: task.name },
        });
        this.#ctx.knownTasks.delete(task.id);
      });
    } catch (err) {
      throw storageError('deleteTask', err);
    }
  }

  /**
   * Column pairs per (input, output) read from a task's SQL, composed through the whole script
   * (`DIRECT` sources only), with `SELECT *` expanded from registered fields. Undefined when column
   * lineage is off or the SQL cannot be read (the edges are then stored without columns).
   */
  async #columnPairs(t: {
    readonly sql: string;
    readonly taskType: string;
    readonly inputs: readonly string[];
    readonly outputs: readonly string[];
  }): Promise<Map<string, ColumnPair[]> | undefined> {
    if (!this.#ctx.columnLineage || t.sql.trim() === '') return undefined;
    const names = [...new Set([...t.inputs, ...t.outputs])];
    const schema: Record<string, string[]> = {};
    if (names.length > 0) {
      const rows = await this.#ctx.db
        .selectFrom('data_field')
        .innerJoin('data_table', 'data_table.id', 'data_field.table_id')
        .select(['data_table.qualified_name as table', 'data_field.name as name'])
        .where('data_table.qualified_name', 'in', names)
        .orderBy('data_field.ordinal')
        .execute();
      for (const r of rows) {
        const cols = schema[r.table] ?? [];
        cols.push(r.name);
        schema[r.table] = cols;
      }
    }
    const dialect = t.taskType === 'stream' ? 'flink' : this.#ctx.sqlDialect;
    let lineage: Awaited<ReturnType<typeof analyzeSql>>;
    try {
      lineage = await analyzeSql(t.sql, { dialect, schema });
    } catch {
      return undefined;
    }
    const out = new Map<string, ColumnPair[]>();
    for (const c of lineage.scriptColumns) {
      for (const s of c.sources) {
        if (s.type !== 'DIRECT') continue;
        const k = `${s.table}\u0000${c.target.table}`;
        const list = out.get(k) ?? [];
        if (!list.some((p) => p.source === s.column && p.target === c.target.column)) {
          list.push({ source: s.column, target: c.target.column });
        }
        out.set(k, list);
      }
    }
    return out;
  }

  /**
   * Compares a task's declared inputs and outputs with the tables its SQL reads and writes
   * (parsed by `@dataportal/lineage`). Differences are reported, never silently dropped.
   *
   * @param ref - task id or name
   * @param options - SQL dialect; defaults to `flink` for stream tasks and the portal's
   *   `sqlDialect` (default `doris`) for batch tasks
   * @returns what was parsed and how it differs from what is declared
   * @example
   * ```ts
   * const check = await portal.checkTaskLineage('dwd_orders');
   * if (!check.consistent) console.log(check.undeclaredInputs, check.unusedInputs);
   * ```
   */
  async checkTaskLineage(
    ref: EntityRef,
    options: { readonly dialect?: SqlDialect } = {},
  ): Promise<TaskLineageCheck> {
    const task = await this.getTask(ref);
    const dialect =
      options.dialect ?? (task.taskType === 'stream' ? 'flink' : this.#ctx.sqlDialect);
    if (task.kind !== 'sql') {
      return {
        taskId: task.id,
        dialect,
        parsedInputs: [],
        parsedOutputs: [],
        undeclaredInputs: [],
        unusedInputs: [],
        undeclaredOutputs: [],
        unwrittenOutputs: [],
        consistent: true,
        confidence: 0,
        warnings: ['shell tasks are not parsed; declared lineage is taken as given'],
      };
    }
    // The SQL's unqualified names live in the task's default database (its datasource's), as
    // SQL's own USE would say; then they resolve to registered tables by the one rule.
    const defaultDatabase = await defaultDatabaseOf(this.#ctx.db, task.datasource);
    const parsed = await analyzeSql(task.sql, {
      dialect,
      ...(defaultDatabase && { defaultDatabase }),
    });
    const resolved = await resolveTableRows(this.#ctx.db, [...parsed.inputs, ...parsed.outputs], {
      defaultDatabase,
    });
    const registered = (t: string) => {
      const n = t.toLowerCase();
      return resolved.get(n)?.qualified_name ?? n;
    };
    const inputs = [...new Set(parsed.inputs.map(registered))];
    const outputs = [...new Set(parsed.outputs.map(registered))];
    const minus = (a: readonly string[], b: readonly string[]) => a.filter((x) => !b.includes(x));
    const undeclaredInputs = minus(inputs, task.inputs);
    const unusedInputs = minus(task.inputs, inputs);
    const undeclaredOutputs = minus(outputs, task.outputs);
    const unwrittenOutputs = minus(task.outputs, outputs);
    return {
      taskId: task.id,
      dialect,
      parsedInputs: inputs,
      parsedOutputs: outputs,
      undeclaredInputs,
      unusedInputs,
      undeclaredOutputs,
      unwrittenOutputs,
      consistent:
        undeclaredInputs.length +
          unusedInputs.length +
          undeclaredOutputs.length +
          unwrittenOutputs.length ===
        0,
      confidence: parsed.confidence,
      warnings: parsed.warnings.map((w) => w.message),
    };
  }
}

function crossEdges(
  inputs: readonly string[],
  outputs: readonly string[],
  columns?: ReadonlyMap<string, ColumnPair[]>,
): { source: string; target: string; columns?: ColumnPair[] }[] {
  const edges: { source: string; target: string; columns?: ColumnPair[] }[] = [];
  for (const source of new Set(inputs)) {
    for (const target of new Set(outputs)) {
      const pairs = columns?.get(`${source}\u0000${target}`);
      edges.push(pairs === undefined ? { source, target } : { source, target, columns: pairs });
    }
  }
  return edges;
}

function staleTask(task: Task, expected: number): SdkError {
  return new SdkError(
    'CONFLICT',
    `sdk: task ${task.name} was changed by someone else (version ${expected} is stale, current ${task.version})`,
    { details: { expectedVersion: expected, currentVersion: task.version } },
  );
}
