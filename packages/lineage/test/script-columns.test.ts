import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSql, createSqlAnalyzer, type ScriptColumnLineage } from '../src/index';

// Loading the WASM parser takes seconds on a busy machine; load it once outside the tests.
beforeAll(async () => {
  await createSqlAnalyzer();
}, 60_000);

function pairs(cols: ReadonlyArray<ScriptColumnLineage>, type = 'DIRECT'): string[] {
  return cols.flatMap((c) =>
    c.sources
      .filter((s) => s.type === type)
      .map((s) => `${s.table}.${s.column} -> ${c.target.table}.${c.target.column} ${s.subtype}`),
  );
}

describe('scriptColumns', () => {
  it('composes column lineage through two temp tables between ods and dwd', async () => {
    const sql = `
      CREATE TEMPORARY TABLE tmp.t1 AS
        SELECT id, upper(name) AS uname, amount FROM ods.a WHERE dt = '\${bizdate}';
      CREATE TEMPORARY TABLE tmp.t2 AS
        SELECT t.id, t.uname, SUM(t.amount) AS total
        FROM tmp.t1 t JOIN ods.c c ON t.id = c.id GROUP BY t.id, t.uname;
      INSERT OVERWRITE TABLE dwd.b PARTITION (dt = '\${bizdate}')
        SELECT id AS user_id, uname AS user_name, total FROM tmp.t2;
      DROP TABLE tmp.t1;
      DROP TABLE tmp.t2;`;
    const r = await analyzeSql(sql, {
      dialect: 'hive',
      schema: { 'dwd.b': ['user_id', 'user_name', 'total', 'dt'] },
    });
    expect(r.inputs).toEqual(['ods.a', 'ods.c']);
    expect(r.outputs).toEqual(['dwd.b']);
    expect(r.intermediates).toEqual(['tmp.t1', 'tmp.t2']);
    expect(pairs(r.scriptColumns)).toEqual([
      'ods.a.amount -> dwd.b.total AGGREGATION',
      'ods.a.id -> dwd.b.user_id IDENTITY',
      'ods.a.name -> dwd.b.user_name TRANSFORMATION',
    ]);
    const total = r.scriptColumns.find((c) => c.target.column === 'total');
    expect(total?.sources.filter((s) => s.type === 'INDIRECT')).toEqual([
      { table: 'ods.a', column: 'dt', type: 'INDIRECT', subtype: 'FILTER' },
      { table: 'ods.a', column: 'id', type: 'INDIRECT', subtype: 'JOIN' },
      { table: 'ods.a', column: 'name', type: 'INDIRECT', subtype: 'GROUP_BY' },
      { table: 'ods.c', column: 'id', type: 'INDIRECT', subtype: 'JOIN' },
    ]);
  });

  it('expands SELECT * from a table the script created', async () => {
    const sql = `
      CREATE TABLE tmp.x AS SELECT id, amount * 100 AS cents FROM ods.a;
      INSERT INTO dwd.b SELECT * FROM tmp.x;`;
    const r = await analyzeSql(sql, { dialect: 'mysql' });
    expect(r.intermediates).toEqual(['tmp.x']);
    expect(pairs(r.scriptColumns).filter((p) => p.includes('dwd.b'))).toEqual([
      'ods.a.amount -> dwd.b.cents TRANSFORMATION',
      'ods.a.id -> dwd.b.id IDENTITY',
    ]);
  });

  it('composes through CTE chains and views defined earlier in the script', async () => {
    const sql = `
      CREATE VIEW tmp.v AS SELECT user_id, amount FROM ods.orders WHERE status = 'paid';
      INSERT INTO dws.pay
      WITH s AS (SELECT user_id, amount FROM tmp.v), t AS (SELECT user_id, amount FROM s WHERE amount > 0)
      SELECT user_id, SUM(amount) AS amt FROM t GROUP BY user_id;`;
    const r = await analyzeSql(sql, {
      dialect: 'doris',
      schema: { 'dws.pay': ['user_id', 'amt'] },
    });
    expect(r.inputs).toEqual(['ods.orders']);
    expect(pairs(r.scriptColumns).filter((p) => p.includes('dws.pay'))).toEqual([
      'ods.orders.amount -> dws.pay.amt AGGREGATION',
      'ods.orders.user_id -> dws.pay.user_id IDENTITY',
    ]);
    expect(pairs(r.scriptColumns, 'INDIRECT')).toContain('ods.orders.status -> dws.pay.amt FILTER');
  });

  it('composes Hive multi-insert from a temp table', async () => {
    const sql = `
      CREATE TEMPORARY TABLE tmp.o AS SELECT id, amount, kind FROM ods.orders;
      FROM tmp.o
      INSERT OVERWRITE TABLE dwd.big PARTITION (dt = '2024') SELECT id, amount WHERE amount > 100
      INSERT OVERWRITE TABLE dwd.small PARTITION (dt = '2024') SELECT id, amount WHERE amount <= 100;`;
    const r = await analyzeSql(sql, {
      dialect: 'hive',
      schema: { 'dwd.big': ['id', 'amount', 'dt'], 'dwd.small': ['id', 'amount', 'dt'] },
    });
    expect(r.outputs).toEqual(['dwd.big', 'dwd.small', 'tmp.o']);
    expect(pairs(r.scriptColumns).filter((p) => !p.includes('tmp.o'))).toEqual([
      'ods.orders.amount -> dwd.big.amount IDENTITY',
      'ods.orders.id -> dwd.big.id IDENTITY',
      'ods.orders.amount -> dwd.small.amount IDENTITY',
      'ods.orders.id -> dwd.small.id IDENTITY',
    ]);
  });

  it('composes Flink statement sets through views', async () => {
    const sql = `
      CREATE TEMPORARY VIEW v_orders AS SELECT id, amount FROM ods_orders WHERE amount > 0;
      EXECUTE STATEMENT SET BEGIN
        INSERT INTO dwd_a SELECT id, amount FROM v_orders;
        INSERT INTO dwd_b SELECT id, amount * 2 AS amount FROM v_orders;
      END;`;
    const r = await analyzeSql(sql, {
      dialect: 'flink',
      schema: { dwd_a: ['id', 'amount'], dwd_b: ['id', 'amount'] },
    });
    expect(pairs(r.scriptColumns)).toEqual([
      'ods_orders.amount -> dwd_a.amount IDENTITY',
      'ods_orders.id -> dwd_a.id IDENTITY',
      'ods_orders.amount -> dwd_b.amount TRANSFORMATION',
      'ods_orders.id -> dwd_b.id IDENTITY',
    ]);
  });
});
