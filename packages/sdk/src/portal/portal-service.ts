import type { LineageGraph, SqlDialect } from '@dataportal/lineage';
import type { BatchEngine, EngineLog } from '../engine/batch-engine.js';
import type { StreamEngine, StreamStatus } from '../engine/stream-engine.js';
import type { Actor } from '../identity/roles.js';
import type { Datasource, DatasourceInput } from '../models/datasource.js';
import type { Execution, ExecutionInput, ExecutionStats } from '../models/execution.js';
import type {
  LineageEdge,
  LineageEdgeInput,
  LineageEdgeVersion,
  LineageHistoryDiff,
  TaskLineageDrift,
} from '../models/lineage-edge.js';
import type { StreamHistory } from '../models/stream-sample.js';
import type {
  Field,
  FieldInput,
  Table,
  TableDrift,
  TableInput,
  TablePatch,
} from '../models/table.js';
import type { EngineName, Task, TaskInput, TaskPatch } from '../models/task.js';
import type { Store } from '../storage/store.js';
import { CatalogService, type ListTablesQuery } from './catalog.js';
import {
  type BatchEngines,
  createContext,
  type EntityRef,
  type ExecutionListener,
  type Page,
  type PortalContext,
  type StreamEngines,
} from './context.js';
import type { TaskWriteOptions } from './graph-guard.js';
import { LineageService, type LineageSnapshot, type LineageTask } from './lineage.js';
import { type LineageAsOfQuery, LineageHistoryService } from './lineage-history.js';
import { PublishingService, type PublishOptions } from './publishing.js';
import { type ListExecutionsQuery, type RecordExecutionResult, RunService } from './runs.js';
import { StreamHistoryService, type StreamSampleInput } from './stream-history.js';
import type { TableNameScope } from './table-names.js';
import { type ListTasksQuery, type TaskLineageCheck, TaskService } from './tasks.js';

/** Configuration of a {@link PortalService}. */
export interface PortalServiceConfig {
  /** The open store (see `openStore`). */
  readonly store: Store;
  /** Batch engines by name; tasks on an absent engine fail with ENGINE_NOT_CONFIGURED. */
  readonly batchEngines?: BatchEngines;
  /** Stream engines by name. */
  readonly streamEngines?: StreamEngines;
  /** Clock in epoch milliseconds (tests inject one). Defaults to `Date.now`. */
  readonly now?: () => number;
  /** SQL dialect of batch task SQL, for lineage checks. Defaults to `doris`. */
  readonly sqlDialect?: SqlDialect;
  /**
   * Read column lineage from each task's SQL when it is written (composed through the whole
   * script: temp tables, CTEs, views) and store the column pairs on its declared edges, so the
   * lineage routes can answer at column level. Costs one SQL analysis per task write. Defaults
   * to false.
   */
  readonly columnLineage?: boolean;
}

/**
 * The portal: one entry point over a store and the configured engines. Its use cases live in
 * one module per concern, each reachable as a property and each method also callable on the
 * portal itself (the names every caller already uses):
 *
 * - {@link PortalService.catalog | catalog}: tables, fields, datasources, metadata sync results
 * - {@link PortalService.tasks | tasks}: task definitions and their lineage checks
 * - {@link PortalService.lineage | lineage}: edges, the graph snapshot and the cached graph
 * - {@link PortalService.runs | runs}: executions, statistics, run state and logs
 * - {@link PortalService.publishing | publishing}: batch and stream engines
 *
 * Every multi-row write is one transaction.
 *
 * @example
 * ```ts
 * const store = await openStore({ url: 'sqlite::memory:', migrate: true });
 * const portal = new PortalService({ store });
 * await portal.registerTable({ qualifiedName: 'ods.orders', layer: 'ODS' });
 * await portal.catalog.registerTable({ qualifiedName: 'dwd.orders', layer: 'DWD' });
 * await portal.createTask({
 *   name: 'dwd_orders', taskType: 'batch', engine: 'local',
 *   sql: 'INSERT INTO dwd.orders SELECT * FROM ods.orders',
 *   inputs: ['ods.orders'], outputs: ['dwd.orders'],
 * });
 * console.log(await portal.listLineageEdges()); // [{ source: 'ods.orders', target: 'dwd.orders', … }]
 * ```
 */
