import { analyzeSql, LineageGraph, type SqlDialect } from '@dataportal/lineage';
import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type {
  BatchEngine,
  EngineLog,
  ExternalDependency,
  TaskDependency,
} from '../engine/batch-engine.js';
import type { StreamEngine, StreamStatus } from '../engine/stream-engine.js';
import { fromZodError, SdkError } from '../errors.js';
import {
  decodeCursor,
  encodeCursor,
  isDeadlock,
  isUniqueViolation,
  KeyedMutex,
} from '../internal/db-errors.js';
import { guessLayer, type Layer, LayerSchema } from '../models/common.js';
import {
  type Datasource,
  type DatasourceInput,
  DatasourceInputSchema,
} from '../models/datasource.js';
import {
  type Execution,
  type ExecutionInput,
  ExecutionInputSchema,
  type ExecutionStats,
  type ExecutionStatus,
  statusRank,
  TERMINAL_STATUSES,
} from '../models/execution.js';
import {
  type LineageEdge,
  type LineageEdgeInput,
  LineageEdgeInputSchema,
} from '../models/lineage-edge.js';
import {
  type Field,
  type FieldInput,
  FieldInputSchema,
  type Table,
  type TableDrift,
  type TableInput,
  TableInputSchema,
  type TablePatch,
  TablePatchSchema,
  type TableStatus,
} from '../models/table.js';
import {
  checkMergedTask,
  type EngineName,
  type EngineRef,
  type Task,
  type TaskInput,
  TaskInputSchema,
  type TaskPatch,
  TaskPatchSchema,
  type TaskStatus,
  type TaskType,
} from '../models/task.js';
import type { Database, DataTableRow } from '../storage/database.js';
import {
  datasourceColumns,
  datasourceFromRow,
} from '../storage/repositories/datasource.repository.js';
import { executionFromRow } from '../storage/repositories/execution.repository.js';
import { toDate } from '../storage/repositories/json.js';
import {
  edgeFromRow,
  findPathInStore,
  replaceTaskEdges,
} from '../storage/repositories/lineage.repository.js';
import {
  findTableRow,
  findTablesByName,
  insertTable,
  listFields,
  replaceFields,
  tableFromRow,
} from '../storage/repositories/table.repository.js';
import {
  findTaskRow,
  taskFromRow,
  taskToRow,
  updateTaskRow,
} from '../storage/repositories/task.repository.js';
import type { Store } from '../storage/store.js';

/** A table or task reference: numeric id, or qualified name (tables) / name (tasks). */
export type EntityRef = number | string;

/** A page of results with an opaque cursor for the next page. */
export interface Page<T> {
  /** The items of this page. */
  readonly items: T[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  readonly nextCursor: string | null;
}

/** Filters for {@link PortalService.listTables}. */
export interface ListTablesQuery {
  /** Only tables of this layer. */
  readonly layer?: Layer;
  /** Only tables with this owner. */
  readonly owner?: string;
  /** Only tables with this status. */
  readonly status?: TableStatus;
  /** Only tables whose qualified name starts with this prefix. */
  readonly prefix?: string;
  /** Only tables of this datasource. */
  readonly datasource?: string;
  /** Page size (1–1000, default 100). */
  readonly limit?: number;
  /** Cursor from a previous page. */
  readonly cursor?: string;
}

/** Filters for {@link PortalService.listTasks}. */
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

/** Filters for {@link PortalService.listExecutions}. */
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

/** Options for creating or updating a task. */
export interface TaskWriteOptions {
  /**
   * Register unknown input/output tables as `draft` (layer guessed from the name) instead of
   * rejecting the task. Defaults to false.
   */
  readonly registerMissingTables?: boolean;
}

/** The outcome of {@link PortalService.recordExecution}. */
export interface RecordExecutionResult {
  /** The stored execution after the call. */
  readonly execution: Execution;
  /** Whether this call created or changed the row (false for a duplicate or stale report). */
  readonly changed: boolean;
}

/** Options for {@link PortalService.publishTask} and {@link PortalService.publishTasks}. */
export interface PublishOptions {
  /** Bring the task online (and its schedule) after publishing. Defaults to true. */
  readonly online?: boolean;
  /** Start a run right after publishing (batch) or start the job (stream). Defaults to false. */
  readonly autoStart?: boolean;
  /** Name of the engine unit (workflow) for a group publish. Defaults to the first task's name. */
  readonly unitName?: string;
}

/** A snapshot of the lineage graph: tables as nodes, edges between them. */
export interface LineageSnapshot {
  /** Every table that is registered or appears on an edge. */
  readonly nodes: {
    readonly id: string;
    readonly layer: Layer | null;
    readonly owner: string | null;
    readonly status: TableStatus | null;
  }[];
  /** Every stored edge. */
  readonly edges: LineageEdge[];
  /** Tasks by id, for edges that carry a task id. */
  readonly tasks: ReadonlyMap<number, { readonly name: string; readonly owner: string | null }>;
}

/** Configuration of a {@link PortalService}. */
export interface PortalServiceConfig {
  /** The open store (see `openStore`). */
  readonly store: Store;
  /** Batch engines by name; tasks on an absent engine fail with ENGINE_NOT_CONFIGURED. */
  readonly batchEngines?: { readonly dolphin?: BatchEngine; readonly local?: BatchEngine };
  /** Stream engines by name. */
  readonly streamEngines?: { readonly dinky?: StreamEngine };
  /** Clock in epoch milliseconds (tests inject one). Defaults to `Date.now`. */
  readonly now?: () => number;
  /** SQL dialect of batch task SQL, for lineage checks. Defaults to `doris`. */
  readonly sqlDialect?: SqlDialect;
}

/** The outcome of {@link PortalService.checkTaskLineage}. */
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

const LIMIT = z.number().int().min(1).max(1000).default(100);

function parse<T extends z.ZodType>(schema: T, what: string, value: unknown): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw fromZodError(what, r.error);
  return r.data;
}

function asArray<T>(v: T | readonly T[] | undefined): readonly T[] | undefined {
  if (v === undefined) return undefined;
  return Array.isArray(v) ? (v as readonly T[]) : [v as T];
}

function storageError(what: string, err: unknown): SdkError {
  if (err instanceof SdkError) return err;
  return new SdkError('STORAGE_FAILED', `sdk: ${what} failed`, { cause: err });
}

function pageOf<T extends { id: number }>(items: T[], limit: number): Page<T> {
  if (items.length > limit) {
    const page = items.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page, nextCursor: last ? encodeCursor(last.id) : null };
  }
  return { items, nextCursor: null };
}

