import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openSqliteWarehouse, openStore } from '../src/index.js';

// node:sqlite is synchronous. Before issue 19 the embedded store and the local warehouse ran it
// on the event loop, so a 1 s local-engine run made /healthz wait 0.95 s. Now each database
// lives in a worker thread: the event loop keeps turning while a heavy statement runs. The
// proof is an ordering, not a timing: a 1 ms interval keeps firing during the statement.
const HEAVY =
  'WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 3000000) SELECT count(*) AS n FROM c';

async function ticksDuring(work: () => Promise<unknown>): Promise<number> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return ticks;
}

describe('SQLite off the main thread', () => {
  it('keeps the event loop turning while the store runs a heavy query', async () => {
    const store = await openStore({ url: 'sqlite::memory:', migrate: true });
    try {
      let rows: { n: number }[] = [];
      const ticks = await ticksDuring(async () => {
        rows = (await sql<{ n: number }>`${sql.raw(HEAVY)}`.execute(store.db)).rows;
      });
      expect(rows[0]?.n).toBe(3_000_000);
      expect(ticks).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
  });

  it('runs local-engine SQL in the warehouse worker without blocking', async () => {
    const wh = await openSqliteWarehouse({ schemas: ['ods'] });
    try {
      await wh.execute('CREATE TABLE ods.big (n INTEGER)');
      const ticks = await ticksDuring(() => wh.execute(`INSERT INTO ods.big ${HEAVY}`));
      expect(ticks).toBeGreaterThan(0);
      expect(await wh.query('SELECT n FROM ods.big')).toEqual([{ n: 3_000_000 }]);
    } finally {
      await wh.close();
    }
  });

  it('blocks the event loop on the main thread (sqliteThread: main), as before', async () => {
    const store = await openStore({ url: 'sqlite::memory:', sqliteThread: 'main' });
    try {
      const ticks = await ticksDuring(() => sql`${sql.raw(HEAVY)}`.execute(store.db));
      expect(ticks).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('keeps SQLite error codes (unique violations) and transactions through the worker', async () => {
    const store = await openStore({ url: 'sqlite::memory:' });
    try {
      await sql`CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE)`.execute(store.db);
      await expect(
        store.db.transaction().execute(async (trx) => {
          await sql`INSERT INTO t (name) VALUES ('a')`.execute(trx);
          await sql`INSERT INTO t (name) VALUES ('a')`.execute(trx);
        }),
      ).rejects.toMatchObject({ errcode: 2067, message: expect.stringContaining('UNIQUE') });
      const left = await sql<{ c: number }>`SELECT count(*) AS c FROM t`.execute(store.db);
      expect(left.rows[0]?.c).toBe(0);
    } finally {
      await store.close();
    }
  });
});
