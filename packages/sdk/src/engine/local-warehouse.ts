import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteWorker } from '../storage/sqlite-worker.js';
import type { LocalWarehouse } from './local-engine.js';

/** Options of {@link openSqliteWarehouse}. */
export interface SqliteWarehouseOptions {
  /**
   * Folder holding one SQLite file per schema (`<dir>/ods.db`, …). Omit for in-memory
   * databases.
   */
  readonly dir?: string;
  /** Schemas (databases) to attach, so `ods.orders` names table `orders` of schema `ods`. */
  readonly schemas: readonly string[];
  /**
   * `worker` (default): task SQL runs in a worker thread, so a long run never blocks the
   * process's event loop; `main`: synchronously on the calling thread.
   */
  readonly thread?: 'worker' | 'main';
}

/** A SQLite warehouse, with direct access for seeding and inspection. */
export interface SqliteWarehouse extends LocalWarehouse {
  /** Runs a query and returns its rows. */
  query(sql: string): Promise<Record<string, unknown>[]>;
  /** Closes the database. */
  close(): Promise<void>;
}

/**
 * Opens a SQLite "warehouse" for the local engine (node:sqlite, nothing to install): one
 * attached database per schema, so qualified names like `dwd.orders` work as in MySQL or Doris.
 *
 * @param options - folder and schemas
 * @returns the warehouse
 * @example
 * ```ts
 * const wh = await openSqliteWarehouse({ dir: '.data/warehouse', schemas: ['ods', 'dwd'] });
 * await wh.execute('CREATE TABLE IF NOT EXISTS ods.orders (id INTEGER, amount REAL)');
 * ```
 */
export async function openSqliteWarehouse(
  options: SqliteWarehouseOptions,
): Promise<SqliteWarehouse> {
  if (options.dir) mkdirSync(options.dir, { recursive: true });
  const attach: string[] = [];
  for (const schema of options.schemas) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(schema)) {
      throw new Error(`sdk: invalid warehouse schema name ${JSON.stringify(schema)}`);
    }
    const file = options.dir ? join(options.dir, `${schema}.db`) : ':memory:';
    attach.push(`ATTACH DATABASE '${file.replace(/'/g, "''")}' AS ${schema}`);
  }
  if ((options.thread ?? 'worker') === 'worker') {
    const db = await SqliteWorker.open(':memory:', attach);
    return {
      async execute(sql: string) {
        const r = await db.query(sql);
        return { rowsAffected: r.rows ? 0 : Number(r.changes ?? 0) };
      },
      async query(sql: string) {
        return (await db.query(sql)).rows ?? [];
      },
      async ping() {
        await db.query('select 1');
      },
      async close() {
        await db.close();
      },
    };
  }
  const { DatabaseSync } = await import('node:sqlite');
  const db = new DatabaseSync(':memory:');
  for (const sql of attach) db.exec(sql);
  return {
    async execute(sql: string) {
      const stmt = db.prepare(sql);
      if (stmt.columns().length > 0) {
        stmt.all();
        return { rowsAffected: 0 };
      }
      const r = stmt.run();
      return { rowsAffected: Number(r.changes) };
    },
    async query(sql: string) {
      return db.prepare(sql).all() as Record<string, unknown>[];
    },
    async ping() {
      db.prepare('select 1').get();
    },
    async close() {
      db.close();
    },
  };
}

/**
 * Opens a MySQL/MariaDB/Doris warehouse for the local engine through mysql2 (an optional peer
 * dependency). Statements run one at a time on a small pool.
 *
 * @param url - `mysql://user:pass@host:port/db`
 * @returns the warehouse
 * @example
 * ```ts
 * const wh = await openMysqlWarehouse('mysql://etl@127.0.0.1:9030/dw');
 * ```
 */
export async function openMysqlWarehouse(url: string): Promise<LocalWarehouse> {
  const mysql = (await import('mysql2/promise')).default;
  const pool = mysql.createPool({ uri: url, connectionLimit: 2, multipleStatements: false });
  return {
    async execute(sql: string) {
      const [result] = await pool.query(sql);
      const affected = (result as { affectedRows?: number }).affectedRows;
      return { rowsAffected: typeof affected === 'number' ? affected : 0 };
    },
    async ping() {
      await pool.query('select 1');
    },
    async close() {
      await pool.end();
    },
  };
}
