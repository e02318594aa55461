import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { SdkError } from '../errors.js';
import { openStore, redactUrl, type Store } from '../storage/store.js';

/** A migrated store on its own database, removed by `drop()`. */
export interface TestStore extends Store {
  /** Closes the store and drops its database. */
  drop(): Promise<void>;
  /** The connection URL of the store's own database. */
  readonly url: string;
}

/** Options for {@link createTestStore}. */
export interface TestStoreOptions {
  /** `sqlite` for an in-memory database, `mysql` for a fresh database on `serverUrl`. */
  readonly dialect: 'sqlite' | 'mysql';
  /** For mysql: a URL of the server with a user allowed to create databases. */
  readonly serverUrl?: string;
}

/**
 * The MySQL URL tests should use, from the value given (usually an environment variable the
 * caller read), defaulting to the local MariaDB that CI provides.
 *
 * @param configured - a URL from configuration, if any
 * @returns a `mysql://` URL
 * @example
 * ```ts
 * const url = mysqlTestUrl(process.env.DATAPORTAL_TEST_MYSQL_URL);
 * ```
 */
export function mysqlTestUrl(configured?: string): string {
  return configured && configured !== '' ? configured : 'mysql://root@127.0.0.1:3306/test';
}

/**
 * Creates a migrated store on a throwaway database: in-memory SQLite, or a new uniquely named
 * database on a MySQL/MariaDB server.
 *
 * @param options - dialect and server URL
 * @returns the store; call `drop()` when done
 * @throws SdkError `STORAGE_FAILED` when the MySQL server cannot be reached
 * @example
 * ```ts
 * const store = await createTestStore({ dialect: 'mysql', serverUrl: mysqlTestUrl() });
 * try { … } finally { await store.drop(); }
 * ```
 */
export async function createTestStore(options: TestStoreOptions): Promise<TestStore> {
  if (options.dialect === 'sqlite') {
    const store = await openStore({ url: 'sqlite::memory:', migrate: true });
    return { ...store, url: 'sqlite::memory:', drop: () => store.close() };
  }
  const serverUrl = mysqlTestUrl(options.serverUrl);
  const name = `dp_test_${randomBytes(6).toString('hex')}`;
  const mysql = (await import('mysql2/promise')).default;
  let admin: Awaited<ReturnType<typeof mysql.createConnection>>;
  try {
    admin = await mysql.createConnection({ uri: serverUrl, connectTimeout: 5000 });
  } catch (err) {
    throw new SdkError('STORAGE_FAILED', `sdk: cannot reach MySQL at ${redactUrl(serverUrl)}`, {
      cause: err,
    });
  }
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  } finally {
    await admin.end();
  }
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const store = await openStore({ url, migrate: true, poolSize: 5 });
  return {
    ...store,
    url,
    async drop() {
      await store.close();
      const c = await mysql.createConnection({ uri: serverUrl });
      try {
        await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * Whether something answers the MySQL handshake at the URL's host and port (within 1.5 s).
 *
 * @param url - a `mysql://` URL
 * @returns true when the server sent its greeting
 * @example
 * ```ts
 * if (await isMysqlReachable(mysqlTestUrl())) console.log('MariaDB is up');
 * ```
 */
export function isMysqlReachable(url: string): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(u.port || 3306), u.hostname);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), 1500);
    socket.once('data', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * The store dialects a test suite should run on: SQLite always, MySQL when `required` (CI, so
 * an unreachable server fails loudly) or when a server answers; otherwise it warns visibly that
 * the MySQL suite is skipped.
 *
 * @param options - the server URL, whether MySQL is required, and what the suite is called
 * @returns the dialects
 * @example
 * ```ts
 * const dialects = await testStoreDialects({ serverUrl: mysqlTestUrl(), required: process.env.CI === 'true' });
 * describe.each(dialects)('on %s', (dialect) => { … });
 * ```
 */
export async function testStoreDialects(options: {
  readonly serverUrl: string;
  readonly required: boolean;
  readonly suite?: string;
}): Promise<('sqlite' | 'mysql')[]> {
  if (options.required || (await isMysqlReachable(options.serverUrl))) return ['sqlite', 'mysql'];
  console.warn(
    `\n!! MySQL not reachable at ${redactUrl(options.serverUrl)}: MySQL ${options.suite ?? 'storage'} tests are SKIPPED\n`,
  );
  return ['sqlite'];
}
