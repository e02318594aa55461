import { isSdkError, SdkError } from '../errors.js';
import type { Layer } from '../models/common.js';
import type { Datasource } from '../models/datasource.js';
import type { Field, FieldInput, Table, TableDrift, TableInput } from '../models/table.js';
import {
  computeDrift,
  inScope,
  type TableDriftEntry,
  type UnregisteredTable,
} from './compute-drift.js';
import type { ServerInfo } from './detect-server.js';
import type { MetadataConnection } from './metadata-connection.js';
import { type MetadataSyncProgress, readWarehouse } from './read-warehouse.js';
import type { WarehouseColumn, WarehouseTable } from './warehouse-snapshot.js';

/**
 * The part of the portal a metadata sync writes to. `PortalService` implements it; tests can pass
 * an in-memory fake.
 *
 * @example
 * ```ts
 * const portal: MetadataSyncPortal = new PortalService({ store });
 * await syncMetadata(portal, datasource, { connect });
 * ```
 */
export interface MetadataSyncPortal {
  /** Pages through registered tables (the sync reads every page, 1,000 at a time). */
  listTables(query: {
    readonly datasource?: string;
    readonly limit?: number;
    readonly cursor?: string;
  }): Promise<{
    readonly items: readonly Pick<Table, 'id' | 'qualifiedName' | 'datasource' | 'stats'>[];
    readonly nextCursor: string | null;
  }>;
  /** The fields of a registered table, in ordinal order. */
  getFields(
    ref: number | string,
  ): Promise<
    readonly Pick<Field, 'name' | 'type' | 'nullable' | 'key' | 'defaultValue' | 'description'>[]
  >;
  /** Registers a table (the sync registers unknown tables as `draft` with `registerUnknown`). */
  registerTable(input: TableInput): Promise<Pick<Table, 'id'>>;
  /** Replaces a table's fields. */
  setFields(ref: number | string, fields: readonly FieldInput[]): Promise<unknown>;
  /** Stores the statistics and drift a sync read. */
  recordTableSync(
    ref: number | string,
    sync: {
      readonly stats: {
        readonly rowCount: number | null;
        readonly dataSize: number | null;
        readonly lastModified: Date | null;
      };
      readonly drift: TableDrift | null;
    },
  ): Promise<unknown>;
}

/**
 * Where and as whom to connect, handed to the `connect` option of {@link syncMetadata}. The
 * password was resolved by the caller's `resolvePassword`; it is not enumerable, so logging or
 * serialising the target does not print it.
 *
 * @example
 * ```ts
 * const connect = (t: ConnectTarget) =>
 *   mysql.createConnection({ host: t.host, port: t.port, user: t.user, password: t.password });
 * ```
 */
export interface ConnectTarget {
  /** The datasource being synced. */
  readonly datasource: Datasource;
  /** Host (defaults to `127.0.0.1` when the datasource has none). */
  readonly host: string;
  /** Port (datasource's, else 9030 for Doris — the FE query port — and 3306 otherwise). */
  readonly port: number;
  /** User name, when the datasource has one. */
  readonly user?: string;
  /** The password from `resolvePassword(datasource.passwordRef)`; never logged by the sdk. */
  readonly password?: string;
  /** Default database, when the datasource has one. */
  readonly database?: string;
}

/**
 * Options of {@link syncMetadata}.
 *
 * @example
 * ```ts
 * const options: SyncMetadataOptions = {
 *   databases: ['ods', 'dwd'],
 *   registerUnknown: true,
 *   resolvePassword: (ref) => (ref.startsWith('env:') ? process.env[ref.slice(4)] : undefined),
 *   connect: (t) => mysql.createConnection({ host: t.host, port: t.port, user: t.user, password: t.password }),
 * };
 * ```
 */
