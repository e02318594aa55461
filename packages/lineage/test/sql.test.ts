import { describe, expect, it } from 'vitest';
import { analyzeSql, createSqlAnalyzer, isLineageError } from '../src/index';

describe('analyzeSql', () => {
  it('rejects an unknown dialect and a non-string script with INVALID_ARGUMENT', async () => {
    await expect(analyzeSql('SELECT 1', { dialect: 'oracle' as 'mysql' })).rejects.toSatisfy(
      (e) => isLineageError(e) && e.code === 'INVALID_ARGUMENT',
    );
    await expect(analyzeSql(42 as unknown as string, { dialect: 'mysql' })).rejects.toSatisfy(
      (e) => isLineageError(e) && e.code === 'INVALID_ARGUMENT',
    );
  });

  // The first test loads the WASM parser, which takes seconds on a busy machine.
  it('analyzes synchronously once the parser is loaded', async () => {
    const analyzer = await createSqlAnalyzer();
    expect(analyzer.parser).toBe('polyglot');
    const r = analyzer.analyze('INSERT INTO dwd.a SELECT id FROM ods.a', { dialect: 'mysql' });
    expect(r.inputs).toEqual(['ods.a']);
    expect(r.outputs).toEqual(['dwd.a']);
    expect(r.confidence).toBe(1);
  }, 60_000);

  it('reports statements with offsets into the original script', async () => {
    const sql = 'SET a=1;\nINSERT INTO x.t SELECT * FROM y.s;\n-- trailing comment\n';
    const r = await analyzeSql(sql, { dialect: 'hive' });
    expect(r.statements.map((s) => [s.kind, sql.slice(s.start, s.end)])).toEqual([
      ['command', 'SET a=1'],
      ['insert', 'INSERT INTO x.t SELECT * FROM y.s'],
    ]);
  });

  it('substitutes known variables, also inside names, and masks unknown ones', async () => {
    const known = await analyzeSql(
      "INSERT OVERWRITE TABLE ods.t_${bizdate} SELECT id FROM stg.s WHERE dt = '${bizdate}'",
      { dialect: 'hive', variables: { bizdate: '20240101' } },
    );
    expect(known.outputs).toEqual(['ods.t_20240101']);
    expect(known.warnings).toEqual([]);
    const unknownName = await analyzeSql('INSERT INTO ods.t_${bizdate} SELECT id FROM stg.s', {
      dialect: 'hive',
    });
    expect(unknownName.outputs).toEqual(['ods.t_${bizdate}']);
    expect(unknownName.warnings.map((w) => w.code)).toEqual(['VARIABLE_IN_NAME']);
    expect(unknownName.confidence).toBeLessThan(1);
    const unknownValue = await analyzeSql(
      'INSERT INTO a.b SELECT id FROM c.d WHERE dt = ${bizdate} AND h = $[HH-1]',
      { dialect: 'hive' },
    );
    expect(unknownValue.inputs).toEqual(['c.d']);
    expect(unknownValue.warnings.map((w) => w.code)).toEqual(['VARIABLE_MASKED']);
    expect(unknownValue.confidence).toBe(1);
  });

  it('never reports CTE names, also nested and inside subqueries', async () => {
    const r = await analyzeSql(
      `INSERT INTO dws.x
       WITH a AS (SELECT id FROM dwd.a), b AS (WITH c AS (SELECT id FROM a) SELECT id FROM c)
       SELECT id FROM (SELECT id FROM b) t WHERE id IN (SELECT id FROM a)`,
      { dialect: 'mysql' },
    );
    expect(r.inputs).toEqual(['dwd.a']);
  });

  it('expands SELECT * from the schema and warns without it', async () => {
    const sql = 'INSERT INTO dim.u SELECT * FROM ods.u';
    const without = await analyzeSql(sql, { dialect: 'doris' });
    expect(without.columns).toEqual([]);
    expect(without.warnings.map((w) => w.code)).toEqual(['STAR_WITHOUT_SCHEMA']);
    const withSchema = await analyzeSql(sql, {
      dialect: 'doris',
      schema: { 'ods.u': ['id', 'name'] },
    });
    expect(withSchema.columns.map((c) => [c.target.column, c.direct])).toEqual([
      ['id', [{ table: 'ods.u', column: 'id' }]],
      ['name', [{ table: 'ods.u', column: 'name' }]],
    ]);
    expect(withSchema.warnings).toEqual([]);
  });

  it('separates direct from indirect column lineage', async () => {
    const r = await analyzeSql(
      `INSERT INTO dws.s (shop_id, amt)
       SELECT o.shop_id, SUM(o.amount) FROM dwd.o o JOIN dim.shop s ON o.shop_id = s.id
       WHERE s.status = 'open' GROUP BY o.shop_id`,
      { dialect: 'mysql' },
    );
    const amt = r.columns.find((c) => c.target.column === 'amt');
    expect(amt?.direct).toEqual([{ table: 'dwd.o', column: 'amount' }]);
    expect(amt?.indirect).toEqual([
      { table: 'dim.shop', column: 'id' },
      { table: 'dim.shop', column: 'status' },
      { table: 'dwd.o', column: 'shop_id' },
    ]);
    expect(amt?.transform).toBe('aggregation');
  });

  it('falls back to a token scan with a warning when the parser fails, never dropping tables', async () => {
    const r = await analyzeSql('INSERT INTO a.t SELECT x FROM b.s JOIN c.s2 ON WHERE ((', {
      dialect: 'mysql',
    });
    expect(r.outputs).toEqual(['a.t']);
    expect(r.inputs).toEqual(['b.s', 'c.s2']);
    expect(r.warnings.map((w) => w.code)).toContain('PARSE_FAILED');
    expect(r.confidence).toBeLessThanOrEqual(0.5);
    expect(r.statements[0]?.parser).toBe('fallback');
  });

  it('scans unsupported statements for tables and says so', async () => {
    const r = await analyzeSql('FROBNICATE TABLE x.y USING (SELECT 1 FROM z.w)', {
      dialect: 'hive',
    });
    expect(r.inputs).toEqual(['z.w']);
    expect(r.warnings.map((w) => w.code)).toEqual(['UNSUPPORTED_STATEMENT']);
  });

  it('tracks intermediate and temporary tables across a script', async () => {
    const r = await analyzeSql(
      `DROP TABLE IF EXISTS tmp.t;
       CREATE TABLE tmp.t AS SELECT id FROM ods.a;
       INSERT INTO dws.b SELECT id FROM tmp.t;
       CREATE TABLE tmp.keep AS SELECT id FROM dws.b;
       DROP TABLE tmp.t;`,
      { dialect: 'mysql' },
    );
    expect(r.inputs).toEqual(['ods.a']);
    expect(r.outputs).toEqual(['dws.b', 'tmp.keep']);
    expect(r.intermediates).toEqual(['dws.b', 'tmp.t']);
  });

  it('reads Flink connector definitions without credentials and resolves views', async () => {
    const r = await analyzeSql(
      `CREATE TABLE src (id BIGINT, v STRING) WITH ('connector'='kafka', 'topic'='t1', 'properties.sasl.jaas.config'='secret', 'password'='p');
       CREATE TEMPORARY VIEW w AS SELECT id, v FROM src;
       INSERT INTO sink SELECT id, v FROM w;`,
      { dialect: 'flink' },
    );
    expect(r.definitions).toEqual([
      {
        table: 'src',
        connector: 'kafka',
        options: { connector: 'kafka', topic: 't1' },
        statement: 0,
      },
    ]);
    expect(r.inputs).toEqual(['src']);
    expect(r.outputs).toEqual(['sink']);
    expect(
      r.columns.map((c) => `${c.target.column}<-${c.direct.map((d) => `${d.table}.${d.column}`)}`),
    ).toEqual(['id<-src.id', 'v<-src.v']);
  });

  it('uses the database of USE and of defaultDatabase, lower-casing names', async () => {
    const r = await analyzeSql(
      'INSERT INTO T1 SELECT * FROM Other.T2; USE dw; INSERT INTO t3 SELECT * FROM t1',
      {
        dialect: 'mysql',
        defaultDatabase: 'App',
      },
    );
    expect(r.statements.map((s) => [s.inputs, s.outputs])).toEqual([
      [['other.t2'], ['app.t1']],
      [[], []],
      [['dw.t1'], ['dw.t3']],
    ]);
  });

  it('returns a JSON-serialisable result', async () => {
    const r = await analyzeSql("INSERT INTO a.b SELECT x FROM c.d WHERE y = '${v}'", {
      dialect: 'doris',
    });
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});
