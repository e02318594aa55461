import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSqlAnalyzer, type SqlAnalyzer, type SqlLineage } from '../src/index';

let analyzer: SqlAnalyzer;
// Loading the WASM parser takes seconds on a busy machine (the corpus test allows the same).
beforeAll(async () => {
  analyzer = await createSqlAnalyzer();
}, 60_000);

const columnsOf = (r: SqlLineage): string[] =>
  r.columns.map((c) => `${c.target.column}<-${c.direct.map((d) => `${d.table}.${d.column}`)}`);

describe('Doris join hints', () => {
  it.each(['shuffle', 'broadcast', 'SHUFFLE', 'BROADCAST'])(
    'reads JOIN [%s] with the parser and keeps the joined table',
    (hint) => {
      const r = analyzer.analyze(
        `INSERT INTO dws.x SELECT a.id, b.v FROM dwd.a a LEFT JOIN [${hint}] dwd.b b ON a.id = b.id
         JOIN [${hint}] dim.c c ON c.id = a.id`,
        { dialect: 'doris' },
      );
      expect(r.inputs).toEqual(['dim.c', 'dwd.a', 'dwd.b']);
      expect(r.warnings).toEqual([]);
      expect(r.statements[0]?.parser).toBe('polyglot');
      expect(columnsOf(r)).toEqual(['id<-dwd.a.id', 'v<-dwd.b.v']);
    },
  );

  it('keeps the joined table in the fallback scan when the parser fails', () => {
    const r = analyzer.analyze('INSERT INTO dws.x SELECT 1 FROM dwd.a JOIN [shuffle] dwd.b ON ((', {
      dialect: 'doris',
    });
    expect(r.statements[0]?.parser).toBe('fallback');
    expect(r.inputs).toEqual(['dwd.a', 'dwd.b']);
  });
});

describe('Doris ALTER TABLE … REPLACE WITH TABLE', () => {
  it("writes the replaced table from the replacing one; 'swap'='false' drops the replacing name", () => {
    const r = analyzer.analyze(
      `CREATE TABLE dw.t_tmp LIKE dw.t;
       INSERT INTO dw.t_tmp SELECT id FROM ods.s;
       ALTER TABLE dw.t REPLACE WITH TABLE t_tmp PROPERTIES('swap' = 'false');`,
      { dialect: 'doris' },
    );
    expect(r.statements[2]).toMatchObject({ inputs: ['dw.t_tmp'], outputs: ['dw.t'] });
    expect(r.inputs).toEqual(['ods.s']);
    expect(r.outputs).toEqual(['dw.t']);
    expect(r.intermediates).toEqual(['dw.t_tmp']);
    expect(r.warnings).toEqual([]);
  });

  it('keeps the replacing table (now holding the old data) with the default swap', () => {
    const r = analyzer.analyze('ALTER TABLE dw.t REPLACE WITH TABLE dw.t_new', {
      dialect: 'doris',
    });
    expect(r.inputs).toEqual(['dw.t_new']);
    expect(r.outputs).toEqual(['dw.t']);
  });

  it('leaves other ALTER TABLE statements as DDL without lineage', () => {
    const r = analyzer.analyze('ALTER TABLE dw.t ADD COLUMN c INT', { dialect: 'doris' });
    expect(r.statements[0]).toMatchObject({ kind: 'ddl', inputs: [], outputs: [] });
  });
});

describe('Doris SWITCH', () => {
  it('is a command, not an unsupported statement', () => {
    const r = analyzer.analyze('SWITCH hive_catalog; INSERT INTO a.b SELECT id FROM c.d', {
      dialect: 'doris',
    });
    expect(r.statements.map((s) => s.kind)).toEqual(['command', 'insert']);
    expect(r.warnings).toEqual([]);
    expect(r.confidence).toBe(1);
  });
});

describe('MySQL # comments', () => {
  it('parse with column lineage wherever they stand', () => {
    const r = analyzer.analyze(
      '# nightly load\nINSERT INTO dw.t (id, v) # target columns\nSELECT id, v # values\nFROM ods.s # source\nWHERE id > 0 # only real rows',
      { dialect: 'mysql' },
    );
    expect(r.warnings).toEqual([]);
    expect(r.confidence).toBe(1);
    expect(columnsOf(r)).toEqual(['id<-ods.s.id', 'v<-ods.s.v']);
  });

  it('do not hide a # inside a string', () => {
    const r = analyzer.analyze("INSERT INTO dw.t (id, tag) SELECT id, '#x' FROM ods.s", {
      dialect: 'mysql',
    });
    expect(r.inputs).toEqual(['ods.s']);
    expect(r.warnings).toEqual([]);
  });
});

