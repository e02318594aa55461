/**
 * Dataset naming by the OpenLineage naming conventions
 * (https://openlineage.io/docs/spec/naming): the namespace names the data source, the name the
 * path inside it.
 *
 * | Source | Namespace | Name |
 * | --- | --- | --- |
 * | MySQL / MariaDB | `mysql://{host}:{port}` | `{database}.{table}` |
 * | Hive | `hive://{host}:{port}` (metastore) | `{database}.{table}` |
 * | Kafka | `kafka://{bootstrap host}:{port}` | `{topic}` |
 * | PostgreSQL | `postgres://{host}:{port}` | `{database}.{schema}.{table}` |
 * | Doris (not in the spec) | `doris://{fe host}:{query port}` | `{database}.{table}` |
 *
 * Doris is not in the naming table. It speaks the MySQL protocol, so MySQL-based producers
 * (Spark JDBC, Flink JDBC) name its tables `mysql://{fe host}:{query port}`; the portal writes
 * `doris://…` and adds a `symlinks` facet with the `mysql://` identity, and the reader accepts
 * both.
 *
 * @module
 */

/**
 * Where a table lives: the datasource kind and address.
 *
 * @example
 * ```ts
 * import type { DatasetLocation } from '@dataportal/openlineage';
 * const l: DatasetLocation = { kind: 'doris', host: 'fe1', port: 9030 };
 * ```
 */
export interface DatasetLocation {
  /** `mysql`, `mariadb`, `doris`, `hive`, `kafka`, `postgres`, `sqlite`, … */
  readonly kind: string;
  readonly host?: string | undefined;
  readonly port?: number | undefined;
  /** For file-based sources (sqlite): the path. */
  readonly path?: string | undefined;
}

/**
 * A dataset's OpenLineage identity.
 *
 * @example
 * ```ts
 * import type { DatasetIdentity } from '@dataportal/openlineage';
 * const id: DatasetIdentity = { namespace: 'mysql://db:3306', name: 'ods.orders' };
 * ```
 */
export interface DatasetIdentity {
  readonly namespace: string;
  readonly name: string;
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = {
  mysql: 3306,
  mariadb: 3306,
  doris: 9030,
  hive: 9083,
  kafka: 9092,
  postgres: 5432,
};

/** Schemes whose datasets are addressed through the MySQL protocol. */
const MYSQL_LIKE: ReadonlySet<string> = new Set(['mysql', 'mariadb', 'doris']);

function scheme(kind: string): string {
  return kind === 'mariadb' ? 'mysql' : kind === 'postgresql' ? 'postgres' : kind;
}

/**
 * The OpenLineage identity of a portal table (or Kafka topic) at a location.
 *
 * @param location - the datasource kind and address; host defaults to `localhost`, the port to the
 *   kind's default (3306, 9030, 9083, 9092, 5432)
 * @param name - the table as the portal writes it (`db.table`) or the topic
 * @returns namespace and name
 * @example
 * ```ts
 * import { datasetIdentity } from '@dataportal/openlineage';
 * datasetIdentity({ kind: 'mysql', host: 'db', port: 3306 }, 'ODS.Orders');
 * // { namespace: 'mysql://db:3306', name: 'ods.orders' }
 * ```
 */
export function datasetIdentity(location: DatasetLocation, name: string): DatasetIdentity {
  const kind = location.kind.toLowerCase();
  if (kind === 'sqlite') {
    return { namespace: `sqlite://${location.path ?? location.host ?? 'localhost'}`, name };
  }
  const host = (location.host ?? 'localhost').toLowerCase();
  const port = location.port ?? DEFAULT_PORTS[kind];
  const authority = port === undefined ? host : `${host}:${port}`;
  const normalised = kind === 'kafka' ? name : name.toLowerCase();
  return { namespace: `${scheme(kind)}://${authority}`, name: normalised };
}

/**
 * Other identities the same dataset is known by (written as a `symlinks` facet): a Doris table is
 * also `mysql://{fe host}:{query port}`.
 *
 * @param location - the datasource kind and address
 * @param name - the table as the portal writes it
 * @returns the alternative identities (empty for most kinds)
 * @example
 * ```ts
 * import { datasetAliases } from '@dataportal/openlineage';
 * datasetAliases({ kind: 'doris', host: 'fe', port: 9030 }, 'dwd.a'); // [{ namespace: 'mysql://fe:9030', name: 'dwd.a' }]
 * ```
 */
export function datasetAliases(location: DatasetLocation, name: string): DatasetIdentity[] {
  if (location.kind.toLowerCase() !== 'doris') return [];
  const own = datasetIdentity(location, name);
  return [{ namespace: own.namespace.replace(/^doris:/, 'mysql:'), name: own.name }];
}

/**
 * A namespace read back: scheme and authority.
 *
 * @example
 * ```ts
 * import type { ParsedNamespace } from '@dataportal/openlineage';
 * const p: ParsedNamespace = { scheme: 'mysql', host: 'db', port: 3306 };
 * ```
 */
export interface ParsedNamespace {
  readonly scheme: string;
  readonly host: string;
  readonly port: number | undefined;
}

/**
 * Reads a dataset namespace (`mysql://db:3306`, `hive://metastore:9083`, `kafka://broker:9092`).
 *
 * @param namespace - the dataset namespace
 * @returns scheme, host and port, or undefined when it is not `scheme://authority`
 * @example
 * ```ts
 * import { parseNamespace } from '@dataportal/openlineage';
 * parseNamespace('mysql://DB:3306'); // { scheme: 'mysql', host: 'db', port: 3306 }
 * ```
 */
export function parseNamespace(namespace: string): ParsedNamespace | undefined {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/:?#]*)(?::(\d+))?/i.exec(namespace.trim());
  if (m === null) return undefined;
  const port = m[3] === undefined ? undefined : Number(m[3]);
  return { scheme: (m[1] ?? '').toLowerCase(), host: (m[2] ?? '').toLowerCase(), port };
}

/**
 * Whether a dataset namespace points at a datasource: same kind family (MySQL, MariaDB and Doris
 * all answer `mysql://`), same host, same port (defaults filled in).
 *
 * @param namespace - a dataset namespace from an event
 * @param location - a portal datasource
 * @returns true when the namespace is the datasource's
 * @example
 * ```ts
 * import { namespaceMatches } from '@dataportal/openlineage';
 * namespaceMatches('mysql://fe:9030', { kind: 'doris', host: 'fe', port: 9030 }); // true
 * ```
 */
export function namespaceMatches(namespace: string, location: DatasetLocation): boolean {
  const p = parseNamespace(namespace);
  if (p === undefined) return false;
  const kind = location.kind.toLowerCase();
  const sameFamily =
    p.scheme === scheme(kind) || (MYSQL_LIKE.has(kind) && MYSQL_LIKE.has(p.scheme));
  if (!sameFamily) return false;
  if (p.host !== (location.host ?? 'localhost').toLowerCase()) return false;
  const portOf = (s: string, port: number | undefined) => port ?? DEFAULT_PORTS[s];
  return portOf(p.scheme, p.port) === portOf(kind, location.port);
}
