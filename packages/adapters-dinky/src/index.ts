/**
 * `@dataportal/adapters-dinky`: a typed client of Dinky's OpenAPI (and the few login-based
 * `/api` calls the portal needs), and a `StreamEngine` that runs the portal's Flink SQL stream
 * tasks on Dinky: publish, start, stop with savepoint, restart, status with uptime and throughput.
 * The in-memory fake lives at `@dataportal/adapters-dinky/testing`.
 *
 * @module
 */

export {
  type DinkyCallOptions,
  type DinkyCancelOptions,
  DinkyClient,
  type DinkyClientConfig,
  type DinkyLifeCycle,
  type DinkyLogin,
  type DinkyRetry,
  type DinkySavepointType,
  type DinkySubmitOptions,
  type DinkyTaskSqlInput,
  type DinkyTaskSqlResult,
  type DinkyTokenStore,
  type DinkyVersion,
} from './client';
export {
  createDinkyEngine,
  type DinkyEngine,
  type DinkyEngineConfig,
  type DinkyEngineRef,
  type DinkyTaskDefaults,
  type DinkyTemplate,
  isDinkyJobDone,
  mapDinkyJobStatus,
  readDinkyEngineRef,
  taskStatements,
} from './engine';
export {
  codeForEngineCode,
  DINKY_ERROR_CODES,
  DinkyError,
  type DinkyErrorCode,
  type DinkyErrorOptions,
  isDinkyError,
  MAX_ENGINE_MESSAGE,
  truncateEngineText,
} from './errors';
export {
  dinkyLineageTables,
  type FlinkSqlAnalyzer,
  normalizeFlinkTable,
  type ReconcileStreamLineageOptions,
  reconcileStreamLineage,
  type StreamColumnEdge,
  type StreamLineageReport,
  type StreamLineageSource,
  type StreamLineageTable,
} from './lineage';
export {
  type DinkyCatalogue,
  DinkyCatalogueSchema,
  type DinkyEnvelope,
  DinkyEnvelopeSchema,
  type DinkyJobInfoDetail,
  DinkyJobInfoDetailSchema,
  type DinkyJobInstance,
  DinkyJobInstanceSchema,
  type DinkyJobResult,
  DinkyJobResultSchema,
  type DinkyLineage,
  DinkyLineageSchema,
  type DinkySavepointResult,
  DinkySavepointResultSchema,
  type DinkyTask,
  DinkyTaskSchema,
  type FlinkJobDetail,
  FlinkJobDetailSchema,
  type FlinkMetric,
  FlinkMetricSchema,
  type FlinkVertex,
  FlinkVertexSchema,
} from './schemas';
