import type { FieldKey } from '../models/table.js';
import type { ServerInfo } from './detect-server.js';

/**
 * What kind of object a warehouse table is: a native `table`, a `view`, an `external` table
 * (Doris Hive/JDBC/ES/… tables, MySQL FEDERATED/CONNECT), a `system` view, or `other`
 * (MariaDB sequences, temporary tables).
 */
export type WarehouseTableKind = 'table' | 'view' | 'external' | 'system' | 'other';

/**
 * A column as the warehouse reports it.
 *
 * @example
 * ```ts
 * const column: WarehouseColumn = snapshot.tables[0].columns[0];
 * console.log(column.name, column.columnType, column.portableType, column.key);
 * ```
 */
export interface WarehouseColumn {
  /** Column name, as the server spells it. */
  readonly name: string;
  /** 1-based position in the table (Doris: in the base schema). */
  readonly ordinal: number;
  /** `DATA_TYPE` (MySQL-compatible name; Doris maps LARGEINT to `bigint unsigned`, STRING to `varchar`). */
  readonly dataType: string;
  /** `COLUMN_TYPE` verbatim (the display type, e.g. `decimalv3(10, 2)`, `int(11)`). */
  readonly columnType: string;
  /** The portable spelling, see {@link portableType} (e.g. `decimal(10,2)`, `int`). */
  readonly portableType: string;
  /** Whether the column accepts NULL. */
  readonly nullable: boolean;
  /**
   * Key kind: MySQL/MariaDB `PRI` → `primary`, `UNI` → `unique`, `MUL` → `index`; Doris key
   * columns carry the table's key model: `DUP` → `duplicate` (sort key, not unique), `UNI` →
   * `unique`, `AGG` → `aggregate`; anything else → `none`.
   */
  readonly key: FieldKey;
  /** `COLUMN_KEY` verbatim. */
  readonly rawKey: string;
  /**
   * The default as an SQL literal or expression, null when there is none. MariaDB's quoting
   * (`'abc'`, the string `NULL`) is removed. Doris leaves defaults empty on many versions.
   */
  readonly defaultValue: string | null;
  /** `EXTRA` verbatim (`auto_increment`, `on update current_timestamp()`, …); empty on most Doris versions. */
  readonly extra: string;
  /** Column comment, null when empty. */
  readonly comment: string | null;
}

/**
 * One partition (or sub-partition) of a table.
 *
 * @example
 * ```ts
 * for (const p of table.partitions ?? []) console.log(p.name, p.rowCount, p.dataSize);
 * ```
 */
export interface WarehousePartition {
  /** Partition name. */
  readonly name: string;
  /** Sub-partition name (MySQL/MariaDB), else null. */
  readonly subpartition: string | null;
  /** `RANGE`, `LIST`, `HASH`, … when known. */
  readonly method: string | null;
  /** Partitioning expression or key columns. */
  readonly expression: string | null;
  /** The partition's range or value list. */
  readonly description: string | null;
  /** Rows (estimate, as for tables); null when unknown. */
  readonly rowCount: number | null;
  /** Bytes; parsed from Doris' human-readable `DataSize` (all replicas, approximate). */
  readonly dataSize: number | null;
  /** Last data change (Doris: `VisibleVersionTime`, the last load published). */
  readonly updatedAt: Date | null;
  /** Doris bucket count, else null. */
  readonly buckets: number | null;
  /** Doris replication number, else null. */
  readonly replicationNum: number | null;
}

/**
 * A table (or view) as the warehouse reports it.
 *
 * @example
 * ```ts
 * const t: WarehouseTable = snapshot.tables[0];
 * console.log(t.qualifiedName, t.kind, t.rowCount, t.dataSize, t.columns.length);
 * ```
 */
