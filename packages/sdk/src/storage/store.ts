import { Kysely, MysqlDialect, SqliteDialect } from 'kysely';
import { Migrator } from 'kysely/migration';
import { SdkError } from '../errors.js';
import type { Database } from './database.js';
import { portalMigrations, type StoreDialect } from './migrations.js';
import { nodeSqliteDatabase } from './sqlite-driver.js';
import { SqliteWorker, WorkerSqliteDialect } from './sqlite-worker.js';

/** How to open the portal store. */
export type StoreConfig =
  | {
      /**
       * `mysql://user:pass@host:3306/db` (MySQL 8 or MariaDB, through the optional peer mysql2),
       * `sqlite:/path/to/file.db`, `sqlite::memory:` or `sqlite:` (in memory).
       */
      readonly url: string;
      /** Run pending migrations when opening. Defaults to false. */
      readonly migrate?: boolean;
      /** Maximum pool size for MySQL. Defaults to 10. */
      readonly poolSize?: number;
      /**
       * SQLite only: `worker` (default) runs every statement in a worker thread so a slow query
       * never blocks the event loop; `main` runs them synchronously on the calling thread
       * (slightly less latency per statement, for scripts and benchmarks).
       */
      readonly sqliteThread?: 'worker' | 'main';
    }
  | {
      /** An existing Kysely instance over the portal schema (the caller owns its lifecycle). */
      readonly kysely: Kysely<Database>;
      /** Which dialect that instance speaks. */
      readonly dialect: StoreDialect;
      /** Run pending migrations when opening. Defaults to false. */
      readonly migrate?: boolean;
    };

/** An open portal store: the Kysely instance plus lifecycle. */
export interface Store {
  /** The Kysely instance over the portal schema; repositories take it or a transaction. */
  readonly db: Kysely<Database>;
  /** The SQL dialect. */
  readonly dialect: StoreDialect;
  /** Applies pending migrations; idempotent. Returns the names of migrations applied now. */
  migrate(): Promise<string[]>;
  /** Checks the database answers. */
  ping(): Promise<void>;
  /** Closes the pool (only when the store opened it). */
  close(): Promise<void>;
}

/**
 * Masks the password of a connection URL for messages and logs.
 *
 * @param url - a connection URL
 * @returns the URL with any password replaced by `***`
 * @example
 * ```ts
 * redactUrl('mysql://root:secret@db:3306/portal'); // 'mysql://root:***@db:3306/portal'
 * ```
 */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z0-9+]+:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

async function mysqlKysely(url: string, poolSize: number): Promise<Kysely<Database>> {
  let mysql: typeof import('mysql2');
  try {
    mysql = (await import('mysql2')).default;
  } catch (err) {
    throw new SdkError(
      'STORAGE_FAILED',
      'sdk: the mysql store needs the mysql2 package (npm install mysql2)',
      { cause: err },
    );
  }
  const pool = mysql.createPool({
    uri: url,
    connectionLimit: poolSize,
    // Times are stored as epoch milliseconds, so the session time zone never shifts them;
    // BIGINT columns come back as numbers (all our values stay far below 2^53).
    supportBigNumbers: true,
    bigNumberStrings: false,
    decimalNumbers: true,
    dateStrings: true,
  });
  return new Kysely<Database>({ dialect: new MysqlDialect({ pool }) });
}

const SQLITE_PRAGMAS =
  'PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;';

async function sqliteKysely(path: string, thread: 'worker' | 'main'): Promise<Kysely<Database>> {
  const file = path === '' ? ':memory:' : path;
  if (thread === 'worker') {
    // Open now, so a bad path fails here rather than at the first query.
    const worker = await SqliteWorker.open(file, [SQLITE_PRAGMAS]);
    return new Kysely<Database>({ dialect: new WorkerSqliteDialect(async () => worker) });
  }
  const { DatabaseSync } = await import('node:sqlite');
  const raw = new DatabaseSync(file);
  raw.exec(SQLITE_PRAGMAS);
  return new Kysely<Database>({
    dialect: new SqliteDialect({ database: nodeSqliteDatabase(raw) }),
  });
}

/**
 * Opens the portal store on MySQL/MariaDB or SQLite.
 *
 * @param config - a connection URL, or an existing Kysely instance with its dialect
 * @returns the open store
 * @throws {@link SdkError} with code `VALIDATION_FAILED` for an unknown URL scheme,
 *   `STORAGE_FAILED` when the database cannot be reached or migrated
 * @example
 * ```ts
 * const store = await openStore({ url: 'sqlite::memory:', migrate: true });
 * const portal = new PortalService({ store });
 * ```
 */
export async function openStore(config: StoreConfig): Promise<Store> {
  let db: Kysely<Database>;
  let dialect: StoreDialect;
  let owned = true;
  if ('kysely' in config) {
    db = config.kysely;
    dialect = config.dialect;
    owned = false;
  } else if (/^mysql:\/\//i.test(config.url)) {
    db = await mysqlKysely(config.url, config.poolSize ?? 10);
    dialect = 'mysql';
  } else if (/^sqlite:/i.test(config.url)) {
    db = await sqliteKysely(
      config.url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, ''),
      config.sqliteThread ?? 'worker',
    );
    dialect = 'sqlite';
  } else {
    throw new SdkError(
      'VALIDATION_FAILED',
      `sdk: unsupported store url ${redactUrl(config.url)} (use mysql://… or sqlite:…)`,
    );
  }
  const store: Store = {
    db,
    dialect,
    async migrate() {
      const migrator = new Migrator({
        db,
        provider: portalMigrations(dialect),
        migrationTableName: 'dp_migration',
        migrationLockTableName: 'dp_migration_lock',
      });
      const { error, results } = await migrator.migrateToLatest();
      if (error) {
        throw new SdkError('STORAGE_FAILED', 'sdk: migration failed', { cause: error });
      }
      return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    },
    async ping() {
      await db.selectFrom('dp_lock').select('name').limit(1).execute();
    },
    async close() {
      if (owned) await db.destroy();
    },
  };
  if (config.migrate) {
    try {
      await store.migrate();
    } catch (err) {
      await store.close().catch(() => undefined);
      throw err instanceof SdkError
        ? err
        : new SdkError('STORAGE_FAILED', 'sdk: cannot open the store', { cause: err });
    }
  }
  return store;
}