function cursorId(cursor: string | undefined): number | null {
  if (cursor === undefined) return null;
  const id = decodeCursor(cursor);
  if (id === null) {
    throw new SdkError('VALIDATION_FAILED', 'sdk: malformed cursor', {
      issues: [{ path: ['cursor'], message: 'not a cursor from a previous page', code: 'custom' }],
    });
  }
  return id;
}

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx] ?? null;
}

/**
 * The portal's use cases over a store and the configured engines: tables, tasks with their
 * lineage, executions, and publishing to engines. Every multi-row write is one transaction.
 *
 * @example
 * ```ts
 * const store = await openStore({ url: 'sqlite::memory:', migrate: true });
 * const portal = new PortalService({ store });
 * await portal.registerTable({ qualifiedName: 'ods.orders', layer: 'ODS' });
 * await portal.registerTable({ qualifiedName: 'dwd.orders', layer: 'DWD' });
 * await portal.createTask({
 *   name: 'dwd_orders', taskType: 'batch', engine: 'local',
 *   sql: 'INSERT INTO dwd.orders SELECT * FROM ods.orders',
 *   inputs: ['ods.orders'], outputs: ['dwd.orders'],
 * });
 * console.log(await portal.listLineageEdges()); // [{ source: 'ods.orders', target: 'dwd.orders', … }]
 * ```
 */
export class PortalService {
  readonly #store: Store;
  readonly #db: Kysely<Database>;
  readonly #now: () => number;
  readonly #batch: { readonly dolphin?: BatchEngine; readonly local?: BatchEngine };
  readonly #stream: { readonly dinky?: StreamEngine };
  readonly #publishLock = new KeyedMutex();
  // Task ids seen to exist, so run reports skip a lookup; deleteTask forgets the id.
  readonly #knownTasks = new Set<number>();
  readonly #sqlDialect: SqlDialect;
  #graph: { readonly stamp: number; readonly graph: LineageGraph } | null = null;
  #graphLoad: { readonly stamp: number; readonly promise: Promise<LineageGraph> } | null = null;

  /**
   * @param config - store, engines and clock
   */
  constructor(config: PortalServiceConfig) {
    this.#store = config.store;
    this.#db = config.store.db;
    this.#now = config.now ?? Date.now;
    this.#batch = config.batchEngines ?? {};
    this.#stream = config.streamEngines ?? {};
    this.#sqlDialect = config.sqlDialect ?? 'doris';
  }

  /** The store this service writes to. */
  get store(): Store {
    return this.#store;
  }

