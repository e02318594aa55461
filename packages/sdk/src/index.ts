/**
 * `@dataportal/sdk`: the DataPortal domain models (zod schemas and types), storage on MySQL and
 * SQLite, the {@link PortalService} use cases, the engine contracts that adapters implement, and
 * the embedded local engine.
 *
 * @module
 */

export type {
  BatchEngine,
  BatchEngineCapabilities,
  EngineCallOptions,
  EngineLog,
  EngineRun,
  ExternalDependency,
  PublishRequest,
  PublishResult,
  TaskDependency,
} from './engine/batch-engine.js';
export {
  createLocalEngine,
  type LocalEngine,
  type LocalEngineConfig,
  type LocalWarehouse,
} from './engine/local-engine.js';
export {
  openMysqlWarehouse,
  openSqliteWarehouse,
  type SqliteWarehouse,
  type SqliteWarehouseOptions,
} from './engine/local-warehouse.js';
export { splitSqlStatements, substituteVariables } from './engine/sql-script.js';
export { assertTaskStatement } from './engine/statement-guard.js';
export type {
  StreamEngine,
  StreamEngineCapabilities,
  StreamStartResult,
  StreamState,
  StreamStatus,
} from './engine/stream-engine.js';
export {
  fromZodError,
  isSdkError,
  SDK_ERROR_CODES,
  SdkError,
  type SdkErrorCode,
  type SdkErrorOptions,
  type SdkIssue,
} from './errors.js';
export {
  type AuditEntry,
  type AuditInput,
  type AuditQuery,
  appendAudit,
  listAudit,
} from './identity/audit.js';
export {
  type ApiToken,
  type CreatedToken,
  type CreateTokenInput,
  generateToken,
  hashToken,
  IdentityService,
  type IdentityServiceOptions,
  TOKEN_PREFIX,
  type TokenKind,
  type User,
  type UserInput,
  UserInputSchema,
  type VerifiedToken,
} from './identity/identity-service.js';
export {
  type Actor,
  assertMayChange,
  assertRole,
  currentActor,
  ROLES,
  type Role,
  RoleSchema,
  roleAtLeast,
  runAs,
  SYSTEM_ACTOR,
} from './identity/roles.js';
export {
  createSecretBox,
  getSecret,
  parseSecretKey,
  putSecret,
  rotateSecrets,
  type SecretBox,
} from './identity/secret-box.js';
export {
  computeDrift,
  type DriftReport,
  type RegisteredTableColumns,
  type TableDriftEntry,
  type UnregisteredTable,
} from './metadata/compute-drift.js';
export {
  classifyServer,
  detectServer,
  type ServerInfo,
  type ServerKind,
} from './metadata/detect-server.js';
export { listCatalogs, type WarehouseCatalog } from './metadata/list-catalogs.js';
export type { MetadataConnection, MetadataRow } from './metadata/metadata-connection.js';
export { parseDataSize } from './metadata/parse-data-size.js';
export { portableType } from './metadata/portable-type.js';
export {
  type MetadataSyncProgress,
  type ReadWarehouseOptions,
  readWarehouse,
} from './metadata/read-warehouse.js';
export {
  type ConnectTarget,
  type MetadataSyncPortal,
  type MetadataSyncReport,
  SYNCABLE_DATASOURCE_KINDS,
  type SyncError,
  type SyncMetadataOptions,
  type SyncUnregisteredTable,
  syncMetadata,
} from './metadata/sync-metadata.js';
export type {
  WarehouseColumn,
  WarehousePartition,
  WarehouseScope,
  WarehouseSnapshot,
  WarehouseTable,
  WarehouseTableKind,
} from './metadata/warehouse-snapshot.js';
export {
  CronSchema,
  cronProblem,
  guessLayer,
  LAYERS,
  type Layer,
  LayerSchema,
  NameSchema,
  QualifiedNameSchema,
  TableNameSchema,
  TagsSchema,
  TimestampSchema,
} from './models/common.js';
export {
  type Datasource,
  type DatasourceInput,
  DatasourceInputSchema,
  type DatasourceKind,
  DatasourceKindSchema,
  DatasourceSchema,
  PasswordRefSchema,
} from './models/datasource.js';
export {
  type Execution,
  type ExecutionInput,
  ExecutionInputSchema,
  ExecutionSchema,
  type ExecutionStats,
  type ExecutionStatus,
  ExecutionStatusSchema,
  statusRank,
  TERMINAL_STATUSES,
} from './models/execution.js';
export {
  type ColumnPair,
  ColumnPairSchema,
  type LineageDriftEdge,
  type LineageEdge,
  type LineageEdgeInput,
  LineageEdgeInputSchema,
  LineageEdgeSchema,
  type LineageEdgeVersion,
  type LineageHistoryDiff,
  type Provenance,
  ProvenanceSchema,
  type TaskLineageDrift,
} from './models/lineage-edge.js';
export type { StreamHistory, StreamSample } from './models/stream-sample.js';
export {
  type Field,
  type FieldInput,
  FieldInputSchema,
  type FieldKey,
  FieldKeySchema,
  FieldSchema,
  type Table,
  type TableDrift,
  TableDriftSchema,
  type TableInput,
  TableInputSchema,
  type TablePatch,
  TablePatchSchema,
  TableSchema,
  type TableStats,
  TableStatsSchema,
  type TableStatus,
  TableStatusSchema,
} from './models/table.js';
export {
  ENGINES_BY_TASK_TYPE,
  type EngineName,
  EngineNameSchema,
  type EngineRef,
  EngineRefSchema,
  type Task,
  type TaskInput,
  TaskInputSchema,
  type TaskKind,
  TaskKindSchema,
  type TaskPatch,
  TaskPatchSchema,
  TaskSchema,
  type TaskStatus,
  TaskStatusSchema,
  type TaskType,
  TaskTypeSchema,
} from './models/task.js';
export { CatalogService, type ListTablesQuery } from './portal/catalog.js';
export type {
  BatchEngines,
  EntityRef,
  ExecutionChange,
  ExecutionListener,
  Page,
  StreamEngines,
} from './portal/context.js';
export type { TaskWriteOptions } from './portal/graph-guard.js';
export { LineageService, type LineageSnapshot, type LineageTask } from './portal/lineage.js';
export { type LineageAsOfQuery, LineageHistoryService } from './portal/lineage-history.js';
export type { PollerClock } from './portal/poll-loop.js';
export {
  PortalService,
  type PortalServiceConfig,
} from './portal/portal-service.js';
export { PublishingService, type PublishOptions } from './portal/publishing.js';
export {
  createRunPoller,
  type RunPoller,
  type RunPollerConfig,
  type RunPollerPortal,
  type RunPollerTimers,
  type RunPollSummary,
} from './portal/run-poller.js';
export { type ListExecutionsQuery, type RecordExecutionResult, RunService } from './portal/runs.js';
export {
  STREAM_SAMPLE_RETENTION_MS,
  StreamHistoryService,
  type StreamSampleInput,
} from './portal/stream-history.js';
export {
  createStreamPoller,
  executionStatusOfStream,
  type StreamPoller,
  type StreamPollerClock,
  type StreamPollerConfig,
  type StreamPollerPortal,
  type StreamPollSummary,
} from './portal/stream-poller.js';
export type { TableNameScope } from './portal/table-names.js';
export { type ListTasksQuery, type TaskLineageCheck, TaskService } from './portal/tasks.js';
export type {
  ApiTokenTable,
  AuditTable,
  Database,
  DataFieldTable,
  DataLineageHistoryTable,
  DataLineageTable,
  DatasourceTable,
  DataTableTable,
  DataTaskTable,
  LockTable,
  SecretTable,
  StreamSampleTable,
  TaskExecutionLogTable,
  UserTable,
} from './storage/database.js';
export type { StoreDialect } from './storage/migrations.js';
export { openStore, redactUrl, type Store, type StoreConfig } from './storage/store.js';
export { formatWallClock, isValidTimeZone, parseWallClock } from './wall-clock.js';
