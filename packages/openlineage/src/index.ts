/**
 * OpenLineage for DataPortal.
 *
 * - **Out**: {@link buildRunEvent} turns a portal run into spec-correct RunEvents (core schema
 *   {@link OPENLINEAGE_SPEC_VERSION}) with deterministic UUIDv7 run ids, datasets named by the
 *   OpenLineage naming conventions and the `sql`, `jobType`, `sourceCode`, `schema`,
 *   `columnLineage`, `outputStatistics` and `errorMessage` facets; {@link OpenLineageEmitter}
 *   does it for a `PortalService`'s executions. Transports: {@link HttpTransport} (bearer
 *   auth, retries with backoff, bounded on-disk queue), {@link FileTransport} (NDJSON),
 *   {@link ConsoleTransport}.
 * - **In**: {@link parseRunEvent} validates events from other producers, {@link planIngest}
 *   maps them onto portal tables and tasks, {@link ingestRunEvents} applies them (observed
 *   edges, draft tables, executions).
 *
 * @module
 */
export {
  buildRunEvent,
  eventTypesForTransition,
  type RunDataset,
  type RunEventInput,
} from './build-run-event';
export {
  isOpenLineageError,
  OPENLINEAGE_ERROR_CODES,
  OpenLineageError,
  type OpenLineageErrorCode,
  type OpenLineageErrorOptions,
} from './errors';
export {
  columnLineageFacet,
  dataSourceFacet,
  errorMessageFacet,
  jobTypeFacet,
  nominalTimeFacet,
  outputStatisticsFacet,
  processingEngineFacet,
  type SchemaField,
  schemaFacet,
  sourceCodeFacet,
  sqlFacet,
  symlinksFacet,
} from './facets';
export { parseRunEvent, RunEventSchema } from './ingest/parse-run-event';
export {
  type IngestCatalog,
  type IngestPlan,
  type MappedDataset,
  planIngest,
} from './ingest/plan-ingest';
export type {
  Facet,
  InputDataset,
  OpenLineageDataset,
  OpenLineageJob,
  OpenLineageRun,
  OutputDataset,
  RunEvent,
  RunEventType,
} from './model';
export {
  type DatasetIdentity,
  type DatasetLocation,
  datasetAliases,
  datasetIdentity,
  namespaceMatches,
  type ParsedNamespace,
  parseNamespace,
} from './naming';
export { type IngestResult, ingestRunEvents } from './portal/ingest-events';
export { OpenLineageEmitter, type OpenLineageEmitterConfig } from './portal/portal-emitter';
export { deterministicRunId, type RunIdentity } from './run-id';
export {
  FACET_VERSIONS,
  type FacetKey,
  facetSchemaUrl,
  OPENLINEAGE_SPEC_VERSION,
  RUN_EVENT_SCHEMA_URL,
} from './spec-version';
export { ConsoleTransport } from './transports/console-transport';
export { createTransport, type TransportConfig } from './transports/create-transport';
export { FileTransport } from './transports/file-transport';
export { HttpTransport, type HttpTransportConfig } from './transports/http-transport';
export type { OpenLineageTransport } from './transports/transport';