  /** Names of the engines configured in this portal. */
  get engines(): EngineName[] {
    const names: EngineName[] = [];
    if (this.#batch.dolphin) names.push('dolphin');
    if (this.#batch.local) names.push('local');
    if (this.#stream.dinky) names.push('dinky');
    return names;
  }

  /**
   * The configured batch engine by name, if any.
   *
   * @param name - `dolphin` or `local`
   * @returns the engine or undefined
   */
  batchEngine(name: 'dolphin' | 'local'): BatchEngine | undefined {
    return this.#batch[name];
  }

  /**
   * The configured stream engine by name, if any.
   *
   * @param name - `dinky`
   * @returns the engine or undefined
   */
  streamEngine(name: 'dinky'): StreamEngine | undefined {
    return this.#stream[name];
  }

  // ---------------------------------------------------------------- tables

  /**
   * Registers a table (with its fields, when given) in one transaction.
   *
   * @param input - qualified name, layer, owner, …
   * @returns the stored table
   * @throws {@link SdkError} `VALIDATION_FAILED` for bad input, `CONFLICT` when the name is taken
   */
  async registerTable(input: TableInput): Promise<Table> {
    const data = parse(TableInputSchema, 'table', input);
    const now = this.#now();
    try {
      return await this.#db.transaction().execute(async (trx) => {
        await this.#lockLineage(trx);
        const id = await insertTable(
          trx,
          {
            qualifiedName: data.qualifiedName,
            layer: data.layer,
            status: data.status,
            datasource: data.datasource,
            owner: data.owner,
            description: data.description,
            tags: data.tags,
          },
          now,
        );
        if (data.fields) {
          this.#checkFieldNames(data.fields);
          await replaceFields(trx, id, data.fields);
        }
        return this.#tableById(trx, id);
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new SdkError('CONFLICT', `sdk: table ${data.qualifiedName} is already registered`, {
          cause: err,
          details: { qualifiedName: data.qualifiedName },
        });
      }
      throw storageError('registerTable', err);
    }
  }

  /**
   * Reads a table by id or qualified name.
   *
   * @param ref - id or `db.table`
   * @returns the table
   * @throws {@link SdkError} `NOT_FOUND`
   */
  async getTable(ref: EntityRef): Promise<Table> {
    const row = await findTableRow(this.#db, ref);
    if (!row) throw new SdkError('NOT_FOUND', `sdk: table ${String(ref)} not found`);
    return tableFromRow(row);
  }

  /**
   * Reads a table by id or qualified name, or null.
   *
   * @param ref - id or `db.table`
   * @returns the table or null
   */
  async findTable(ref: EntityRef): Promise<Table | null> {
    const row = await findTableRow(this.#db, ref);
    return row ? tableFromRow(row) : null;
  }

  /**
   * Lists tables with filters, ordered by id, with cursor pagination.
   *
   * @param query - filters, limit and cursor
   * @returns a page of tables
   */
  async listTables(query: ListTablesQuery = {}): Promise<Page<Table>> {
    const limit = parse(LIMIT, 'limit', query.limit);
    const after = cursorId(query.cursor);
    let q = this.#db
      .selectFrom('data_table')
      .selectAll()
      .orderBy('id')
      .limit(limit + 1);
    if (query.layer) q = q.where('layer', '=', parse(LayerSchema, 'layer', query.layer));
    if (query.owner) q = q.where('owner', '=', query.owner);
    if (query.status) q = q.where('status', '=', query.status);
    if (query.datasource) q = q.where('datasource', '=', query.datasource);
    if (query.prefix) {
      q = q.where(
        sql<boolean>`qualified_name like ${likePrefix(query.prefix.toLowerCase())} escape '!'`,
      );
    }
    if (after !== null) q = q.where('id', '>', after);
    const rows = await q.execute();
    return pageOf(rows.map(tableFromRow), limit);
  }

  /**
   * Changes a table's layer, owner, status, description, tags or datasource.
   *
   * @param ref - id or `db.table`
   * @param patch - the changes, with the `version` read (optimistic lock)
   * @returns the updated table
   * @throws {@link SdkError} `NOT_FOUND`, `CONFLICT` when `version` is stale
   */
  async updateTable(ref: EntityRef, patch: TablePatch): Promise<Table> {
    const data = parse(TablePatchSchema, 'table patch', patch);
    const row = await findTableRow(this.#db, ref);
    if (!row) throw new SdkError('NOT_FOUND', `sdk: table ${String(ref)} not found`);
    const expected = data.version ?? Number(row.version);
    const changes: Partial<DataTableRow> = { updated_at: this.#now(), version: expected + 1 };
    if (data.layer !== undefined) changes.layer = data.layer;
    if (data.owner !== undefined) changes.owner = data.owner;
    if (data.status !== undefined) changes['status'] = data.status;
    if (data.description !== undefined) changes.description = data.description;
    if (data.tags !== undefined) changes.tags_json = JSON.stringify(data.tags);
    if (data.datasource !== undefined) changes.datasource = data.datasource;
    const r = await this.#db
      .updateTable('data_table')
      .set(changes)
      .where('id', '=', row.id)
      .where('version', '=', expected)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) {
      throw new SdkError(
        'CONFLICT',
        `sdk: table ${row.qualified_name} was changed by someone else (version ${expected} is stale)`,
        { details: { expectedVersion: expected } },
      );
    }
    await this.#lockLineage(this.#db);
    return this.getTable(Number(row.id));
  }

  /**
   * Marks a table deprecated (it stays in lineage; tasks keep working).
   *
   * @param ref - id or `db.table`
   * @param version - the version read, for optimistic locking
   * @returns the updated table
   */
  async deprecateTable(ref: EntityRef, version?: number): Promise<Table> {
    return this.updateTable(
      ref,
      version === undefined ? { status: 'deprecated' } : { status: 'deprecated', version },
    );
  }

  /**
   * Replaces the fields (columns) of a table in one transaction.
   *
   * @param ref - id or `db.table`
   * @param fields - the columns, in order
   * @returns the stored fields
   * @throws {@link SdkError} `NOT_FOUND`, `VALIDATION_FAILED` (bad or duplicate names)
   */
  async setFields(ref: EntityRef, fields: readonly FieldInput[]): Promise<Field[]> {
    const data = parse(z.array(FieldInputSchema).max(2000), 'fields', fields);
    this.#checkFieldNames(data);
    const row = await findTableRow(this.#db, ref);
    if (!row) throw new SdkError('NOT_FOUND', `sdk: table ${String(ref)} not found`);
    const id = Number(row.id);
    try {
      await this.#db.transaction().execute(async (trx) => {
        await replaceFields(trx, id, data);
        await trx
          .updateTable('data_table')
          .set({ updated_at: this.#now(), version: Number(row.version) + 1 })
          .where('id', '=', id)
          .execute();
      });
    } catch (err) {
      throw storageError('setFields', err);
    }
    return listFields(this.#db, id);
  }

  /**
   * The fields of a table in ordinal order.
   *
   * @param ref - id or `db.table`
   * @returns the fields
   */
  async getFields(ref: EntityRef): Promise<Field[]> {
    const row = await findTableRow(this.#db, ref);
    if (!row) throw new SdkError('NOT_FOUND', `sdk: table ${String(ref)} not found`);
    return listFields(this.#db, Number(row.id));
  }

  /**
   * Stores what a metadata sync read: statistics and drift.
   *
   * @param ref - id or `db.table`
   * @param sync - stats (row count, data size, last modified) and drift (null when none)
   * @returns the updated table
   */
  async recordTableSync(
    ref: EntityRef,
    sync: {
      readonly stats: {
        readonly rowCount: number | null;
        readonly dataSize: number | null;
        readonly lastModified: Date | null;
      };
      readonly drift: TableDrift | null;
    },
  ): Promise<Table> {
    const row = await findTableRow(this.#db, ref);
    if (!row) throw new SdkError('NOT_FOUND', `sdk: table ${String(ref)} not found`);
    const now = this.#now();
    await this.#db
      .updateTable('data_table')
      .set({
        row_count: sync.stats.rowCount,
        data_size: sync.stats.dataSize,
        last_modified: sync.stats.lastModified?.getTime() ?? null,
        synced_at: now,
        drift_json: sync.drift ? JSON.stringify(sync.drift) : null,
        // Synced stats are the warehouse's facts, not an edit: they leave `version` alone so a
        // periodic sync never makes a user's optimistic-lock edit fail.
      })
      .where('id', '=', row.id)
      .execute();
    return this.getTable(Number(row.id));
  }

  #checkFieldNames(fields: readonly { name: string }[]): void {
    const seen = new Set<string>();
    fields.forEach((f, i) => {
      const k = f.name.toLowerCase();
      if (seen.has(k)) {
        throw new SdkError('VALIDATION_FAILED', `sdk: field ${f.name} listed twice`, {
          issues: [
            { path: ['fields', i, 'name'], message: `duplicate field ${f.name}`, code: 'custom' },
          ],
        });
      }
      seen.add(k);
    });
  }

  async #tableById(db: Kysely<Database>, id: number): Promise<Table> {
    const row = await findTableRow(db, id);
    if (!row) throw new SdkError('NOT_FOUND', `sdk: table ${id} not found`);
    return tableFromRow(row);
  }

  // ---------------------------------------------------------------- datasources

  /**
   * Registers a datasource. Only a reference to its password (`env:VAR` or `secret:name`) is
   * stored, never the password.
   *
   * @param input - name, kind, connection settings, DolphinScheduler datasource name
   * @returns the stored datasource
   * @throws {@link SdkError} `VALIDATION_FAILED`, `CONFLICT` when the name is taken
   */
  async createDatasource(input: DatasourceInput): Promise<Datasource> {
    const data = parse(DatasourceInputSchema, 'datasource', input);
    const now = this.#now();
    try {
      const r = await this.#db
        .insertInto('dp_datasource')
        .values({ ...datasourceColumns(data), version: 1, created_at: now, updated_at: now })
        .executeTakeFirst();
      return this.getDatasource(Number(r.insertId));
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new SdkError('CONFLICT', `sdk: a datasource named ${data.name} already exists`, {
          cause: err,
        });
      }
      throw storageError('createDatasource', err);
    }
  }

  /**
   * Reads a datasource by id or name.
   *
   * @param ref - id or name
   * @returns the datasource
   * @throws {@link SdkError} `NOT_FOUND`
   */
  async getDatasource(ref: EntityRef): Promise<Datasource> {
    const q = this.#db.selectFrom('dp_datasource').selectAll();
    const row = await (typeof ref === 'number'
      ? q.where('id', '=', ref)
      : q.where('name', '=', ref)
    ).executeTakeFirst();
    if (!row) throw new SdkError('NOT_FOUND', `sdk: datasource ${String(ref)} not found`);
    return datasourceFromRow(row);
  }

  /**
   * Lists all datasources by name.
   *
   * @returns the datasources
   */
  async listDatasources(): Promise<Datasource[]> {
    const rows = await this.#db.selectFrom('dp_datasource').selectAll().orderBy('name').execute();
    return rows.map(datasourceFromRow);
  }

  /**
   * Replaces a datasource's settings (the name included), with optimistic locking.
   *
   * @param ref - id or name
   * @param input - the complete new settings, plus the `version` read
   * @returns the updated datasource
   * @throws {@link SdkError} `NOT_FOUND`, `CONFLICT`, `VALIDATION_FAILED`
   */
  async updateDatasource(
    ref: EntityRef,
    input: DatasourceInput & { readonly version?: number },
  ): Promise<Datasource> {
    const data = parse(DatasourceInputSchema, 'datasource', input);
    const current = await this.getDatasource(ref);
    const expected = input.version ?? current.version;
    try {
      const r = await this.#db
        .updateTable('dp_datasource')
        .set({ ...datasourceColumns(data), version: expected + 1, updated_at: this.#now() })
        .where('id', '=', current.id)
        .where('version', '=', expected)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) {
        throw new SdkError(
          'CONFLICT',
          `sdk: datasource ${current.name} was changed by someone else (version ${expected} is stale)`,
        );
      }
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new SdkError('CONFLICT', `sdk: a datasource named ${data.name} already exists`, {
          cause: err,
        });
      }
      throw storageError('updateDatasource', err);
    }
    return this.getDatasource(current.id);
  }

  /**
   * Deletes a datasource. Tables keep their datasource name, so registering it again restores
   * the link.
   *
   * @param ref - id or name
   * @throws {@link SdkError} `NOT_FOUND`
   */
  async deleteDatasource(ref: EntityRef): Promise<void> {
    const current = await this.getDatasource(ref);
    await this.#db.deleteFrom('dp_datasource').where('id', '=', current.id).execute();
  }

  // ---------------------------------------------------------------- tasks

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
    const now = this.#now();
    try {
      return await this.#db.transaction().execute(async (trx) => {
        await this.#lockLineage(trx);
        await this.#ensureTables(trx, data.inputs, data.outputs, options);
        await this.#rejectCycle(trx, -1, data.inputs, data.outputs);
        const row = taskToRow({
          name: data.name,
          description: data.description ?? null,
          kind: data.kind,
          sql: data.sql,
          taskType: data.taskType,
          engine: data.engine,
          schedule: data.schedule ?? null,
          inputs: data.inputs,
          outputs: data.outputs,
          owner: data.owner ?? null,
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
        await replaceTaskEdges(trx, id, crossEdges(data.inputs, data.outputs), now);
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
    const row = await findTaskRow(this.#db, ref);
    if (!row) throw new SdkError('NOT_FOUND', `sdk: task ${String(ref)} not found`);
    return taskFromRow(row);
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
    let q = this.#db
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
      const t = query.table.toLowerCase();
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
   *   `UNKNOWN_TABLES`, `CYCLE_DETECTED`
   */
  async updateTask(
    ref: EntityRef,
    patch: TaskPatch,
    options: TaskWriteOptions = {},
  ): Promise<Task> {
    const data = parse(TaskPatchSchema, 'task patch', patch);
    try {
      return await this.#db.transaction().execute(async (trx) => {
        await this.#lockLineage(trx);
        const row = await findTaskRow(trx, ref);
        if (!row) throw new SdkError('NOT_FOUND', `sdk: task ${String(ref)} not found`);
        const current = taskFromRow(row);
        const expected = data.version ?? current.version;
        if (expected !== current.version) throw staleTask(current, expected);
        const merged: Task = {
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
        const lineageChanged = data.inputs !== undefined || data.outputs !== undefined;
        if (lineageChanged) {
          await this.#ensureTables(trx, merged.inputs, merged.outputs, options);
          await this.#rejectCycle(trx, current.id, merged.inputs, merged.outputs);
        }
        const now = this.#now();
        const ok = await updateTaskRow(trx, current.id, expected, {
          ...taskToRow(merged),
          updated_at: now,
        });
        if (!ok) throw staleTask(current, expected);
        if (lineageChanged) {
          await replaceTaskEdges(trx, current.id, crossEdges(merged.inputs, merged.outputs), now);
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
      await this.#db.transaction().execute(async (trx) => {
        const row = await findTaskRow(trx, ref);
        if (!row) throw new SdkError('NOT_FOUND', `sdk: task ${String(ref)} not found`);
        const task = taskFromRow(row);
        if (version !== undefined && version !== task.version) throw staleTask(task, version);
        await this.#lockLineage(trx);
        if (task.status === 'online') {
          throw new SdkError(
            'INVALID_STATE',
            `sdk: task ${task.name} is online; take it offline or unpublish it before deleting`,
          );
        }
        await trx.deleteFrom('data_lineage').where('task_id', '=', task.id).execute();
        const r = await trx
          .deleteFrom('data_task')
          .where('id', '=', task.id)
          .where('version', '=', task.version)
          .executeTakeFirst();
        if (Number(r.numDeletedRows) !== 1) throw staleTask(task, task.version);
        this.#knownTasks.delete(task.id);
      });
    } catch (err) {
      throw storageError('deleteTask', err);
    }
  }

  async #lockLineage(trx: Kysely<Database>): Promise<void> {
    // Serialises graph writers (the UPDATE takes the row lock on MySQL; SQLite transactions run
    // one at a time) so two concurrent tasks cannot each add half of a cycle, and bumps the
    // graph stamp that tells cached lineage graphs they are stale.
    await trx
      .updateTable('dp_lock')
      .set((eb) => ({ touched_at: eb('touched_at', '+', 1) }))
      .where('name', '=', 'lineage')
      .execute();
  }

  async #ensureTables(
    trx: Kysely<Database>,
    inputs: readonly string[],
    outputs: readonly string[],
    options: TaskWriteOptions,
  ): Promise<void> {
    const names = [...new Set([...inputs, ...outputs])];
    const found = new Set((await findTablesByName(trx, names)).map((r) => r.qualified_name));
    const missing = names.filter((n) => !found.has(n));
    if (missing.length === 0) return;
    if (!options.registerMissingTables) {
      throw new SdkError(
        'UNKNOWN_TABLES',
        `sdk: unknown tables: ${missing.join(', ')} (register them first, or pass registerMissingTables)`,
        { details: { tables: missing } },
      );
    }
    const unguessable = missing.filter((n) => guessLayer(n) === null);
    if (unguessable.length > 0) {
      throw new SdkError(
        'UNKNOWN_TABLES',
        `sdk: unknown tables whose layer cannot be guessed from the name: ${unguessable.join(', ')}`,
        { details: { tables: unguessable } },
      );
    }
    const now = this.#now();
    for (const name of missing) {
      await insertTable(
        trx,
        { qualifiedName: name, layer: guessLayer(name) ?? 'ODS', status: 'draft' },
        now,
      );
    }
  }

  async #rejectCycle(
    trx: Kysely<Database>,
    taskId: number,
    inputs: readonly string[],
    outputs: readonly string[],
  ): Promise<void> {
    if (inputs.length === 0 || outputs.length === 0) return;
    const path = await findPathInStore(trx, outputs, new Set(inputs), taskId);
    if (!path) return;
    const last = path[path.length - 1] ?? '';
    const cycle = [last, ...path];
    throw new SdkError(
      'CYCLE_DETECTED',
      `sdk: the task would close a cycle in the table graph: ${cycle.join(' -> ')}`,
      { details: { cycle } },
    );
  }

  // ---------------------------------------------------------------- lineage

  /**
   * Lists stored lineage edges, optionally only those touching a table.
   *
   * @param query - `table` to filter by (either end)
   * @returns the edges
   */
  async listLineageEdges(query: { readonly table?: string } = {}): Promise<LineageEdge[]> {
    let q = this.#db.selectFrom('data_lineage').selectAll().orderBy('id');
    if (query.table) {
      const t = query.table.toLowerCase();
      q = q.where((eb) => eb.or([eb('source', '=', t), eb('target', '=', t)]));
    }
    return (await q.execute()).map(edgeFromRow);
  }

  /**
   * Adds a lineage edge that no task declares (provenance `manual` or `observed`), rejecting
   * edges that close a cycle.
   *
   * @param input - source, target, provenance, column pairs
   * @returns the stored edge
   * @throws {@link SdkError} `UNKNOWN_TABLES`, `CYCLE_DETECTED`, `CONFLICT`
   */
  async addLineageEdge(input: LineageEdgeInput): Promise<LineageEdge> {
    const data = parse(LineageEdgeInputSchema, 'lineage edge', input);
    try {
      return await this.#db.transaction().execute(async (trx) => {
        await this.#lockLineage(trx);
        await this.#ensureTables(trx, [data.source], [data.target], {});
        if (data.source === data.target) {
          throw new SdkError('CYCLE_DETECTED', `sdk: edge ${data.source} -> itself is a cycle`, {
            details: { cycle: [data.source, data.source] },
          });
        }
        await this.#rejectCycle(trx, -1, [data.source], [data.target]);
        const r = await trx
          .insertInto('data_lineage')
          .values({
            source: data.source,
            target: data.target,
            task_id: 0,
            provenance: data.provenance,
            columns_json: JSON.stringify(data.columns),
            created_at: this.#now(),
          })
          .executeTakeFirst();
        const row = await trx
          .selectFrom('data_lineage')
          .selectAll()
          .where('id', '=', Number(r.insertId))
          .executeTakeFirstOrThrow();
        return edgeFromRow(row);
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new SdkError('CONFLICT', `sdk: edge ${data.source} -> ${data.target} exists`, {
          cause: err,
        });
      }
      throw storageError('addLineageEdge', err);
    }
  }

  /**
   * Removes a manual or observed lineage edge (task edges change with their task).
   *
   * @param id - edge id
   * @throws {@link SdkError} `NOT_FOUND`, `INVALID_STATE` for an edge owned by a task
   */
  async removeLineageEdge(id: number): Promise<void> {
    const row = await this.#db
      .selectFrom('data_lineage')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new SdkError('NOT_FOUND', `sdk: lineage edge ${id} not found`);
    if (Number(row.task_id) !== 0) {
      throw new SdkError(
        'INVALID_STATE',
        `sdk: edge ${id} belongs to task ${row.task_id}; edit the task`,
      );
    }
    await this.#db.transaction().execute(async (trx) => {
      await this.#lockLineage(trx);
      await trx.deleteFrom('data_lineage').where('id', '=', id).execute();
    });
  }

  /**
   * Reads the whole lineage graph: tables (with layer, owner, status) and edges, plus the
   * tasks the edges belong to. Feed it to `@dataportal/lineage` for queries.
   *
   * @returns the snapshot
   */
  async lineageSnapshot(): Promise<LineageSnapshot> {
    const [tables, edges, tasks] = await Promise.all([
      this.#db
        .selectFrom('data_table')
        .select(['qualified_name', 'layer', 'owner', 'status'])
        .execute(),
      this.#db.selectFrom('data_lineage').selectAll().orderBy('id').execute(),
      this.#db.selectFrom('data_task').select(['id', 'name', 'owner']).execute(),
    ]);
    const nodes = new Map<string, LineageSnapshot['nodes'][number]>();
    for (const t of tables) {
      nodes.set(t.qualified_name, {
        id: t.qualified_name,
        layer: t.layer as Layer,
        owner: t.owner,
        status: t.status as TableStatus,
      });
    }
    const mapped = edges.map(edgeFromRow);
    for (const e of mapped) {
      for (const n of [e.source, e.target]) {
        if (!nodes.has(n)) nodes.set(n, { id: n, layer: null, owner: null, status: null });
      }
    }
    return {
      nodes: [...nodes.values()],
      edges: mapped,
      tasks: new Map(tasks.map((t) => [Number(t.id), { name: t.name, owner: t.owner }])),
    };
  }

  /**
   * The lineage graph as a `@dataportal/lineage` {@link LineageGraph} (tables with layer,
   * owner and kind; edges with task name, provenance and column pairs), ready for upstream,
   * downstream, impact, path, cycle and layer-rule queries in microseconds.
   *
   * The graph is cached and rebuilt only when the stored graph changed (any process writing to
   * the same store bumps a stamp that one primary-key read checks). The returned graph is
   * shared: clone it before changing it.
   *
   * @returns the graph
   * @example
   * ```ts
   * import { downstream } from '@dataportal/lineage';
   * const graph = await portal.lineageGraph();
   * console.log(downstream(graph, 'ods.orders', { depth: 3 }).nodes);
   * ```
   */
  async lineageGraph(): Promise<LineageGraph> {
    const stampRow = await this.#db
      .selectFrom('dp_lock')
      .select('touched_at')
      .where('name', '=', 'lineage')
      .executeTakeFirst();
    const stamp = Number(stampRow?.touched_at ?? 0);
    if (this.#graph && this.#graph.stamp === stamp) return this.#graph.graph;
    const pending = this.#graphLoad?.stamp === stamp ? this.#graphLoad.promise : null;
    if (pending) return pending;
    const promise = (async () => {
      const snap = await this.lineageSnapshot();
      const graph = LineageGraph.fromEdges(
        snap.edges.map((e) => {
          const task = e.taskId === null ? undefined : snap.tasks.get(e.taskId)?.name;
          return {
            source: e.source,
            target: e.target,
            provenance: e.provenance,
            ...(task === undefined ? {} : { task }),
            ...(e.columns.length > 0 ? { columns: e.columns } : {}),
          };
        }),
        snap.nodes.map((n) => ({
          id: n.id,
          kind: 'table',
          ...(n.layer === null ? {} : { layer: n.layer }),
          ...(n.owner === null ? {} : { owner: n.owner }),
        })),
      );
      this.#graph = { stamp, graph };
      return graph;
    })();
    this.#graphLoad = { stamp, promise };
    try {
      return await promise;
    } finally {
      if (this.#graphLoad?.promise === promise) this.#graphLoad = null;
    }
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
    const dialect = options.dialect ?? (task.taskType === 'stream' ? 'flink' : this.#sqlDialect);
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
    const parsed = await analyzeSql(task.sql, { dialect });
    const inputs = parsed.inputs.map((t) => t.toLowerCase());
    const outputs = parsed.outputs.map((t) => t.toLowerCase());
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

  // ---------------------------------------------------------------- executions

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
    if (!this.#knownTasks.has(data.taskId)) {
      const task = await this.#db
        .selectFrom('data_task')
        .select('id')
        .where('id', '=', data.taskId)
        .executeTakeFirst();
      if (!task) throw new SdkError('NOT_FOUND', `sdk: task ${data.taskId} not found`);
      this.#knownTasks.add(data.taskId);
    }
    // Fast path: most reports are the first for their run, so try a plain insert; the unique
    // key on (task, engine, external run id) turns a duplicate into the merge path below.
    const now = this.#now();
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
      const r = await this.#db.insertInto('task_execution_log').values(row).executeTakeFirst();
      return { execution: executionFromRow({ id: Number(r.insertId), ...row }), changed: true };
    } catch (err) {
      if (!isUniqueViolation(err)) throw storageError('recordExecution', err);
    }
    // Concurrent duplicates can still race inside the merge (deadlock on MySQL gap locks);
    // the retry then merges into the winner's row.
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#db.transaction().execute((trx) => this.#mergeExecution(trx, data));
      } catch (err) {
        if (attempt < 3 && (isUniqueViolation(err) || isDeadlock(err))) continue;
        throw storageError('recordExecution', err);
      }
    }
  }

  async #mergeExecution(
    trx: Kysely<Database>,
    data: z.output<typeof ExecutionInputSchema>,
  ): Promise<RecordExecutionResult> {
    const now = this.#now();
    const existing = await trx
      .selectFrom('task_execution_log')
      .selectAll()
      .where('task_id', '=', data.taskId)
      .where('engine', '=', data.engine)
      .where('external_run_id', '=', data.externalRunId)
      .$if(this.#store.dialect === 'mysql', (q) => q.forUpdate())
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
      return { execution: executionFromRow(row), changed: true };
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
    if (!changed) return { execution: cur, changed: false };
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
    return { execution: executionFromRow(row), changed: true };
  }

  /**
   * Reads one execution.
   *
   * @param id - execution id
   * @returns the execution
   * @throws {@link SdkError} `NOT_FOUND`
   */
  async getExecution(id: number): Promise<Execution> {
    const row = await this.#db
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
    let q = this.#db
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
    const task = await this.getTask(ref);
    let q = this.#db
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

  // ---------------------------------------------------------------- engines

  #batchFor(task: Task): BatchEngine {
    if (task.taskType !== 'batch') {
      throw new SdkError('INVALID_STATE', `sdk: task ${task.name} is a stream task`);
    }
    const engine = this.#batch[task.engine as 'dolphin' | 'local'];
    if (!engine) {
      throw new SdkError(
        'ENGINE_NOT_CONFIGURED',
        `sdk: no ${task.engine} engine is configured for task ${task.name}`,
        { details: { engine: task.engine } },
      );
    }
    return engine;
  }

  #streamFor(task: Task): StreamEngine {
    if (task.taskType !== 'stream') {
      throw new SdkError('INVALID_STATE', `sdk: task ${task.name} is a batch task`);
    }
    const engine = this.#stream.dinky;
    if (!engine) {
      throw new SdkError(
        'ENGINE_NOT_CONFIGURED',
        `sdk: no ${task.engine} engine is configured for stream task ${task.name}`,
        { details: { engine: task.engine } },
      );
    }
    return engine;
  }

  async #saveEngineState(
    task: Task,
    state: { engineRef?: EngineRef | null; status?: TaskStatus; lastError?: string | null },
  ): Promise<Task> {
    // Engine state follows the engine, not the editor: it is written without a version check
    // but still bumps the version so a concurrent editor learns the task changed.
    const changes: Record<string, unknown> = { updated_at: this.#now() };
    if (state.engineRef !== undefined) {
      changes['engine_ref_json'] =
        state.engineRef === null ? null : JSON.stringify(state.engineRef);
    }
    if (state.status !== undefined) changes['status'] = state.status;
    if (state.lastError !== undefined) changes['last_error'] = state.lastError;
    await this.#db
      .updateTable('data_task')
      .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
      .where('id', '=', task.id)
      .execute();
    return this.getTask(task.id);
  }

  /**
   * Publishes one task to its engine (batch: DolphinScheduler or local; stream: Dinky) and
   * stores the engine reference. A failed publish records the engine's message, sets status
   * `failed` and keeps the previous reference, so publishing again retries.
   *
   * @param ref - task id or name
   * @param options - online (default true), autoStart
   * @returns the task with its engine reference and status
   * @throws {@link SdkError} `ENGINE_NOT_CONFIGURED`, `ENGINE_FAILED`
   */
  async publishTask(ref: EntityRef, options: PublishOptions = {}): Promise<Task> {
    const task = await this.getTask(ref);
    if (task.taskType === 'stream') return this.#publishStream(task, options);
    return this.publishTasks([task.id], { ...options, unitName: options.unitName ?? task.name });
  }

  async #publishStream(task: Task, options: PublishOptions): Promise<Task> {
    const engine = this.#streamFor(task);
    return this.#publishLock.run(`task:${task.id}`, async () => {
      const fresh = await this.getTask(task.id);
      let ref: EngineRef = fresh.engineRef ?? {};
      try {
        if (engine.publish) ref = await engine.publish(fresh);
      } catch (err) {
        await this.#saveEngineState(fresh, { status: 'failed', lastError: errorText(err) });
        throw engineError(`publish ${fresh.name}`, err);
      }
      let saved = await this.#saveEngineState(fresh, {
        engineRef: ref,
        status: 'published',
        lastError: null,
      });
      if (options.autoStart) {
        await this.startStream(saved.id);
        saved = await this.getTask(saved.id);
      }
      return saved;
    });
  }

  /**
   * Publishes batch tasks together as one engine unit (one DolphinScheduler workflow), with
   * task order derived from lineage (a task that reads another's output runs after it) and
   * dependencies on tasks published in other units passed to the engine.
   *
   * @param refs - task ids or names (same batch engine)
   * @param options - unit name, online, autoStart
   * @returns the first task of the unit after publishing
   */
  async publishTasks(refs: readonly EntityRef[], options: PublishOptions = {}): Promise<Task> {
    if (refs.length === 0) {
      throw new SdkError('VALIDATION_FAILED', 'sdk: publishTasks needs at least one task');
    }
    const tasks = await Promise.all(refs.map((r) => this.getTask(r)));
    const first = tasks[0] as Task;
    const engine = this.#batchFor(first);
    for (const t of tasks) {
      if (t.taskType !== 'batch' || t.engine !== first.engine) {
        throw new SdkError(
          'VALIDATION_FAILED',
          `sdk: task ${t.name} is not a ${first.engine} batch task; a unit has one engine`,
        );
      }
    }
    const unitName = options.unitName ?? first.name;
    const online = options.online ?? true;
    return this.#publishLock.run(`unit:${first.engine}:${unitName}`, async () => {
      const fresh = await Promise.all(tasks.map((t) => this.getTask(t.id)));
      const { dependencies, external } = await this.#unitDependencies(fresh);
      let result: Awaited<ReturnType<BatchEngine['publish']>>;
      try {
        result = await engine.publish({
          unitName,
          tasks: fresh,
          dependencies,
          external,
          schedule: fresh.find((t) => t.schedule)?.schedule ?? null,
          online,
        });
      } catch (err) {
        for (const t of fresh) {
          await this.#saveEngineState(t, { status: 'failed', lastError: errorText(err) });
        }
        throw engineError(`publish ${unitName}`, err);
      }
      for (const t of fresh) {
        await this.#saveEngineState(t, {
          engineRef: result.refs.get(t.id) ?? t.engineRef,
          status: result.online ? 'online' : 'published',
          lastError: null,
        });
      }
      if (options.autoStart) await this.triggerTask(first.id);
      return this.getTask(first.id);
    });
  }

  async #unitDependencies(
    tasks: readonly Task[],
  ): Promise<{ dependencies: TaskDependency[]; external: ExternalDependency[] }> {
    const inUnit = new Map<string, Task[]>();
    for (const t of tasks) {
      for (const o of t.outputs) inUnit.set(o, [...(inUnit.get(o) ?? []), t]);
    }
    const dependencies: TaskDependency[] = [];
    const external: ExternalDependency[] = [];
    const seen = new Set<string>();
    const ids = new Set(tasks.map((t) => t.id));
    for (const t of tasks) {
      const outside: string[] = [];
      for (const input of t.inputs) {
        const producers = inUnit.get(input);
        if (producers) {
          for (const p of producers) {
            const key = `${p.id}>${t.id}`;
            if (p.id !== t.id && !seen.has(key)) {
              seen.add(key);
              dependencies.push({ upstream: p.id, downstream: t.id });
            }
          }
        } else outside.push(input);
      }
      if (outside.length === 0) continue;
      const producers = await this.#db
        .selectFrom('data_lineage')
        .innerJoin('data_task', 'data_task.id', 'data_lineage.task_id')
        .selectAll('data_task')
        .where('data_lineage.target', 'in', outside)
        .where('data_task.engine', '=', t.engine)
        .where('data_task.engine_ref_json', 'is not', null)
        .execute();
      const added = new Set<number>();
      for (const row of producers) {
        const p = taskFromRow(row);
        if (ids.has(p.id) || added.has(p.id)) continue;
        added.add(p.id);
        external.push({ task: t.id, dependsOn: p });
      }
    }
    return { dependencies, external };
  }

  /**
   * Marks a published task `failed` with the engine's message, as the stream poller does when a
   * job dies; starting or restarting it (or publishing again) brings it back.
   *
   * @param ref - task id or name
   * @param message - what the engine said, if anything
   * @returns the updated task
   */
  async reportTaskFailure(ref: EntityRef, message: string | null): Promise<Task> {
    const task = await this.getTask(ref);
    return this.#saveEngineState(task, { status: 'failed', lastError: message });
  }

  /**
   * Takes a published task online or offline on its engine (batch: workflow and schedule).
   *
   * @param ref - task id or name
   * @param online - true for online
   * @returns the updated task
   */
  async setTaskOnline(ref: EntityRef, online: boolean): Promise<Task> {
    const task = await this.getTask(ref);
    if (!task.engineRef) {
      throw new SdkError(
        'INVALID_STATE',
        `sdk: task ${task.name} is not published; publish it first`,
      );
    }
    if (task.taskType === 'stream') {
      if (!online) await this.stopStream(task.id);
      else await this.startStream(task.id);
      return this.getTask(task.id);
    }
    const engine = this.#batchFor(task);
    let ref2: EngineRef;
    try {
      ref2 = await engine.setOnline(task, online);
    } catch (err) {
      throw engineError(`${online ? 'online' : 'offline'} ${task.name}`, err);
    }
    return this.#saveEngineState(task, { engineRef: ref2, status: online ? 'online' : 'offline' });
  }

  /**
   * Removes a task's unit from its engine and forgets the engine reference (status `draft`).
   *
   * @param ref - task id or name
   * @returns the updated task
   */
  async unpublishTask(ref: EntityRef): Promise<Task> {
    const task = await this.getTask(ref);
    if (!task.engineRef) return task;
    if (task.taskType === 'batch') {
      const engine = this.#batchFor(task);
      try {
        if (engine.unpublish) await engine.unpublish(task);
        else await engine.setOnline(task, false);
      } catch (err) {
        throw engineError(`unpublish ${task.name}`, err);
      }
    } else {
      const status = await this.streamStatus(task.id);
      if (status.state === 'running' || status.state === 'starting') await this.stopStream(task.id);
    }
    return this.#saveEngineState(task, { engineRef: null, status: 'draft', lastError: null });
  }

  /**
   * Starts a run of a published batch task now and records it as SUBMITTED.
   *
   * @param ref - task id or name
   * @returns the recorded execution
   * @throws {@link SdkError} `INVALID_STATE` when not published, `ENGINE_FAILED`
   */
  async triggerTask(ref: EntityRef): Promise<Execution> {
    const task = await this.getTask(ref);
    if (task.taskType === 'stream') {
      await this.startStream(task.id);
      const runs = await this.listExecutions({ taskId: task.id, limit: 1 });
      const latest = runs.items[0];
      if (!latest)
        throw new SdkError('ENGINE_FAILED', `sdk: start of ${task.name} recorded no run`);
      return latest;
    }
    const engine = this.#batchFor(task);
    if (!task.engineRef) {
      throw new SdkError(
        'INVALID_STATE',
        `sdk: task ${task.name} is not published; publish it first`,
      );
    }
    let run: { externalRunId: string };
    try {
      run = await engine.trigger(task);
    } catch (err) {
      throw engineError(`trigger ${task.name}`, err);
    }
    const { execution } = await this.recordExecution({
      taskId: task.id,
      engine: task.engine,
      externalRunId: run.externalRunId,
      status: 'SUBMITTED',
      startTime: new Date(this.#now()),
    });
    return execution;
  }

  /**
   * Asks the engine for the current state of a recorded run and records it.
   *
   * @param executionId - execution id
   * @returns the execution after the refresh
   */
  async refreshExecution(executionId: number): Promise<Execution> {
    const exec = await this.getExecution(executionId);
    const task = await this.getTask(exec.taskId);
    if (task.taskType !== 'batch' || TERMINAL_STATUSES.includes(exec.status)) return exec;
    const engine = this.#batchFor(task);
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
    const task = await this.getTask(exec.taskId);
    if (task.taskType !== 'batch') {
      return { text: exec.message ?? '', nextOffset: 0, complete: true };
    }
    const engine = this.#batchFor(task);
    try {
      return await engine.getLog(task, exec.externalRunId, page);
    } catch (err) {
      throw engineError(`read log of run ${exec.externalRunId}`, err);
    }
  }

  /**
   * Starts a published stream task's job (publishing first when the engine needs it) and
   * records the run.
   *
   * @param ref - task id or name
   * @returns the job status right after the start
   */
  async startStream(ref: EntityRef): Promise<StreamStatus> {
    const task = await this.getTask(ref);
    const engine = this.#streamFor(task);
    let start: Awaited<ReturnType<StreamEngine['start']>>;
    try {
      start = await engine.start(task);
    } catch (err) {
      throw engineError(`start ${task.name}`, err);
    }
    const saved = await this.#saveEngineState(task, {
      engineRef: start.engineRef,
      status: 'online',
      lastError: null,
    });
    await this.recordExecution({
      taskId: task.id,
      engine: task.engine,
      externalRunId: start.externalRunId,
      status: 'SUBMITTED',
      startTime: new Date(this.#now()),
    });
    return this.#streamStatusOf(engine, saved);
  }

  /**
   * Stops a stream task's job, optionally with a savepoint, and records the run as KILLED.
   *
   * @param ref - task id or name
   * @param options - `savepoint: true` to take one
   * @returns the job status after the stop
   */
  async stopStream(
    ref: EntityRef,
    options: { readonly savepoint?: boolean } = {},
  ): Promise<StreamStatus> {
    const task = await this.getTask(ref);
    const engine = this.#streamFor(task);
    let status: StreamStatus;
    try {
      status = await engine.stop(
        task,
        options.savepoint === undefined ? {} : { savepoint: options.savepoint },
      );
    } catch (err) {
      throw engineError(`stop ${task.name}`, err);
    }
    if (status.externalRunId) {
      await this.recordExecution({
        taskId: task.id,
        engine: task.engine,
        externalRunId: status.externalRunId,
        status:
          status.state === 'failed' ? 'FAILED' : status.state === 'finished' ? 'SUCCESS' : 'KILLED',
        endTime: new Date(this.#now()),
        message: status.lastError,
      });
    }
    await this.#saveEngineState(task, { status: 'offline' });
    return status;
  }

  /**
   * Restarts a stream task's job (when the engine can) and records the new run.
   *
   * @param ref - task id or name
   * @returns the job status after the restart
   */
  async restartStream(ref: EntityRef): Promise<StreamStatus> {
    const task = await this.getTask(ref);
    const engine = this.#streamFor(task);
    if (!engine.restart) {
      await this.stopStream(task.id);
      return this.startStream(task.id);
    }
    let start: Awaited<ReturnType<NonNullable<StreamEngine['restart']>>>;
    try {
      start = await engine.restart(task);
    } catch (err) {
      throw engineError(`restart ${task.name}`, err);
    }
    const saved = await this.#saveEngineState(task, {
      engineRef: start.engineRef,
      status: 'online',
    });
    await this.recordExecution({
      taskId: task.id,
      engine: task.engine,
      externalRunId: start.externalRunId,
      status: 'SUBMITTED',
      startTime: new Date(this.#now()),
    });
    return this.#streamStatusOf(engine, saved);
  }

  /**
   * Reads a stream task's job status from its engine.
   *
   * @param ref - task id or name
   * @returns state, uptime, throughput, last error
   */
  async streamStatus(ref: EntityRef): Promise<StreamStatus> {
    const task = await this.getTask(ref);
    return this.#streamStatusOf(this.#streamFor(task), task);
  }

  async #streamStatusOf(engine: StreamEngine, task: Task): Promise<StreamStatus> {
    try {
      return await engine.status(task);
    } catch (err) {
      throw engineError(`status of ${task.name}`, err);
    }
  }
}

// '!' rather than backslash: it needs no escaping in either MySQL or SQLite string literals.
function likePrefix(prefix: string): string {
  return `${prefix.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

function crossEdges(
  inputs: readonly string[],
  outputs: readonly string[],
): { source: string; target: string }[] {
  const edges: { source: string; target: string }[] = [];
  for (const source of new Set(inputs)) {
    for (const target of new Set(outputs)) edges.push({ source, target });
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

function errorText(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.length > 2000 ? `${msg.slice(0, 2000)}…` : msg;
}

function engineError(what: string, err: unknown): SdkError {
  if (err instanceof SdkError) return err;
  return new SdkError('ENGINE_FAILED', `sdk: ${what} failed: ${errorText(err)}`, { cause: err });
}
