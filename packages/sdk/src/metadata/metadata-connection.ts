/**
 * What a metadata sync needs from a MySQL-protocol connection: `query()` with client-side `?`
 * interpolation, answering `[rows, fields]`. A mysql2/promise `Connection` (or `Pool`) fits as
 * is; the sdk never imports mysql2 itself.
 *
 * Only `query()` is used, never `execute()`: older Doris front ends reject server-side prepared
 * statements (`COM_STMT_PREPARE`).
 *
 * Every `information_schema` column the sync selects is aliased to a lower-case label, so the
 * rows look the same on Doris, MySQL 8 (which labels unaliased columns in upper case) and
 * MariaDB. Timestamps are converted to epoch seconds on the server (`UNIX_TIMESTAMP(...)`), so
 * mysql2's `timezone` and `dateStrings` options do not change the result.
 *
 * @example
 * ```ts
 * import mysql from 'mysql2/promise';
 * const connection: MetadataConnection = await mysql.createConnection({ host, port, user, password });
 * const snapshot = await readWarehouse(connection, { databases: ['ods'] });
 * ```
 */
export interface MetadataConnection {
  /**
   * Runs one statement.
   *
   * @param sql - the statement, with `?` placeholders for values
   * @param params - values for the placeholders, interpolated client-side
   * @returns the rows (an array of objects keyed by column label) and the field descriptions
   */
  query(sql: string, params?: unknown[]): Promise<readonly [unknown, unknown]>;
  /**
   * Closes the connection. {@link syncMetadata} calls it on connections it opened through its
   * `connect` option; connections passed in are left open.
   */
  end?(): Promise<void> | void;
}

/** One result row, keyed by column label. */
export type MetadataRow = Readonly<Record<string, unknown>>;
