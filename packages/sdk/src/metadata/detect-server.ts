import type { MetadataConnection, MetadataRow } from './metadata-connection.js';
import { QueryRunner, toInt, toStr } from './values.js';

/** The MySQL-protocol servers a metadata sync understands. */
export type ServerKind = 'doris' | 'mysql' | 'mariadb';

/**
 * What {@link detectServer} learnt about a server.
 *
 * @example
 * ```ts
 * const info: ServerInfo = await detectServer(connection);
 * if (info.kind === 'doris') console.log(`Doris ${info.version}`);
 * ```
 */
export interface ServerInfo {
  /** `doris`, `mysql` or `mariadb`. */
  readonly kind: ServerKind;
  /** The product version, e.g. `2.1.7` (Doris), `8.0.36`, `10.11.6`; `unknown` when not parsable. */
  readonly version: string;
  /** `VERSION()` verbatim (always `5.7.99` on Doris). */
  readonly versionString: string;
  /** `@@version_comment` verbatim (carries the real version on Doris). */
  readonly versionComment: string;
  /**
   * Offset east of UTC, in seconds, of the session time zone at detection time
   * (`TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), NOW())`; 0 when the server cannot answer that). Used
   * only for the zone-less strings of Doris `SHOW PARTITIONS`; every `information_schema` time is
   * converted server-side.
   */
  readonly utcOffsetSeconds: number;
}

/**
 * Classifies a server from `VERSION()` and `@@version_comment` without a connection.
 *
 * Doris reports `VERSION()` as a fixed `5.7.99`; its real version is in `@@version_comment`
 * (`Doris version doris-2.1.7-rc01-…`). MariaDB puts `MariaDB` in `VERSION()`. Anything else is
 * MySQL.
 *
 * @param versionString - `VERSION()`
 * @param versionComment - `@@version_comment`
 * @returns the kind and the parsed product version
 * @example
 * ```ts
 * classifyServer('5.7.99', 'Doris version doris-2.1.7-rc01-443e87e203');
 * // { kind: 'doris', version: '2.1.7' }
 * classifyServer('10.11.6-MariaDB-0+deb12u1', 'Debian 12'); // { kind: 'mariadb', version: '10.11.6' }
 * classifyServer('8.0.36', 'MySQL Community Server - GPL'); // { kind: 'mysql', version: '8.0.36' }
 * ```
 */
export function classifyServer(
  versionString: string,
  versionComment: string,
): { kind: ServerKind; version: string } {
  if (/doris/i.test(versionComment)) {
    const m =
      /doris-(\d+\.\d+(?:\.\d+)*)/i.exec(versionComment) ??
      /(\d+\.\d+\.\d+(?:\.\d+)?)/.exec(versionComment);
    return { kind: 'doris', version: m?.[1] ?? 'unknown' };
  }
  const version = /^(\d+\.\d+(?:\.\d+)?)/.exec(versionString)?.[1] ?? 'unknown';
  if (/mariadb/i.test(versionString) || /mariadb/i.test(versionComment)) {
    return { kind: 'mariadb', version };
  }
  return { kind: 'mysql', version };
}

/**
 * Detects the server behind a MySQL-protocol connection with one query
 * (`SELECT VERSION(), @@version_comment, …`).
 *
 * @param connection - a MySQL-protocol connection
 * @returns the server kind, version and session time-zone offset
 * @throws {@link SdkError} with code `SYNC_FAILED` when the query fails
 * @example
 * ```ts
 * const info = await detectServer(connection);
 * console.log(info.kind, info.version); // 'doris' '2.1.7'
 * ```
 */
export async function detectServer(connection: MetadataConnection): Promise<ServerInfo> {
  return detectWith(new QueryRunner(connection));
}

/** @internal */
export async function detectWith(runner: QueryRunner): Promise<ServerInfo> {
  let rows: MetadataRow[];
  try {
    rows = await runner.rows(
      'detect the server version',
      'SELECT VERSION() AS version, @@version_comment AS version_comment, ' +
        'TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), NOW()) AS utc_offset',
    );
  } catch {
    // A front end without TIMESTAMPDIFF/UTC_TIMESTAMP still identifies itself; the offset then
    // defaults to 0 (it only matters for Doris SHOW PARTITIONS times).
    rows = await runner.rows(
      'detect the server version',
      'SELECT VERSION() AS version, @@version_comment AS version_comment',
    );
  }
  const row = rows[0] ?? {};
  const versionString = toStr(row['version']) ?? '';
  const versionComment = toStr(row['version_comment']) ?? '';
  const { kind, version } = classifyServer(versionString, versionComment);
  // Round to whole minutes: the two clock reads can straddle a second boundary.
  const offset = toInt(row['utc_offset']) ?? 0;
  return {
    kind,
    version,
    versionString,
    versionComment,
    utcOffsetSeconds: Math.round(offset / 60) * 60,
  };
}
