import { detectWith, type ServerInfo } from './detect-server.js';
import type { MetadataConnection } from './metadata-connection.js';
import { pick, QueryRunner, toStr } from './values.js';

/**
 * A catalog of a warehouse: Doris' `internal` catalog or an external one (Hive, Iceberg, JDBC,
 * ES, …). MySQL and MariaDB have one catalog.
 *
 * @example
 * ```ts
 * const catalog: WarehouseCatalog = { name: 'hive', type: 'hms', internal: false };
 * ```
 */
export interface WarehouseCatalog {
  /** Catalog name, as `readWarehouse`'s `catalog` option takes it. */
  readonly name: string;
  /** `internal`, or the external catalog's type (`hms`, `iceberg`, `jdbc`, `es`, …). */
  readonly type: string;
  /** True for Doris' internal catalog and for MySQL/MariaDB. */
  readonly internal: boolean;
}

/**
 * Lists the catalogs a sync can read. On Doris this runs `SHOW CATALOGS` (each catalog has its
 * own `information_schema`; pass an external one as the `catalog` option of
 * {@link readWarehouse} or {@link syncMetadata}). MySQL and MariaDB have one catalog, returned as
 * `internal` without a statement beyond detection.
 *
 * @param connection - a MySQL-protocol connection
 * @param server - the server, when already detected (saves one statement)
 * @returns the catalogs, internal first
 * @throws {@link SdkError} with code `SYNC_FAILED` when a statement fails
 * @example
 * ```ts
 * for (const c of await listCatalogs(connection)) {
 *   const report = await syncMetadata(portal, datasource, {
 *     connection,
 *     ...(c.internal ? {} : { catalog: c.name }),
 *   });
 * }
 * ```
 */
export async function listCatalogs(
  connection: MetadataConnection,
  server?: ServerInfo,
): Promise<WarehouseCatalog[]> {
  const runner = new QueryRunner(connection);
  const info = server ?? (await detectWith(runner));
  if (info.kind !== 'doris') return [{ name: 'internal', type: 'internal', internal: true }];
  const rows = await runner.rows('list catalogs', 'SHOW CATALOGS');
  const catalogs = rows
    .map((r) => {
      const name = toStr(pick(r, 'CatalogName')) ?? '';
      const type = (toStr(pick(r, 'Type')) ?? '').toLowerCase();
      return { name, type, internal: type === 'internal' || name === 'internal' };
    })
    .filter((c) => c.name !== '');
  return catalogs.sort((a, b) =>
    a.internal !== b.internal
      ? a.internal
        ? -1
        : 1
      : a.name < b.name
        ? -1
        : a.name > b.name
          ? 1
          : 0,
  );
}