describe('MySQL INSERT … SELECT … ON DUPLICATE KEY UPDATE', () => {
  it('with VALUES() and expressions keeps column lineage, also after a join', () => {
    const r = analyzer.analyze(
      `INSERT INTO dw.t (id, cnt, amt)
       SELECT s.id, COUNT(*), SUM(s.amount) FROM ods.s s JOIN ods.k k ON s.id = k.id GROUP BY s.id
       ON DUPLICATE KEY UPDATE cnt = cnt + VALUES(cnt), amt = IF(VALUES(amt) > amt, VALUES(amt), amt)`,
      { dialect: 'mysql' },
    );
    expect(r.warnings).toEqual([]);
    expect(r.inputs).toEqual(['ods.k', 'ods.s']);
    expect(r.outputs).toEqual(['dw.t']);
    expect(columnsOf(r)).toEqual(['id<-ods.s.id', 'cnt<-', 'amt<-ods.s.amount']);
  });

  it('without a column list and with a derived table', () => {
    const r = analyzer.analyze(
      'INSERT INTO dw.t SELECT * FROM (SELECT id, v FROM ods.s) AS n ON DUPLICATE KEY UPDATE v = n.v',
      { dialect: 'mysql', schema: { 'dw.t': ['id', 'v'] } },
    );
    expect(r.warnings).toEqual([]);
    expect(columnsOf(r)).toEqual(['id<-ods.s.id', 'v<-ods.s.v']);
  });
});

describe('Flink OPTIONS hints', () => {
  it('on sources, lookup tables and the sink keep parsing and column lineage', () => {
    const r = analyzer.analyze(
      `INSERT INTO sink_t /*+ OPTIONS('sink.parallelism'='2') */
       SELECT a.id, b.v FROM src_t /*+ OPTIONS('scan.startup.mode'='earliest-offset') */ AS a
       JOIN dim_t /*+ OPTIONS('lookup.cache'='PARTIAL') */ b ON a.id = b.id`,
      { dialect: 'flink' },
    );
    expect(r.warnings).toEqual([]);
    expect(r.inputs).toEqual(['dim_t', 'src_t']);
    expect(r.outputs).toEqual(['sink_t']);
    expect(columnsOf(r)).toEqual(['id<-src_t.id', 'v<-dim_t.v']);
  });
});

describe('recursive CTE names', () => {
  it.each([
    ['mysql', 'tree'],
    ['mysql', '`tree`'],
    ['doris', 'Tree'],
    ['hive', 'tree'],
    ['flink', 'tree'],
  ] as const)('are never sources (%s, %s), in table or column lineage', (dialect, name) => {
    const r = analyzer.analyze(
      `INSERT INTO dw.paths WITH RECURSIVE ${name} (id, lvl) AS (
         SELECT id, 1 FROM ods.nodes WHERE parent_id IS NULL
         UNION ALL
         SELECT n.id, ${name}.lvl + 1 FROM ods.nodes n JOIN ${name} ON n.parent_id = ${name}.id)
       SELECT id, lvl FROM ${name}`,
      { dialect },
    );
    expect(r.inputs).toEqual(['ods.nodes']);
    expect(r.warnings).toEqual([]);
    const refs = r.columns.flatMap((c) => [...c.direct, ...c.indirect].map((d) => d.table));
    expect(refs.every((t) => t === 'ods.nodes')).toBe(true);
  });

  it('are never sources when the query has no base table', () => {
    const r = analyzer.analyze(
      'INSERT INTO dw.nums (n) WITH RECURSIVE seq (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 9) SELECT n FROM seq',
      { dialect: 'mysql' },
    );
    expect(r.inputs).toEqual([]);
    expect(r.columns.flatMap((c) => c.direct)).toEqual([]);
  });
});

describe('parser fallback', () => {
  const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/).filter((s) => !RESERVED.has(s));
  const decoration = fc.constantFrom(
    '',
    ' # note\n',
    ' -- note\n',
    " /*+ OPTIONS('a'='b') */ ",
    ' /* c */ ',
  );
  const join = fc.constantFrom('JOIN', 'LEFT JOIN', 'JOIN [shuffle]', 'JOIN [broadcast]');
  const dialect = fc.constantFrom('mysql', 'doris', 'hive', 'flink' as const);

  it('never loses a table that a token scan can see (random queries, broken and whole)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(name, name, join, decoration), { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        dialect,
        (tables, broken, d) => {
          const qualified = tables.map(([db, t]) => `${db}.${t}`);
          let sql = `INSERT INTO out_db.target SELECT 1 FROM ${qualified[0]}${tables[0]?.[3]}`;
          for (let k = 1; k < tables.length; k++) {
            const [, , j, deco] = tables[k] as [string, string, string, string];
            sql += ` ${j} ${qualified[k]} t${k}${deco} ON t${k}.id = 1`;
          }
          if (broken) sql += ' WHERE ((';
          const r = analyzer.analyze(sql, { dialect: d });
          for (const t of qualified) expect(r.inputs).toContain(t);
          expect(r.outputs).toEqual(['out_db.target']);
        },
      ),
      { numRuns: 100 },
    );
  }, 30_000);
});

const RESERVED = new Set([
  'as',
  'on',
  'in',
  'is',
  'or',
  'and',
  'not',
  'join',
  'left',
  'right',
  'from',
  'where',
  'select',
  'table',
  'to',
  'by',
  'if',
  'set',
  'use',
  'all',
  'key',
  'values',
  'with',
  'union',
]);