export class PortalService {
  /** Tables, fields, datasources and metadata sync results. */
  readonly catalog: CatalogService;
  /** Task definitions and their lineage checks. */
  readonly tasks: TaskService;
  /** Lineage edges, the graph snapshot and the cached graph. */
  readonly lineage: LineageService;
  /** Lineage through time: as-of reads, diffs between instants, declared/parsed/observed drift. */
  readonly lineageHistory: LineageHistoryService;
  /** Executions, statistics, run state and logs. */
  readonly runs: RunService;
  /** Publishing to batch and stream engines. */
  readonly publishing: PublishingService;
  /** Stream status samples and history (throughput sparkline, run changes). */
  readonly streamHistoryService: StreamHistoryService;
  readonly #ctx: PortalContext;

  /**
   * @param config - store, engines and clock
   * @param shared - internal: the context a view made by {@link PortalService.as} shares
   */
  constructor(config: PortalServiceConfig, shared?: { readonly context: unknown }) {
    // `shared` is how `as()` builds a view over this portal's context; callers never pass it.
    this.#ctx = (shared?.context as PortalContext | undefined) ?? createContext(config);
    this.catalog = new CatalogService(this.#ctx);
    this.tasks = new TaskService(this.#ctx);
    this.lineage = new LineageService(this.#ctx);
    this.lineageHistory = new LineageHistoryService(this.#ctx, this.tasks);
    this.runs = new RunService(this.#ctx);
    this.publishing = new PublishingService(this.#ctx, this.runs);
    this.streamHistoryService = new StreamHistoryService(this.#ctx);
  }

  /**
   * The same portal acting as `actor`: every write checks the actor's role and ownership
   * (`FORBIDDEN` otherwise) and appends an audit row naming them. Engines, locks and caches are
   * shared with this portal. Without `as`, writes act as `SYSTEM_ACTOR`.
   *
   * @param actor - who performs the writes (name, role, and the request id and address when any)
   * @returns a portal whose writes act as `actor`
   * @example
   * ```ts
   * const ann = portal.as({ name: 'ann', role: 'developer' });
   * await ann.createTask({ … }); // owned by ann, audited as ann
   * await ann.deleteTask('someone_elses_task'); // throws FORBIDDEN
   * ```
   */
  as(actor: Actor): PortalService {
    return new PortalService(
      { store: this.#ctx.store },
      { context: { ...this.#ctx, actor: Object.freeze({ ...actor }) } as PortalContext },
    );
  }

  /** The portal's actor (see {@link PortalService.as}). */
  get actor(): Actor {
    return this.#ctx.actor;
  }

  /** The store this service writes to. */
  get store(): Store {
    return this.#ctx.store;
  }

  /** Names of the engines configured in this portal. */
  get engines(): EngineName[] {
    const names: EngineName[] = [];
    if (this.#ctx.batch.dolphin) names.push('dolphin');
    if (this.#ctx.batch.local) names.push('local');
    if (this.#ctx.stream.dinky) names.push('dinky');
    return names;
  }

  /**
   * The configured batch engine by name, if any.
   *
   * @param name - `dolphin` or `local`
   * @returns the engine or undefined
   */
  batchEngine(name: 'dolphin' | 'local'): BatchEngine | undefined {
    return this.#ctx.batch[name];
  }

  /**
   * The configured stream engine by name, if any.
   *
   * @param name - `dinky`
   * @returns the engine or undefined
   */
  streamEngine(name: 'dinky'): StreamEngine | undefined {
    return this.#ctx.stream[name];
  }

  // The methods below delegate to the modules above, so that `portal.registerTable(…)` and
  // `portal.catalog.registerTable(…)` are the same call.

  /** {@inheritDoc CatalogService.registerTable} */
  registerTable(input: TableInput): Promise<Table> {
    return this.catalog.registerTable(input);
  }

  /** {@inheritDoc CatalogService.getTable} */
  getTable(ref: EntityRef, scope: TableNameScope = {}): Promise<Table> {
    return this.catalog.getTable(ref, scope);
  }

  /** {@inheritDoc CatalogService.findTable} */
  findTable(ref: EntityRef, scope: TableNameScope = {}): Promise<Table | null> {
    return this.catalog.findTable(ref, scope);
  }

  /** {@inheritDoc CatalogService.resolveTableNames} */
  resolveTableNames(
    names: readonly string[],
    scope: TableNameScope = {},
  ): Promise<Map<string, string | null>> {
    return this.catalog.resolveTableNames(names, scope);
  }

  /** {@inheritDoc CatalogService.listTables} */
  listTables(query: ListTablesQuery = {}): Promise<Page<Table>> {
    return this.catalog.listTables(query);
  }

  /** {@inheritDoc CatalogService.updateTable} */
  updateTable(ref: EntityRef, patch: TablePatch): Promise<Table> {
    return this.catalog.updateTable(ref, patch);
  }

  /** {@inheritDoc CatalogService.deprecateTable} */
  deprecateTable(ref: EntityRef, version?: number): Promise<Table> {
    return this.catalog.deprecateTable(ref, version);
  }

  /** {@inheritDoc CatalogService.setFields} */
  setFields(ref: EntityRef, fields: readonly FieldInput[]): Promise<Field[]> {
    return this.catalog.setFields(ref, fields);
  }

  /** {@inheritDoc CatalogService.getFields} */
  getFields(ref: EntityRef): Promise<Field[]> {
    return this.catalog.getFields(ref);
  }

  /** {@inheritDoc CatalogService.recordTableSync} */
  recordTableSync(
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
    return this.catalog.recordTableSync(ref, sync);
  }

  /** {@inheritDoc CatalogService.createDatasource} */
  createDatasource(input: DatasourceInput): Promise<Datasource> {
    return this.catalog.createDatasource(input);
  }

  /** {@inheritDoc CatalogService.getDatasource} */
  getDatasource(ref: EntityRef): Promise<Datasource> {
    return this.catalog.getDatasource(ref);
  }

  /** {@inheritDoc CatalogService.listDatasources} */
  listDatasources(): Promise<Datasource[]> {
    return this.catalog.listDatasources();
  }

  /** {@inheritDoc CatalogService.updateDatasource} */
  updateDatasource(
    ref: EntityRef,
    input: DatasourceInput & { readonly version?: number },
  ): Promise<Datasource> {
    return this.catalog.updateDatasource(ref, input);
  }

  /** {@inheritDoc CatalogService.deleteDatasource} */
  deleteDatasource(ref: EntityRef): Promise<void> {
    return this.catalog.deleteDatasource(ref);
  }

  /** {@inheritDoc TaskService.createTask} */
  createTask(input: TaskInput, options: TaskWriteOptions = {}): Promise<Task> {
    return this.tasks.createTask(input, options);
  }

  /** {@inheritDoc TaskService.getTask} */
  getTask(ref: EntityRef): Promise<Task> {
    return this.tasks.getTask(ref);
  }

  /** {@inheritDoc TaskService.listTasks} */
  listTasks(query: ListTasksQuery = {}): Promise<Page<Task>> {
    return this.tasks.listTasks(query);
  }

  /** {@inheritDoc TaskService.updateTask} */
  updateTask(ref: EntityRef, patch: TaskPatch, options: TaskWriteOptions = {}): Promise<Task> {
    return this.tasks.updateTask(ref, patch, options);
  }

  /** {@inheritDoc TaskService.deleteTask} */
  deleteTask(ref: EntityRef, version?: number): Promise<void> {
    return this.tasks.deleteTask(ref, version);
  }

  /** {@inheritDoc TaskService.checkTaskLineage} */
  checkTaskLineage(
    ref: EntityRef,
    options: { readonly dialect?: SqlDialect } = {},
  ): Promise<TaskLineageCheck> {
    return this.tasks.checkTaskLineage(ref, options);
  }

  /** {@inheritDoc LineageService.listLineageEdges} */
  listLineageEdges(query: { readonly table?: string } = {}): Promise<LineageEdge[]> {
    return this.lineage.listLineageEdges(query);
  }

  /** {@inheritDoc LineageService.addLineageEdge} */
  addLineageEdge(input: LineageEdgeInput): Promise<LineageEdge> {
    return this.lineage.addLineageEdge(input);
  }

  /** {@inheritDoc LineageService.removeLineageEdge} */
  removeLineageEdge(id: number): Promise<void> {
    return this.lineage.removeLineageEdge(id);
  }

  /** {@inheritDoc LineageService.lineageSnapshot} */
  lineageSnapshot(): Promise<LineageSnapshot> {
    return this.lineage.lineageSnapshot();
  }

  /** {@inheritDoc LineageService.lineageTasks} */
  lineageTasks(): Promise<ReadonlyMap<string, LineageTask>> {
    return this.lineage.lineageTasks();
  }

  /** {@inheritDoc LineageService.lineageGraph} */
  lineageGraph(): Promise<LineageGraph> {
    return this.lineage.lineageGraph();
  }

  /** {@inheritDoc LineageHistoryService.lineageAsOf} */
  lineageAsOf(query: LineageAsOfQuery): Promise<LineageEdgeVersion[]> {
    return this.lineageHistory.lineageAsOf(query);
  }

  /** {@inheritDoc LineageHistoryService.lineageGraphAsOf} */
  lineageGraphAsOf(asOf: Date): Promise<LineageGraph> {
    return this.lineageHistory.lineageGraphAsOf(asOf);
  }

  /** {@inheritDoc LineageHistoryService.lineageDiff} */
  lineageDiff(from: Date, to: Date): Promise<LineageHistoryDiff> {
    return this.lineageHistory.lineageDiff(from, to);
  }

  /** {@inheritDoc LineageHistoryService.lineageDrift} */
  lineageDrift(ref: EntityRef): Promise<TaskLineageDrift> {
    return this.lineageHistory.lineageDrift(ref);
  }

  /** {@inheritDoc RunService.onExecutionChange} */
  onExecutionChange(listener: ExecutionListener): () => void {
    return this.runs.onExecutionChange(listener);
  }

  /** {@inheritDoc RunService.recordExecution} */
  recordExecution(input: ExecutionInput): Promise<RecordExecutionResult> {
    return this.runs.recordExecution(input);
  }

  /** {@inheritDoc RunService.getExecution} */
  getExecution(id: number): Promise<Execution> {
    return this.runs.getExecution(id);
  }

  /** {@inheritDoc RunService.listExecutions} */
  listExecutions(query: ListExecutionsQuery = {}): Promise<Page<Execution>> {
    return this.runs.listExecutions(query);
  }

  /** {@inheritDoc RunService.executionStats} */
  executionStats(
    ref: EntityRef,
    options: { readonly since?: Date; readonly window?: number } = {},
  ): Promise<ExecutionStats> {
    return this.runs.executionStats(ref, options);
  }

  /** {@inheritDoc RunService.refreshExecution} */
  refreshExecution(executionId: number): Promise<Execution> {
    return this.runs.refreshExecution(executionId);
  }

  /** {@inheritDoc RunService.getExecutionLog} */
  getExecutionLog(
    executionId: number,
    page: { readonly offset?: number; readonly limit?: number } = {},
  ): Promise<EngineLog> {
    return this.runs.getExecutionLog(executionId, page);
  }

  /** {@inheritDoc PublishingService.publishTask} */
  publishTask(ref: EntityRef, options: PublishOptions = {}): Promise<Task> {
    return this.publishing.publishTask(ref, options);
  }

  /** {@inheritDoc PublishingService.publishTasks} */
  publishTasks(refs: readonly EntityRef[], options: PublishOptions = {}): Promise<Task> {
    return this.publishing.publishTasks(refs, options);
  }

  /** {@inheritDoc PublishingService.reportTaskFailure} */
  reportTaskFailure(ref: EntityRef, message: string | null): Promise<Task> {
    return this.publishing.reportTaskFailure(ref, message);
  }

  /** {@inheritDoc PublishingService.setTaskOnline} */
  setTaskOnline(ref: EntityRef, online: boolean): Promise<Task> {
    return this.publishing.setTaskOnline(ref, online);
  }

  /** {@inheritDoc PublishingService.unpublishTask} */
  unpublishTask(ref: EntityRef): Promise<Task> {
    return this.publishing.unpublishTask(ref);
  }

  /** {@inheritDoc PublishingService.triggerTask} */
  triggerTask(ref: EntityRef): Promise<Execution> {
    return this.publishing.triggerTask(ref);
  }

  /** {@inheritDoc PublishingService.startStream} */
  startStream(ref: EntityRef): Promise<StreamStatus> {
    return this.publishing.startStream(ref);
  }

  /** {@inheritDoc PublishingService.stopStream} */
  stopStream(
    ref: EntityRef,
    options: { readonly savepoint?: boolean } = {},
  ): Promise<StreamStatus> {
    return this.publishing.stopStream(ref, options);
  }

  /** {@inheritDoc PublishingService.restartStream} */
  restartStream(ref: EntityRef): Promise<StreamStatus> {
    return this.publishing.restartStream(ref);
  }

  /** {@inheritDoc PublishingService.streamStatus} */
  streamStatus(ref: EntityRef): Promise<StreamStatus> {
    return this.publishing.streamStatus(ref);
  }

  /** {@inheritDoc StreamHistoryService.recordStreamSample} */
  recordStreamSample(input: StreamSampleInput): Promise<void> {
    return this.streamHistoryService.recordStreamSample(input);
  }

  /** {@inheritDoc StreamHistoryService.streamHistory} */
  streamHistory(
    ref: EntityRef,
    options: { readonly windowMs?: number } = {},
  ): Promise<StreamHistory> {
    return this.streamHistoryService.streamHistory(ref, options);
  }
}