export interface SyncMetadataOptions {
  /** Databases to sync (case-insensitive). Default: every non-system database. */
  readonly databases?: readonly string[];
  /** Single tables to sync, as `db.table`. Registered tables outside the scope are left alone. */
  readonly tables?: readonly string[];
  /** Doris: the catalog to read (`internal` by default); other catalogs give `catalog.db.table` names. */
  readonly catalog?: string;
  /** Count rows exactly with `SELECT COUNT(*)` (costly; see {@link ReadWarehouseOptions.exactCounts}). */
  readonly exactCounts?: boolean;
  /** Partition sources, see {@link ReadWarehouseOptions.partitions}. */
  readonly partitions?: 'auto' | 'information-schema' | 'none';
  /** MySQL 8 statistics freshness, see {@link ReadWarehouseOptions.freshStats}. */
  readonly freshStats?: boolean;
  /**
   * Register warehouse tables the portal does not know as `draft`, with a layer guessed from the
   * name (`ods_`… prefixes or schema names) or `defaultLayer`. Default false (report only).
   */
  readonly registerUnknown?: boolean;
  /** Layer for unknown tables whose name says nothing. Default `ODS`. */
  readonly defaultLayer?: Layer;
  /**
   * Replace the fields of registered tables with the warehouse's columns when they differ.
   * Default true; false keeps the registry's fields and only records stats and drift.
   */
  readonly updateFields?: boolean;
  /** Which type to store in fields: the server's `COLUMN_TYPE` (`native`, default) or the `portable` one. */
  readonly fieldType?: 'native' | 'portable';
  /** Opens a connection for the datasource; the sync closes it (`end()`) when done reading. */
  readonly connect?: (target: ConnectTarget) => Promise<MetadataConnection>;
  /** An open connection to use instead of `connect` (left open). */
  readonly connection?: MetadataConnection;
  /**
   * Turns the datasource's `passwordRef` (`env:VAR`, `secret:name`) into the password for
   * `connect`. The sdk never reads the environment itself.
   */
  readonly resolvePassword?: (ref: string) => string | undefined | Promise<string | undefined>;
  /** Concurrent registry writes. Default 4. */
  readonly concurrency?: number;
  /** Called as the sync advances (reading, then `write`). */
  readonly onProgress?: (progress: MetadataSyncProgress) => void;
}

/**
 * A table the sync found unregistered, and what it did about it.
 *
 * @example
 * ```ts
 * for (const u of report.unregistered) if (u.registeredId !== null) console.log('registered', u.qualifiedName);
 * ```
 */
export interface SyncUnregisteredTable extends UnregisteredTable {
  /** Id of the `draft` table registered for it (with `registerUnknown`), else null. */
  readonly registeredId: number | null;
  /** The layer it was registered with, else null. */
  readonly registeredLayer: Layer | null;
}

/**
 * A registry write that failed; the sync goes on with the other tables.
 *
 * @example
 * ```ts
 * for (const e of report.errors) console.warn(e.qualifiedName, e.code, e.message);
 * ```
 */
export interface SyncError {
  /** The table concerned. */
  readonly qualifiedName: string;
  /** `registerTable`, `setFields`, `recordTableSync` or `getFields`. */
  readonly operation: 'registerTable' | 'setFields' | 'recordTableSync' | 'getFields';
  /** The sdk error code, or `UNKNOWN` for a non-sdk error. */
  readonly code: string;
  /** The error message. */
  readonly message: string;
}

/**
 * What {@link syncMetadata} did.
 *
 * @example
 * ```ts
 * const report: MetadataSyncReport = await syncMetadata(portal, datasource, { connect });
 * console.log(report.counts, report.missingInWarehouse, report.durationMs);
 * ```
 */
