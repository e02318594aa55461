import { SdkError } from '../errors.js';
import type { FieldKey } from '../models/table.js';
import { detectWith, type ServerInfo, type ServerKind } from './detect-server.js';
import type { MetadataConnection, MetadataRow } from './metadata-connection.js';
import { parseDataSize } from './parse-data-size.js';
import { portableType } from './portable-type.js';
import {
  chunk,
  pick,
  placeholders,
  QueryRunner,
  quoteIdent,
  toDate,
  toInt,
  toStr,
  toText,
} from './values.js';
import type {
  WarehouseColumn,
  WarehousePartition,
  WarehouseSnapshot,
  WarehouseTable,
  WarehouseTableKind,
} from './warehouse-snapshot.js';

/**
 * Progress of a metadata read or sync, reported through `onProgress`.
 *
 * @example
 * ```ts
 * await readWarehouse(connection, {
 *   onProgress: (p: MetadataSyncProgress) => console.log(p.phase, `${p.done}/${p.total}`),
 * });
 * ```
 */
export interface MetadataSyncProgress {
  /**
   * `detect` (server version), `databases`, `tables`, `columns`, `partitions`, `counts`
   * (exact row counts) while reading; `write` while {@link syncMetadata} updates the registry.
   */
  readonly phase: 'detect' | 'databases' | 'tables' | 'columns' | 'partitions' | 'counts' | 'write';
  /** Units of work done in this phase (databases, tables or statements, depending on the phase). */
  readonly done: number;
  /** Units of work in this phase. */
  readonly total: number;
}

/**
 * Options of {@link readWarehouse}.
 *
 * @example
 * ```ts
 * const options: ReadWarehouseOptions = { databases: ['ods', 'dwd'], exactCounts: false };
 * ```
 */
export interface ReadWarehouseOptions {
  /** Databases to read (case-insensitive). Default: every database except system schemas. */
  readonly databases?: readonly string[];
  /**
   * Tables to read, as `db.table` (case-insensitive); their databases are added to the scope.
   * Default: every table of the databases read.
   */
  readonly tables?: readonly string[];
  /**
   * Doris only: the catalog whose `information_schema` is read (`internal` by default). Tables of
   * other catalogs get `catalog.db.table` qualified names.
   */
  readonly catalog?: string;
  /**
   * Count rows with `SELECT COUNT(*)` (native tables only; views and external tables keep the
   * server's figure). Batched with `UNION ALL` per database, but costly on big tables. Default false.
   */
  readonly exactCounts?: boolean;
  /**
   * Partition metadata: `auto` (default) reads `information_schema.partitions` and, on Doris
   * when that is empty (≤ 2.1.7 / ≤ 3.0.2), `SHOW PARTITIONS` per native table — the one source
   * whose statement count grows with tables; `information-schema` never runs `SHOW PARTITIONS`;
   * `none` skips partitions.
   */
  readonly partitions?: 'auto' | 'information-schema' | 'none';
  /**
   * MySQL 8: issue `SET SESSION information_schema_stats_expiry = 0` first, so row counts and
   * sizes are not up to a day old. Needs a single connection (not a pool) to take effect.
   * Default true.
   */
  readonly freshStats?: boolean;
  /** The server, when already detected (saves one statement). */
  readonly server?: ServerInfo;
  /** Databases per `IN (…)` list on MySQL/MariaDB. Default 100. Doris always gets one database per statement. */
  readonly batchSize?: number;
  /** Called as the read advances. */
  readonly onProgress?: (progress: MetadataSyncProgress) => void;
}

const SYSTEM_SCHEMAS = new Set([
  'information_schema',
  'mysql',
  'performance_schema',
  'sys',
  '__internal_schema',
]);

const DORIS_NATIVE_ENGINES = new Set(['doris', 'olap', 'materialized_view']);
const MYSQL_EXTERNAL_ENGINES = new Set(['federated', 'federatedx', 'connect', 'spider']);

