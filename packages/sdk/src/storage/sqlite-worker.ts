import { Worker } from 'node:worker_threads';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  SelectQueryNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';

// node:sqlite is synchronous: a slow statement run on the main thread stalls every request of
// the process (a 1 s local-engine run made /healthz take 0.95 s). Here each database lives in
// its own worker thread and the main thread talks to it by messages, so the event loop stays
// free. The worker is plain JavaScript kept in this file (started with `eval`): it imports only
// Node built-ins, so it runs the same from the TypeScript sources (tests, tsx) and from a bundle.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const cache = new Map();
let db = null;
function statement(sql) {
  let s = cache.get(sql);
  if (s === undefined) {
    s = db.prepare(sql);
    if (cache.size >= 256) cache.delete(cache.keys().next().value);
    cache.set(sql, s);
  }
  return s;
}
function failure(err) {
  return {
    message: String(err && err.message ? err.message : err),
    code: err && err.code,
    errcode: err && err.errcode,
    errstr: err && err.errstr,
  };
}
parentPort.on('message', (m) => {
  try {
    if (m.op === 'open') {
      db = new DatabaseSync(m.file);
      for (const sql of m.init) db.exec(sql);
      parentPort.postMessage({ id: m.id });
    } else if (m.op === 'query') {
      const s = statement(m.sql);
      if (s.columns().length > 0) {
        parentPort.postMessage({ id: m.id, rows: s.all(...m.params) });
      } else {
        const r = s.run(...m.params);
        parentPort.postMessage({ id: m.id, changes: r.changes, lastInsertRowid: r.lastInsertRowid });
      }
    } else if (m.op === 'exec') {
      db.exec(m.sql);
      parentPort.postMessage({ id: m.id });
    } else if (m.op === 'close') {
      cache.clear();
      if (db) db.close();
      db = null;
      parentPort.postMessage({ id: m.id });
    }
  } catch (err) {
    parentPort.postMessage({ id: m.id, error: failure(err) });
  }
});
`;

/** What a statement run in the worker returns. */
export interface WorkerResult {
  /** Rows of a statement that returns columns. */
  readonly rows?: Record<string, unknown>[];
  /** Rows changed by a statement that returns none. */
  readonly changes?: number | bigint;
  /** Rowid of the last insert. */
  readonly lastInsertRowid?: number | bigint;
}

interface Pending {
  resolve(value: WorkerResult): void;
  reject(err: Error): void;
}

/** A value node:sqlite can bind (booleans as 0/1, dates as epoch ms, undefined as null). */
function bindable(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.getTime();
  return value;
}

/**
 * One `node:sqlite` database in a worker thread. Statements run one at a time in the worker,
 * in the order they were sent; the main thread only waits for messages.
 *
 * @internal
 */
export class SqliteWorker {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #seq = 0;
  #closed = false;

  private constructor() {
    this.#worker = new Worker(WORKER_SOURCE, { eval: true });
    this.#worker.unref();
    this.#worker.on(
      'message',
      (m: WorkerResult & { id: number; error?: Record<string, unknown> }) => {
        const p = this.#pending.get(m.id);
        if (!p) return;
        this.#pending.delete(m.id);
        if (this.#pending.size === 0) this.#worker.unref();
        if (m.error) {
          p.reject(Object.assign(new Error(String(m.error['message'])), m.error));
        } else {
          p.resolve(m);
        }
      },
    );
    this.#worker.on('error', (err) => this.#failAll(err));
    this.#worker.on('exit', (code) => {
      if (!this.#closed) this.#failAll(new Error(`sqlite worker exited with code ${code}`));
    });
  }

  /**
   * Starts a worker and opens the database file in it.
   *
   * @param file - path, or `:memory:`
   * @param init - statements run once after opening (pragmas, ATTACH …)
   * @returns the open database
   */
  static async open(file: string, init: readonly string[] = []): Promise<SqliteWorker> {
    const w = new SqliteWorker();
    try {
      await w.#send({ op: 'open', file, init: [...init] });
    } catch (err) {
      await w.#worker.terminate();
      throw err;
    }
    return w;
  }

  #failAll(err: Error): void {
    for (const p of this.#pending.values()) p.reject(err);
    this.#pending.clear();
  }

  #send(message: Record<string, unknown>): Promise<WorkerResult> {
    if (this.#closed) return Promise.reject(new Error('sqlite worker: the database is closed'));
    const id = ++this.#seq;
    return new Promise<WorkerResult>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.ref();
      this.#worker.postMessage({ ...message, id });
    });
  }

  /**
   * Runs one statement with positional parameters.
   *
   * @param sql - the statement
   * @param params - its parameters
   * @returns rows (statements with columns) or changes and last rowid
   */
  query(sql: string, params: readonly unknown[] = []): Promise<WorkerResult> {
    return this.#send({ op: 'query', sql, params: params.map(bindable) });
  }

  /**
   * Runs one or more statements without parameters or results.
   *
   * @param sql - the statements
   */
  async exec(sql: string): Promise<void> {
    await this.#send({ op: 'exec', sql });
  }

  /** Closes the database and stops the worker (after the statements already sent). */
  async close(): Promise<void> {
    if (this.#closed) return;
    try {
      await this.#send({ op: 'close' });
    } finally {
      this.#closed = true;
      await this.#worker.terminate();
    }
  }
}

class WorkerConnection implements DatabaseConnection {
  readonly #db: SqliteWorker;

  constructor(db: SqliteWorker) {
    this.#db = db;
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const r = await this.#db.query(compiled.sql, compiled.parameters);
    if (r.rows) return { rows: r.rows as R[] };
    return {
      rows: [],
      ...(r.lastInsertRowid !== undefined && { insertId: BigInt(r.lastInsertRowid) }),
      ...(r.changes !== undefined && { numAffectedRows: BigInt(r.changes) }),
    };
  }

  async *streamQuery<R>(compiled: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(compiled.query)) {
      throw new Error('sqlite worker: only select queries can be streamed');
    }
    const r = await this.executeQuery<R>(compiled);
    for (const row of r.rows) yield { rows: [row] };
  }
}

class WorkerDriver implements Driver {
  readonly #open: () => Promise<SqliteWorker>;
  #db: SqliteWorker | null = null;
  #connection: WorkerConnection | null = null;

  constructor(open: () => Promise<SqliteWorker>) {
    this.#open = open;
  }

  async init(): Promise<void> {
    this.#db = await this.#open();
    this.#connection = new WorkerConnection(this.#db);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    if (!this.#connection) throw new Error('sqlite worker: the driver is not initialised');
    // kysely's runtime driver serialises access: SqliteAdapter has no multiple connections.
    return this.#connection;
  }

  async beginTransaction(c: DatabaseConnection): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('begin'));
  }

  async commitTransaction(c: DatabaseConnection): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(c: DatabaseConnection): Promise<void> {
    await c.executeQuery(CompiledQuery.raw('rollback'));
  }

  async savepoint(c: DatabaseConnection, name: string): Promise<void> {
    await c.executeQuery(CompiledQuery.raw(`savepoint "${name.replace(/"/g, '""')}"`));
  }

  async rollbackToSavepoint(c: DatabaseConnection, name: string): Promise<void> {
    await c.executeQuery(CompiledQuery.raw(`rollback to "${name.replace(/"/g, '""')}"`));
  }

  async releaseSavepoint(c: DatabaseConnection, name: string): Promise<void> {
    await c.executeQuery(CompiledQuery.raw(`release "${name.replace(/"/g, '""')}"`));
  }

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {
    await this.#db?.close();
  }
}

/**
 * A kysely dialect for `node:sqlite` whose statements run in a worker thread (see
 * {@link SqliteWorker}); SQL, types and behaviour are those of kysely's `SqliteDialect`.
 *
 * @internal
 */
export class WorkerSqliteDialect implements Dialect {
  readonly #open: () => Promise<SqliteWorker>;

  /** @param open - opens the database in its worker (called once, when kysely connects) */
  constructor(open: () => Promise<SqliteWorker>) {
    this.#open = open;
  }

  createDriver(): Driver {
    return new WorkerDriver(this.#open);
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): SqliteAdapter {
    return new SqliteAdapter();
  }

  createIntrospector(db: Kysely<unknown>): SqliteIntrospector {
    return new SqliteIntrospector(db);
  }
}