export interface MetadataSyncReport {
  /** Datasource name. */
  readonly datasource: string;
  /** The server that answered. */
  readonly server: ServerInfo;
  /** Doris catalog read; null on MySQL/MariaDB. */
  readonly catalog: string | null;
  /** Start and end of the sync. */
  readonly startedAt: Date;
  /** End of the sync. */
  readonly finishedAt: Date;
  /** Wall time in milliseconds. */
  readonly durationMs: number;
  /** Statements issued to the warehouse. */
  readonly queries: number;
  /** Databases read completely. */
  readonly databases: readonly string[];
  /** Databases asked for that the warehouse does not have. */
  readonly missingDatabases: readonly string[];
  /** Totals. */
  readonly counts: {
    /** Tables and views read from the warehouse. */
    readonly warehouseTables: number;
    /** Registered tables compared (in scope). */
    readonly registered: number;
    /** Registered tables whose columns match. */
    readonly inSync: number;
    /** Registered tables with columns added, removed or retyped. */
    readonly drifted: number;
    /** Registered tables the warehouse no longer has. */
    readonly missing: number;
    /** Warehouse tables not registered (before `registerUnknown`). */
    readonly unregistered: number;
    /** Tables registered as `draft` by this sync. */
    readonly newlyRegistered: number;
    /** Registered tables whose fields were replaced. */
    readonly fieldsUpdated: number;
    /** Tables whose stats and drift were recorded. */
    readonly statsRecorded: number;
  };
  /** Drift per registered table in scope (including `in-sync` ones), by qualified name. */
  readonly tables: readonly TableDriftEntry[];
  /** Registered tables the warehouse no longer has. */
  readonly missingInWarehouse: readonly string[];
  /** Warehouse tables that were not registered. */
  readonly unregistered: readonly SyncUnregisteredTable[];
  /** Registry writes that failed. */
  readonly errors: readonly SyncError[];
  /** True when row counts are server estimates (always, unless `exactCounts`). */
  readonly rowCountsAreEstimates: boolean;
  /** True on Doris: data sizes sum every replica. */
  readonly dataSizeIncludesReplicas: boolean;
  /** Caveats (estimates, replicas, kind mismatch, partition sources). */
  readonly notes: readonly string[];
}

/**
 * Datasource kinds {@link syncMetadata} can read (over the MySQL protocol).
 *
 * @example
 * ```ts
 * const syncable = (await portal.listDatasources()).filter((d) => SYNCABLE_DATASOURCE_KINDS.includes(d.kind));
 * ```
 */
export const SYNCABLE_DATASOURCE_KINDS: readonly Datasource['kind'][] = [
  'doris',
  'mysql',
  'mariadb',
];
const TYPE_MAX = 128;

/**
 * Syncs a datasource's metadata into the portal registry: reads the warehouse with
 * {@link readWarehouse}, compares it with the registered tables with {@link computeDrift}, then
 * for every registered table in scope replaces its fields when they differ (`updateFields`) and
 * records its stats (row count, data size, last modified) and drift; optionally registers unknown
 * tables as `draft`.
 *
 * Registered tables are those whose `datasource` is this datasource's name, plus tables with no
 * datasource whose qualified name the warehouse has. Matching is by lower-case `db.table`.
 * A registered table is reported missing only when its database was listed completely; tables
 * hidden by missing privileges look dropped, so grant `SHOW`/`SELECT` on every synced database.
 *
 * The sdk never reads the environment: pass `connect` (and `resolvePassword` for the datasource's
 * `passwordRef`), or an open `connection`.
 *
 * @param portal - the registry (a `PortalService`)
 * @param datasource - the datasource to sync (`doris`, `mysql` or `mariadb`)
 * @param options - scope, behaviour and how to connect
 * @returns the report
 * @throws {@link SdkError} `VALIDATION_FAILED` for a datasource kind other than doris/mysql/mariadb
 *   or when neither `connect` nor `connection` is given; `SYNC_FAILED` when connecting or reading
 *   the warehouse fails (the registry is then left untouched). Registry write failures do not
 *   throw; they are listed in `errors`.
 * @example
 * ```ts
 * import mysql from 'mysql2/promise';
 * const report = await syncMetadata(portal, datasource, {
 *   databases: ['ods', 'dwd'],
 *   registerUnknown: true,
 *   resolvePassword: (ref) => (ref.startsWith('env:') ? process.env[ref.slice(4)] : undefined),
 *   connect: (t) =>
 *     mysql.createConnection({ host: t.host, port: t.port, user: t.user, password: t.password }),
 * });
 * console.log(report.counts.drifted, report.missingInWarehouse);
 * ```
 */
