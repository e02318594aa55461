/**
 * Metadata sync from Doris, MySQL 8 and MariaDB over the MySQL protocol: introspection
 * ({@link readWarehouse}), drift detection ({@link computeDrift}) and the registry sync
 * ({@link syncMetadata}).
 *
 * @module
 */
export {
  computeDrift,
  type DriftReport,
  type RegisteredTableColumns,
  type TableDriftEntry,
  type UnregisteredTable,
} from './compute-drift.js';
export { classifyServer, detectServer, type ServerInfo, type ServerKind } from './detect-server.js';
export { listCatalogs, type WarehouseCatalog } from './list-catalogs.js';
export type { MetadataConnection, MetadataRow } from './metadata-connection.js';
export { parseDataSize } from './parse-data-size.js';
export { portableType } from './portable-type.js';
export {
  type MetadataSyncProgress,
  type ReadWarehouseOptions,
  readWarehouse,
} from './read-warehouse.js';
export {
  type ConnectTarget,
  type MetadataSyncPortal,
  type MetadataSyncReport,
  SYNCABLE_DATASOURCE_KINDS,
  type SyncError,
  type SyncMetadataOptions,
  type SyncUnregisteredTable,
  syncMetadata,
} from './sync-metadata.js';
export type {
  WarehouseColumn,
  WarehousePartition,
  WarehouseScope,
  WarehouseSnapshot,
  WarehouseTable,
  WarehouseTableKind,
} from './warehouse-snapshot.js';