export interface WarehouseTable {
  /** Doris catalog (`internal`, `hive`, …); null on MySQL/MariaDB. */
  readonly catalog: string | null;
  /** Database (schema) name, as the server spells it. */
  readonly database: string;
  /** Table name, as the server spells it. */
  readonly name: string;
  /**
   * Lower-case `db.table` (`catalog.db.table` for a Doris catalog other than `internal`): the key
   * registered tables are matched on.
   */
  readonly qualifiedName: string;
  /** What kind of object this is. */
  readonly kind: WarehouseTableKind;
  /** `TABLE_TYPE` verbatim (`BASE TABLE`, `VIEW`, `SYSTEM VIEW`, `SEQUENCE`, …). */
  readonly tableType: string;
  /** `ENGINE` (`InnoDB`, `Doris`, `Hive`, `jdbc`, …); null for views on MySQL. */
  readonly engine: string | null;
  /**
   * Rows. An estimate unless {@link WarehouseTable.rowCountExact}: InnoDB statistics on
   * MySQL/MariaDB, backend-reported counts on Doris (refreshed every few minutes). Null when
   * unknown (views, Doris external tables reporting -1).
   */
  readonly rowCount: number | null;
  /** Whether `rowCount` comes from `SELECT COUNT(*)` (the `exactCounts` option). */
  readonly rowCountExact: boolean;
  /** Bytes on disk (`DATA_LENGTH`); null when unknown (views, external tables). */
  readonly dataSize: number | null;
  /** True on Doris native tables: `DATA_LENGTH` sums every replica (≈ logical size × replicas). */
  readonly dataSizeIncludesReplicas: boolean;
  /** Creation time; null when unknown (external tables report 0). */
  readonly createdAt: Date | null;
  /**
   * Last data change: Doris native tables the last published load; InnoDB the last write since
   * the server started (often null). Null for views and Doris external tables (whose
   * `UPDATE_TIME` is only the schema-cache refresh time).
   */
  readonly updatedAt: Date | null;
  /** Table comment, null when empty. */
  readonly comment: string | null;
  /** Columns in ordinal order. */
  readonly columns: readonly WarehouseColumn[];
  /**
   * Partitions: `[]` when the table is not partitioned, null when unknown (views, external
   * tables, Doris without partition metadata, or `partitions: 'none'`).
   */
  readonly partitions: readonly WarehousePartition[] | null;
}

/**
 * Everything {@link readWarehouse} read from one server (one Doris catalog).
 *
 * @example
 * ```ts
 * const snapshot: WarehouseSnapshot = await readWarehouse(connection);
 * console.log(snapshot.server.kind, snapshot.tables.length, snapshot.queries);
 * ```
 */
export interface WarehouseSnapshot {
  /** The server that answered. */
  readonly server: ServerInfo;
  /** The Doris catalog read (`internal` by default); null on MySQL/MariaDB. */
  readonly catalog: string | null;
  /** When the read started. */
  readonly readAt: Date;
  /**
   * Databases whose table listing completed, as the server spells them. A registered table of
   * one of these databases that is absent from {@link WarehouseSnapshot.tables} was dropped (or
   * is hidden by missing privileges).
   */
  readonly databases: readonly string[];
  /** What the snapshot covers (see {@link WarehouseScope}). */
  readonly scope: WarehouseScope;
  /** Databases asked for in `databases`/`tables` that the server does not have (or hides). */
  readonly missingDatabases: readonly string[];
  /** Tables and views, ordered by database then name. */
  readonly tables: readonly WarehouseTable[];
  /** Where partition metadata came from. */
  readonly partitionsSource: 'information_schema' | 'show_partitions' | 'mixed' | 'none';
  /** True unless every row count is exact: server row counts are estimates on all three servers. */
  readonly rowCountsAreEstimates: boolean;
  /** True on Doris: data sizes of native tables count every replica. */
  readonly dataSizeIncludesReplicas: boolean;
  /** Caveats worth showing to a user (estimates, replicas, skipped sources). */
  readonly notes: readonly string[];
  /** Statements issued for this snapshot. */
  readonly queries: number;
}

/**
 * What part of the warehouse a snapshot covers; registered tables outside it are neither
 * compared nor reported missing by {@link computeDrift}.
 *
 * @example
 * ```ts
 * const scope: WarehouseScope = { databases: ['ods'], tables: ['dwd.orders'], catalog: null };
 * ```
 */
export interface WarehouseScope {
  /** Lower-case databases covered whole (found or not); null for every database. */
  readonly databases: readonly string[] | null;
  /** Lower-case qualified names covered one by one, in addition to `databases`. */
  readonly tables: readonly string[];
  /** Doris catalog read (null or `internal`: qualified names carry no catalog prefix). */
  readonly catalog: string | null;
}