export async function syncMetadata(
  portal: MetadataSyncPortal,
  datasource: Datasource,
  options: SyncMetadataOptions,
): Promise<MetadataSyncReport> {
  const startedAt = new Date();
  if (!SYNCABLE_DATASOURCE_KINDS.includes(datasource.kind)) {
    throw new SdkError(
      'VALIDATION_FAILED',
      `sdk: datasource ${datasource.name} is ${datasource.kind}; metadata sync reads doris, mysql and mariadb`,
      { issues: [{ path: ['kind'], message: 'must be doris, mysql or mariadb', code: 'custom' }] },
    );
  }
  const progress = options.onProgress ?? (() => {});
  let connection = options.connection;
  let opened = false;
  if (connection === undefined) {
    if (options.connect === undefined) {
      throw new SdkError(
        'VALIDATION_FAILED',
        'sdk: syncMetadata needs a connect function or a connection',
        {
          issues: [{ path: ['connect'], message: 'give connect or connection', code: 'custom' }],
        },
      );
    }
    const target = await connectTarget(datasource, options);
    try {
      connection = await options.connect(target);
    } catch (err) {
      // The driver's message may echo the user but never the password we hold.
      const reason = err instanceof Error ? err.message : String(err);
      throw new SdkError(
        'SYNC_FAILED',
        `sdk: cannot connect to datasource ${datasource.name} at ${target.host}:${target.port}: ${reason.slice(0, 200)}`,
        { cause: err, details: { datasource: datasource.name } },
      );
    }
    opened = true;
  }

  let snapshot: Awaited<ReturnType<typeof readWarehouse>>;
  try {
    snapshot = await readWarehouse(connection, {
      ...(options.databases !== undefined && { databases: options.databases }),
      ...(options.tables !== undefined && { tables: options.tables }),
      ...(options.catalog !== undefined && { catalog: options.catalog }),
      ...(options.exactCounts !== undefined && { exactCounts: options.exactCounts }),
      ...(options.partitions !== undefined && { partitions: options.partitions }),
      ...(options.freshStats !== undefined && { freshStats: options.freshStats }),
      onProgress: progress,
    });
  } finally {
    if (opened) await Promise.resolve(connection.end?.()).catch(() => {});
  }

  const notes = [...snapshot.notes];
  if (snapshot.server.kind !== datasource.kind) {
    notes.push(
      `Datasource ${datasource.name} is declared ${datasource.kind} but the server is ${snapshot.server.kind} ${snapshot.server.version}.`,
    );
  }

  // Registered tables: this datasource's, plus unassigned ones the warehouse has.
  const inWarehouse = new Map(snapshot.tables.map((t) => [t.qualifiedName, t]));
  const registered: Pick<Table, 'id' | 'qualifiedName' | 'datasource' | 'stats'>[] = [];
  let cursor: string | null = null;
  do {
    const page: Awaited<ReturnType<MetadataSyncPortal['listTables']>> = await portal.listTables(
      cursor === null ? { limit: 1000 } : { limit: 1000, cursor },
    );
    for (const t of page.items) {
      const qn = t.qualifiedName.toLowerCase();
      const mine = t.datasource === datasource.name;
      const unassigned = (t.datasource ?? null) === null && inWarehouse.has(qn);
      if ((mine && (inWarehouse.has(qn) || inScope(qn, snapshot.scope))) || unassigned) {
        registered.push(t);
      }
    }
    cursor = page.nextCursor;
  } while (cursor !== null);

  const errors: SyncError[] = [];
  const fail = (qualifiedName: string, operation: SyncError['operation'], err: unknown) => {
    errors.push({
      qualifiedName,
      operation,
      code: isSdkError(err) ? err.code : 'UNKNOWN',
      message: err instanceof Error ? err.message : String(err),
    });
  };
  const concurrency = Math.max(1, options.concurrency ?? 4);

  const fieldsById = new Map<number, Awaited<ReturnType<MetadataSyncPortal['getFields']>>>();
  await eachLimit(registered, concurrency, async (t) => {
    try {
      fieldsById.set(t.id, await portal.getFields(t.id));
    } catch (err) {
      fail(t.qualifiedName, 'getFields', err);
    }
  });
  const comparable = registered.filter((t) => fieldsById.has(t.id));
  const drift = computeDrift(
    comparable.map((t) => ({
      id: t.id,
      qualifiedName: t.qualifiedName,
      fields: fieldsById.get(t.id) ?? [],
    })),
    snapshot,
  );

  const byId = new Map(comparable.map((t) => [t.id, t]));
  const fieldType = options.fieldType ?? 'native';
  let fieldsUpdated = 0;
  let statsRecorded = 0;
  let newlyRegistered = 0;
  // A registered table whose fields could not be read is not "unregistered".
  const known = new Set(registered.map((t) => t.qualifiedName.toLowerCase()));
  const unregistered: SyncUnregisteredTable[] = drift.unregistered
    .filter((u) => !known.has(u.qualifiedName))
    .map((u) => ({ ...u, registeredId: null, registeredLayer: null }));
  const total = drift.tables.length + (options.registerUnknown ? unregistered.length : 0);
  let done = 0;
  const tick = () => progress({ phase: 'write', done: ++done, total });
  progress({ phase: 'write', done: 0, total });

  await eachLimit(drift.tables, concurrency, async (entry) => {
    const reg = entry.tableId === null ? undefined : byId.get(entry.tableId);
    if (!reg) return;
    const found = inWarehouse.get(entry.qualifiedName);
    const tableDrift: TableDrift | null =
      entry.status === 'in-sync'
        ? null
        : {
            columnsAdded: entry.columnsAdded,
            columnsRemoved: entry.columnsRemoved,
            typeChanged: entry.typeChanged,
            missingInWarehouse: entry.missingInWarehouse,
          };
    if (found && options.updateFields !== false) {
      const fields = found.columns.map((c) => fieldInput(c, fieldType));
      if (fieldsDiffer(fieldsById.get(reg.id) ?? [], fields)) {
        try {
          await portal.setFields(reg.id, fields);
          fieldsUpdated += 1;
        } catch (err) {
          fail(entry.qualifiedName, 'setFields', err);
        }
      }
    }
    try {
      await portal.recordTableSync(reg.id, {
        // A missing table keeps its last known stats; the drift says it is gone.
        stats: found
          ? statsOf(found)
          : {
              rowCount: reg.stats.rowCount,
              dataSize: reg.stats.dataSize,
              lastModified: reg.stats.lastModified,
            },
        drift: tableDrift,
      });
      statsRecorded += 1;
    } catch (err) {
      fail(entry.qualifiedName, 'recordTableSync', err);
    }
    tick();
  });

  if (options.registerUnknown) {
    await eachLimit(unregistered, concurrency, async (u, i) => {
      const found = inWarehouse.get(u.qualifiedName);
      if (!found) return;
      const layer = u.layerGuess ?? options.defaultLayer ?? 'ODS';
      try {
        const created = await portal.registerTable({
          qualifiedName: u.qualifiedName,
          layer,
          status: 'draft',
          datasource: datasource.name,
          ...(found.comment !== null && { description: found.comment.slice(0, 4000) }),
          fields: found.columns.slice(0, 2000).map((c) => fieldInput(c, fieldType)),
        });
        newlyRegistered += 1;
        unregistered[i] = { ...u, registeredId: created.id, registeredLayer: layer };
        try {
          await portal.recordTableSync(created.id, { stats: statsOf(found), drift: null });
          statsRecorded += 1;
        } catch (err) {
          fail(u.qualifiedName, 'recordTableSync', err);
        }
      } catch (err) {
        fail(u.qualifiedName, 'registerTable', err);
      }
      tick();
    });
  }

  const finishedAt = new Date();
  const count = (s: TableDriftEntry['status']) => drift.tables.filter((t) => t.status === s).length;
  return {
    datasource: datasource.name,
    server: snapshot.server,
    catalog: snapshot.catalog,
    startedAt,
    finishedAt,
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    queries: snapshot.queries,
    databases: snapshot.databases,
    missingDatabases: snapshot.missingDatabases,
    counts: {
      warehouseTables: snapshot.tables.length,
      registered: drift.tables.length,
      inSync: count('in-sync'),
      drifted: count('drifted'),
      missing: count('missing'),
      unregistered: unregistered.length,
      newlyRegistered,
      fieldsUpdated,
      statsRecorded,
    },
    tables: drift.tables,
    missingInWarehouse: drift.missingInWarehouse,
    unregistered,
    errors,
    rowCountsAreEstimates: snapshot.rowCountsAreEstimates,
    dataSizeIncludesReplicas: snapshot.dataSizeIncludesReplicas,
    notes,
  };
}

