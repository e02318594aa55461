/**
 * `@dataportal/lineage`: an in-process lineage engine (compact typed-array index, iterative
 * queries that answer in microseconds) and SQL lineage for MySQL, Doris, Hive and Flink SQL.
 * No I/O; usable from the server, internal tools, scripts and notebooks alike.
 *
 * @module
 */

export { type ColumnEdge, toColumnDot, toColumnMermaid } from './column-graph-formats';
export { diff, type GraphDiff } from './diff';
export { downstream } from './downstream';
export { findCycle, hasCycle } from './find-cycle';
export { type ImpactedTable, type ImpactResult, impact } from './impact';
export {
  checkLayerRules,
  DEFAULT_LAYER_POLICY,
  type LayerCheckResult,
  type LayerPolicy,
  type LayerRule,
  type LayerViolation,
} from './layer-rules';
export {
  isLineageError,
  LineageError,
  type LineageErrorCode,
  type LineageErrorDetails,
} from './lineage-error';
export {
  type ColumnPair,
  type GraphLike,
  type LineageEdge,
  LineageGraph,
  type LineageGraphJson,
  type LineageNode,
  type NodeAttributes,
  type Provenance,
} from './lineage-graph';
export { type PathsBound, type PathsOptions, type PathsResult, paths } from './paths';
export { fromPortalJson, type PortalLineageJson, toPortalJson } from './portal-json';
export { analyzeSql, createSqlAnalyzer, type SqlAnalyzer } from './sql/analyze-sql';
export type {
  AnalyzeSqlOptions,
  ColumnLineage,
  ColumnRef,
  ColumnSource,
  ColumnTransformationSubtype,
  ColumnTransformationType,
  ScriptColumnLineage,
  SqlDialect,
  SqlLineage,
  SqlStatementKind,
  SqlStatementLineage,
  SqlTableDefinition,
  SqlWarning,
  SqlWarningCode,
} from './sql/sql-lineage';
export { type SccOptions, stronglyConnectedComponents } from './strongly-connected-components';
export { subgraph } from './subgraph';
export { type DotOptions, toDot } from './to-dot';
export { type MermaidOptions, toMermaid } from './to-mermaid';
export { forEachTopologicalGeneration, topologicalGenerations } from './topological-generations';
export { forEachInTopologicalOrder, topologicalSort } from './topological-sort';
export type {
  TraversalNode,
  TraversalOptions,
  TraversalResult,
  TruncationReason,
} from './traversal-result';
export { upstream } from './upstream';
export { type EdgeEndpoints, findCreatedCycle, wouldCreateCycle } from './would-create-cycle';