/**
 * Reads a warehouse snapshot (databases, tables, columns, partitions) from Doris, MySQL 8 or
 * MariaDB over one MySQL-protocol connection, with one code path.
 *
 * Statement count grows with databases, not tables: one version probe, one `schemata` listing,
 * then per batch of databases (MySQL/MariaDB, `IN` lists) or per database (Doris, whose front end
 * only pushes `TABLE_SCHEMA = ?` down) one statement each for tables, columns and partitions.
 * Two options add statements per table: `exactCounts` (one `UNION ALL` statement per 50 tables)
 * and Doris' `SHOW PARTITIONS` fallback.
 *
 * Time zones: `information_schema` times are converted to epoch seconds by the server with
 * `UNIX_TIMESTAMP()`, in the same session zone it renders them in, so no client-side zone guess
 * is involved and mysql2's `timezone`/`dateStrings` options do not matter. Doris `SHOW PARTITIONS`
 * prints zone-less FE-local strings; those are read with the session offset measured by
 * {@link detectServer} (exact unless a DST change lies between that time and now).
 *
 * Accuracy: row counts are estimates on all three servers (InnoDB statistics; Doris
 * backend-reported counts, up to `tablet_stat_update_interval_second` = 300 s stale); Doris
 * `DATA_LENGTH` sums every replica; Doris external tables' `-1` row count becomes null. The
 * snapshot says so in `rowCountsAreEstimates`, `dataSizeIncludesReplicas` and `notes`.
 *
 * @param connection - a MySQL-protocol connection (mysql2/promise fits)
 * @param options - scope and sources, see {@link ReadWarehouseOptions}
 * @returns the snapshot
 * @throws {@link SdkError} with code `SYNC_FAILED` when a statement fails (the cause is the
 *   driver error), or `VALIDATION_FAILED` for a `catalog` on a server other than Doris or a
 *   malformed `tables` entry
 * @example
 * ```ts
 * import mysql from 'mysql2/promise';
 * const connection = await mysql.createConnection({ host: 'doris-fe', port: 9030, user: 'sync' });
 * const snapshot = await readWarehouse(connection, { databases: ['ods'] });
 * for (const t of snapshot.tables) console.log(t.qualifiedName, t.rowCount, t.columns.length);
 * await connection.end();
 * ```
 */