async function connectTarget(
  datasource: Datasource,
  options: SyncMetadataOptions,
): Promise<ConnectTarget> {
  const password =
    datasource.passwordRef !== undefined && options.resolvePassword !== undefined
      ? await options.resolvePassword(datasource.passwordRef)
      : undefined;
  const target = {
    datasource,
    host: datasource.host ?? '127.0.0.1',
    port: datasource.port ?? (datasource.kind === 'doris' ? 9030 : 3306),
    ...(datasource.user !== undefined && { user: datasource.user }),
    ...(datasource.database !== undefined && { database: datasource.database }),
  };
  if (password !== undefined) {
    Object.defineProperty(target, 'password', { value: password, enumerable: false });
  }
  return target;
}

function statsOf(t: WarehouseTable): {
  rowCount: number | null;
  dataSize: number | null;
  lastModified: Date | null;
} {
  return { rowCount: t.rowCount, dataSize: t.dataSize, lastModified: t.updatedAt };
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

function fieldInput(c: WarehouseColumn, fieldType: 'native' | 'portable'): FieldInput {
  const preferred = fieldType === 'native' ? c.columnType : c.portableType;
  // Long nested Doris types fall back to the shorter portable spelling, then get clipped.
  const type = preferred.length <= TYPE_MAX ? preferred : clip(c.portableType, TYPE_MAX);
  return {
    name: c.name,
    type,
    nullable: c.nullable,
    key: c.key,
    defaultValue: c.defaultValue === null ? null : clip(c.defaultValue, 1000),
    ...(c.comment !== null && { description: clip(c.comment, 2000) }),
  };
}

function fieldsDiffer(
  current: readonly Pick<
    Field,
    'name' | 'type' | 'nullable' | 'key' | 'defaultValue' | 'description'
  >[],
  next: readonly FieldInput[],
): boolean {
  if (current.length !== next.length) return true;
  return next.some((n, i) => {
    const c = current[i];
    return (
      !c ||
      c.name !== n.name ||
      c.type !== n.type ||
      c.nullable !== (n.nullable ?? true) ||
      c.key !== (n.key ?? 'none') ||
      (c.defaultValue ?? null) !== (n.defaultValue ?? null) ||
      (c.description ?? null) !== (n.description ?? null)
    );
  });
}

async function eachLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