export async function readWarehouse(
  connection: MetadataConnection,
  options: ReadWarehouseOptions = {},
): Promise<WarehouseSnapshot> {
  const runner = new QueryRunner(connection);
  const readAt = new Date();
  const progress = options.onProgress ?? (() => {});
  progress({ phase: 'detect', done: 0, total: 1 });
  const server = options.server ?? (await detectWith(runner));
  progress({ phase: 'detect', done: 1, total: 1 });
  const kind = server.kind;
  if (options.catalog !== undefined && kind !== 'doris') {
    throw new SdkError(
      'VALIDATION_FAILED',
      `sdk: catalog ${options.catalog} needs Doris, got ${kind}`,
    );
  }
  const catalog = kind === 'doris' ? (options.catalog ?? 'internal') : null;
  const internal = catalog === null || catalog.toLowerCase() === 'internal';
  // Each Doris catalog has its own information_schema; the three-part name avoids SWITCH state.
  const is = internal ? 'information_schema' : `${quoteIdent(catalog ?? '')}.information_schema`;
  const notes: string[] = [];

  if (
    kind === 'mysql' &&
    options.freshStats !== false &&
    Number.parseInt(server.version, 10) >= 8
  ) {
    await runner.rows(
      'disable the information_schema statistics cache',
      'SET SESSION information_schema_stats_expiry = 0',
    );
  }

  // Scope: requested tables and databases, matched case-insensitively to the server's spelling.
  const wantedTables = new Map<string, Set<string>>();
  const prefix = internal ? '' : `${(catalog ?? '').toLowerCase()}.`;
  const scopeTables: string[] = [];
  for (const qn of options.tables ?? []) {
    const parts = qn.toLowerCase().split('.');
    const table = parts.pop();
    const db = parts.pop();
    if (!table || !db) {
      throw new SdkError(
        'VALIDATION_FAILED',
        `sdk: tables entry ${qn.slice(0, 80)} is not db.table`,
      );
    }
    const set = wantedTables.get(db) ?? new Set<string>();
    set.add(table);
    wantedTables.set(db, set);
    scopeTables.push(`${prefix}${db}.${table}`);
  }
  const wholeDbs = (options.databases ?? []).map((d) => d.toLowerCase());
  // A database asked for as a whole is read whole, even when some of its tables are listed too.
  for (const d of wholeDbs) wantedTables.delete(d);
  const wantedDbs = new Set<string>([...wholeDbs, ...wantedTables.keys()]);
  const scoped = options.databases !== undefined || options.tables !== undefined;

  progress({ phase: 'databases', done: 0, total: 1 });
  const schemaRows = await runner.rows(
    'list databases',
    `SELECT SCHEMA_NAME AS schema_name FROM ${is}.schemata`,
  );
  progress({ phase: 'databases', done: 1, total: 1 });
  const allDbs = schemaRows.map((r) => toStr(r['schema_name']) ?? '').filter((d) => d !== '');
  const databases = allDbs
    .filter((d) => (scoped ? wantedDbs.has(d.toLowerCase()) : !SYSTEM_SCHEMAS.has(d.toLowerCase())))
    .sort();
  const present = new Set(databases.map((d) => d.toLowerCase()));
  const missingDatabases = [...wantedDbs].filter((d) => !present.has(d)).sort();

  // Doris pushes only `TABLE_SCHEMA = ?` to the FE; MySQL/MariaDB take IN lists.
  const groups =
    kind === 'doris' || wantedTables.size > 0
      ? databases.map((d) => [d])
      : chunk(databases, Math.max(1, options.batchSize ?? 100));

  const tables: MutableTable[] = [];
  const byKey = new Map<string, MutableTable>();
  const key = (db: string, table: string) => `${db}\u0000${table}`;

  let done = 0;
  for (const group of groups) {
    const rows = await runner.rows(
      `list tables of ${group.join(', ').slice(0, 100)}`,
      'SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, TABLE_TYPE AS table_type, ' +
        'ENGINE AS engine, TABLE_ROWS AS table_rows, DATA_LENGTH AS data_length, ' +
        'UNIX_TIMESTAMP(CREATE_TIME) AS create_time, UNIX_TIMESTAMP(UPDATE_TIME) AS update_time, ' +
        `TABLE_COMMENT AS table_comment FROM ${is}.tables WHERE ${inList('TABLE_SCHEMA', group.length)}`,
      group,
    );
    for (const r of rows) {
      const t = tableFromRow(r, { kind, catalog, internal });
      const wanted = wantedTables.get(t.database.toLowerCase());
      if (wanted && !wanted.has(t.name.toLowerCase())) continue;
      if (!scoped && t.kind === 'system') continue;
      tables.push(t);
      byKey.set(key(t.database, t.name), t);
    }
    done += group.length;
    progress({ phase: 'tables', done, total: databases.length });
  }

  // Wide warehouses repeat a handful of column types thousands of times.
  const portableCache = new Map<string, string>();
  const portable = (type: string) => {
    let p = portableCache.get(type);
    if (p === undefined) {
      p = portableType(type);
      portableCache.set(type, p);
    }
    return p;
  };

  // Columns: same batches; with a table filter, the server-spelled names of the tables found.
  done = 0;
  for (const group of groups) {
    const db = group[0] ?? '';
    const filtered = wantedTables.has(db.toLowerCase());
    const names = filtered ? tables.filter((t) => t.database === db).map((t) => t.name) : [];
    if (filtered && names.length === 0) continue;
    const tableFilter = names.length > 0 ? ` AND ${inList('TABLE_NAME', names.length)}` : '';
    const rows = await runner.rows(
      `read columns of ${group.join(', ').slice(0, 100)}`,
      'SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, COLUMN_NAME AS column_name, ' +
        'ORDINAL_POSITION AS ordinal_position, DATA_TYPE AS data_type, COLUMN_TYPE AS column_type, ' +
        'IS_NULLABLE AS is_nullable, COLUMN_DEFAULT AS column_default, COLUMN_KEY AS column_key, ' +
        `EXTRA AS extra, COLUMN_COMMENT AS column_comment FROM ${is}.columns ` +
        `WHERE ${inList('TABLE_SCHEMA', group.length)}${tableFilter}`,
      [...group, ...names],
    );
    for (const r of rows) {
      const t = byKey.get(key(toStr(r['table_schema']) ?? '', toStr(r['table_name']) ?? ''));
      if (t) t.columns.push(columnFromRow(r, kind, portable));
    }
    done += group.length;
    progress({ phase: 'columns', done, total: databases.length });
  }
  for (const t of tables) t.columns.sort((a, b) => a.ordinal - b.ordinal);

  // Partitions.
  const mode = options.partitions ?? 'auto';
  let fromIs = 0;
  let fromShow = 0;
  if (mode !== 'none' && internal) {
    done = 0;
    const partitioned = new Set<MutableTable>();
    for (const group of groups) {
      const db = group[0] ?? '';
      const filtered = wantedTables.has(db.toLowerCase());
      const names = filtered ? tables.filter((t) => t.database === db).map((t) => t.name) : [];
      if (filtered && names.length === 0) continue;
      const tableFilter = names.length > 0 ? ` AND ${inList('TABLE_NAME', names.length)}` : '';
      // Doris declares the partition time columns BIGINT; convert only where they are datetimes.
      const time = (c: string) => (kind === 'doris' ? c : `UNIX_TIMESTAMP(${c})`);
      let rows: MetadataRow[] = [];
      try {
        rows = await runner.rows(
          `read partitions of ${group.join(', ').slice(0, 100)}`,
          'SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, PARTITION_NAME AS partition_name, ' +
            'SUBPARTITION_NAME AS subpartition_name, PARTITION_METHOD AS partition_method, ' +
            'PARTITION_EXPRESSION AS partition_expression, PARTITION_DESCRIPTION AS partition_description, ' +
            `TABLE_ROWS AS table_rows, DATA_LENGTH AS data_length, ${time('UPDATE_TIME')} AS update_time ` +
            `FROM ${is}.partitions WHERE ${inList('TABLE_SCHEMA', group.length)}${tableFilter} ` +
            'AND PARTITION_NAME IS NOT NULL',
          [...group, ...names],
        );
      } catch (err) {
        // Doris versions without the standard partition columns fall back to SHOW PARTITIONS.
        if (kind !== 'doris') throw err;
      }
      for (const r of rows) {
        const t = byKey.get(key(toStr(r['table_schema']) ?? '', toStr(r['table_name']) ?? ''));
        if (!t) continue;
        t.partitions ??= [];
        t.partitions.push(partitionFromRow(r, server.utcOffsetSeconds));
        partitioned.add(t);
      }
      done += group.length;
      progress({ phase: 'partitions', done, total: databases.length });
    }
    fromIs = partitioned.size;
    for (const t of tables) {
      // MySQL/MariaDB list every table in `partitions` (NULL name when unpartitioned); Doris
      // rows are the only evidence, and an empty result means "unknown", not "unpartitioned".
      if (kind !== 'doris' && (t.kind === 'table' || t.kind === 'other')) t.partitions ??= [];
    }
    if (kind === 'doris' && mode === 'auto') {
      const pending = tables.filter(
        (t) => t.kind === 'table' && !partitioned.has(t) && isDorisNative(t.engine),
      );
      let n = 0;
      const failed: string[] = [];
      let firstFailure = '';
      for (const t of pending) {
        try {
          const rows = await runner.rows(
            `show partitions of ${t.database}.${t.name}`,
            `SHOW PARTITIONS FROM ${quoteIdent(t.database)}.${quoteIdent(t.name)}`,
          );
          t.partitions = showPartitions(rows, t.name, server.utcOffsetSeconds);
          fromShow += 1;
        } catch (err) {
          // Partitions are secondary: one table the statement rejects (privileges, table types
          // a version does not support) leaves its partitions unknown instead of failing the read.
          failed.push(t.qualifiedName);
          if (firstFailure === '' && err instanceof Error) firstFailure = err.message;
        }
        n += 1;
        progress({ phase: 'partitions', done: n, total: pending.length });
      }
      if (failed.length > 0) {
        notes.push(
          `SHOW PARTITIONS failed for ${failed.length} table(s) (${failed.slice(0, 5).join(', ')}${failed.length > 5 ? ', …' : ''}); their partitions are unknown. First error: ${firstFailure.slice(0, 200)}`,
        );
      }
      if (pending.length > 0) {
        notes.push(
          `information_schema.partitions had no rows for ${pending.length} Doris table(s); read SHOW PARTITIONS for each (DataSize parsed from human-readable strings, all replicas).`,
        );
      }
    }
  }
  const partitionsSource =
    fromIs > 0 && fromShow > 0
      ? 'mixed'
      : fromShow > 0
        ? 'show_partitions'
        : fromIs > 0 || (kind !== 'doris' && mode !== 'none')
          ? 'information_schema'
          : 'none';

  // Exact counts, batched per database with UNION ALL.
  if (options.exactCounts) {
    const countable = tables.filter((t) => t.kind === 'table');
    const batches: MutableTable[][] = [];
    for (const db of databases) {
      batches.push(
        ...chunk(
          countable.filter((t) => t.database === db),
          50,
        ),
      );
    }
    let n = 0;
    const from = internal ? '' : `${quoteIdent(catalog ?? '')}.`;
    for (const batch of batches) {
      const sql = batch
        .map(
          (t) =>
            `SELECT ? AS table_name, COUNT(*) AS row_count FROM ${from}${quoteIdent(t.database)}.${quoteIdent(t.name)}`,
        )
        .join(' UNION ALL ');
      const rows = await runner.rows(
        `count rows in ${batch[0]?.database ?? ''}`,
        sql,
        batch.map((t) => t.name),
      );
      const counts = new Map(
        rows.map((r) => [toStr(r['table_name']) ?? '', toInt(r['row_count'])]),
      );
      for (const t of batch) {
        const c = counts.get(t.name);
        if (c !== undefined && c !== null) {
          t.rowCount = c;
          t.rowCountExact = true;
        }
      }
      n += 1;
      progress({ phase: 'counts', done: n, total: batches.length });
    }
  }

  tables.sort((a, b) =>
    a.database === b.database ? cmp(a.name, b.name) : cmp(a.database, b.database),
  );
  const rowCountsAreEstimates = tables.some((t) => t.rowCount !== null && !t.rowCountExact);
  if (rowCountsAreEstimates) {
    notes.push(
      kind === 'doris'
        ? 'Row counts are estimates reported by the Doris backends (refreshed every tablet_stat_update_interval_second, 300 s by default; unique/aggregate tables may count unmerged rows).'
        : kind === 'mysql'
          ? 'Row counts are InnoDB estimates; use exactCounts for SELECT COUNT(*).'
          : 'Row counts are storage-engine estimates (InnoDB); use exactCounts for SELECT COUNT(*).',
    );
  }
  const dataSizeIncludesReplicas = tables.some((t) => t.dataSizeIncludesReplicas);
  if (dataSizeIncludesReplicas) {
    notes.push(
      'Doris data sizes (DATA_LENGTH) sum every replica: divide by the replication number for a single copy.',
    );
  }
  if (kind === 'doris' && tables.some((t) => t.kind === 'external')) {
    notes.push(
      'Doris external tables report no reliable size, creation or update time; a -1 row count means not yet cached (null here).',
    );
  }

  return {
    server,
    catalog,
    readAt,
    databases,
    scope: {
      databases: scoped ? [...new Set(wholeDbs)].sort() : null,
      tables: [...new Set(scopeTables)].sort(),
      catalog,
    },
    missingDatabases,
    tables,
    partitionsSource,
    rowCountsAreEstimates,
    dataSizeIncludesReplicas,
    notes,
    queries: runner.count,
  };
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type MutableTable = Mutable<Omit<WarehouseTable, 'columns' | 'partitions'>> & {
  columns: WarehouseColumn[];
  partitions: WarehousePartition[] | null;
};

/** `COL = ?` for one value (the form Doris pushes down to its FE), else `COL IN (?, …)`. */
function inList(column: string, n: number): string {
  return n === 1 ? `${column} = ?` : `${column} IN (${placeholders(n)})`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isDorisNative(engine: string | null): boolean {
  return engine !== null && DORIS_NATIVE_ENGINES.has(engine.toLowerCase());
}

function tableKind(tableType: string, engine: string | null, kind: ServerKind): WarehouseTableKind {
  const type = tableType.toUpperCase();
  if (type.includes('SYSTEM')) return 'system';
  if (type.includes('VIEW')) return 'view';
  if (type !== 'BASE TABLE') return 'other';
  const e = (engine ?? '').toLowerCase();
  if (kind === 'doris') return e === '' || isDorisNative(engine) ? 'table' : 'external';
  return MYSQL_EXTERNAL_ENGINES.has(e) ? 'external' : 'table';
}

function tableFromRow(
  r: MetadataRow,
  ctx: { kind: ServerKind; catalog: string | null; internal: boolean },
): MutableTable {
  const database = toStr(r['table_schema']) ?? '';
  const name = toStr(r['table_name']) ?? '';
  const tableType = toStr(r['table_type']) ?? '';
  const engine = toText(r['engine']);
  const kind = tableKind(tableType, engine, ctx.kind);
  const external = kind === 'external' || !ctx.internal;
  const rows = toInt(r['table_rows']);
  const size = toInt(r['data_length']);
  let comment = toText(r['table_comment']);
  // MySQL labels every view's comment `VIEW`.
  if (kind === 'view' && comment === 'VIEW') comment = null;
  const qualified = `${ctx.internal ? '' : `${ctx.catalog}.`}${database}.${name}`.toLowerCase();
  return {
    catalog: ctx.catalog,
    database,
    name,
    qualifiedName: qualified,
    kind: !ctx.internal && kind === 'table' ? 'external' : kind,
    tableType,
    engine,
    // -1 is Doris' "not yet cached" for external tables; views have no count.
    rowCount: rows === null || rows < 0 || kind === 'view' ? null : rows,
    rowCountExact: false,
    dataSize:
      size === null || size < 0 || kind === 'view' || (external && size === 0) ? null : size,
    dataSizeIncludesReplicas: ctx.kind === 'doris' && kind === 'table' && ctx.internal,
    createdAt: toDate(r['create_time']),
    updatedAt:
      kind === 'view' || (ctx.kind === 'doris' && external) ? null : toDate(r['update_time']),
    comment,
    columns: [],
    partitions: null,
  };
}

function columnKey(raw: string): FieldKey {
  switch (raw.trim().toUpperCase()) {
    case 'PRI':
      return 'primary';
    case 'UNI':
      return 'unique';
    case 'MUL':
      return 'index';
    case 'DUP':
      return 'duplicate';
    case 'AGG':
      return 'aggregate';
    default:
      return 'none';
  }
}

function columnDefault(v: unknown, kind: ServerKind): string | null {
  const s = toStr(v);
  if (s === null) return null;
  if (kind !== 'mariadb') return s;
  // MariaDB ≥ 10.2.7 quotes literals and spells "no default on a nullable column" as NULL.
  if (s === 'NULL') return null;
  const m = /^'(.*)'$/s.exec(s);
  return m ? (m[1] ?? '').replaceAll("''", "'").replaceAll('\\\\', '\\') : s;
}

function columnFromRow(
  r: MetadataRow,
  kind: ServerKind,
  portable: (type: string) => string,
): WarehouseColumn {
  const dataType = (toStr(r['data_type']) ?? '').toLowerCase();
  const columnType = toStr(r['column_type']) ?? dataType;
  const rawKey = toStr(r['column_key']) ?? '';
  return {
    name: toStr(r['column_name']) ?? '',
    ordinal: toInt(r['ordinal_position']) ?? 0,
    dataType,
    columnType,
    portableType: portable(columnType === '' ? dataType : columnType),
    nullable: (toStr(r['is_nullable']) ?? '').toUpperCase() === 'YES',
    key: columnKey(rawKey),
    rawKey,
    defaultValue: columnDefault(r['column_default'], kind),
    extra: toStr(r['extra']) ?? '',
    comment: toText(r['column_comment']),
  };
}

function partitionFromRow(r: MetadataRow, offset: number): WarehousePartition {
  return {
    name: toStr(r['partition_name']) ?? '',
    subpartition: toText(r['subpartition_name']),
    method: toText(r['partition_method']),
    expression: toText(r['partition_expression']),
    description: toText(r['partition_description']),
    rowCount: nonNegative(toInt(r['table_rows'])),
    dataSize: nonNegative(toInt(r['data_length'])),
    updatedAt: toDate(r['update_time'], offset),
    buckets: null,
    replicationNum: null,
  };
}

function nonNegative(n: number | null): number | null {
  return n === null || n < 0 ? null : n;
}

/** Maps `SHOW PARTITIONS` rows (read by column name: the column set varies by version). */
function showPartitions(rows: MetadataRow[], table: string, offset: number): WarehousePartition[] {
  const parts = rows.map((r) => {
    const key = toText(pick(r, 'PartitionKey'));
    const range = toText(pick(r, 'Range'));
    return {
      name: toStr(pick(r, 'PartitionName')) ?? '',
      subpartition: null,
      method: null,
      expression: key,
      description: range,
      rowCount: nonNegative(toInt(pick(r, 'RowCount'))),
      dataSize: parseDataSize(pick(r, 'DataSize')),
      updatedAt: toDate(pick(r, 'VisibleVersionTime'), offset),
      buckets: toInt(pick(r, 'Buckets')),
      replicationNum: toInt(pick(r, 'ReplicationNum')),
    } satisfies WarehousePartition;
  });
  // An unpartitioned Doris table shows one partition named after the table with no key.
  const only = parts[0];
  if (parts.length === 1 && only && only.name === table && only.expression === null) return [];
  return parts;
}
