import { describe, expect, it } from 'vitest';
import { assertTaskStatement, isSdkError } from '../src/index.js';

const refused = (stmt: string): string | undefined => {
  try {
    assertTaskStatement(stmt);
    return undefined;
  } catch (err) {
    if (!isSdkError(err, 'VALIDATION_FAILED')) throw err;
    return String(err.details['refused']);
  }
};

describe('assertTaskStatement', () => {
  it('lets the statements of a task through: DML, DDL on tables, session SET', () => {
    for (const ok of [
      'INSERT INTO dwd.orders SELECT * FROM ods.orders',
      'insert overwrite table dim.customer select 1',
      "UPDATE t SET note = 'attach database here' WHERE id = 1",
      'WITH a AS (SELECT 1) SELECT * FROM a',
      'CREATE TABLE IF NOT EXISTS dws.daily (dt TEXT)',
      'CREATE OR REPLACE VIEW v AS SELECT 1',
      'DROP TABLE IF EXISTS tmp.x',
      'ALTER TABLE dwd.orders ADD COLUMN note TEXT',
      'TRUNCATE TABLE dwd.orders',
      'SET query_timeout = 3600',
      "DELETE FROM t WHERE `pragma` = 'vacuum'",
    ]) {
      expect(refused(ok), ok).toBeUndefined();
    }
  });

  it('refuses what reaches outside the warehouse, however it is written', () => {
    const cases: [string, string][] = [
      ["ATTACH DATABASE '/etc/x.db' AS x", 'ATTACH'],
      ["attach '/tmp/x' as y", 'ATTACH'],
      ['/* hi */ ATTACH /* there */ DATABASE ? AS z', 'ATTACH'],
      ['DETACH DATABASE ods', 'DETACH'],
      ['PRAGMA writable_schema = 1', 'PRAGMA'],
      ["VACUUM INTO '/tmp/copy.db'", 'VACUUM'],
      ["SELECT load_extension('/tmp/evil.so')", 'load_extension'],
      ["SELECT LOAD_FILE('/etc/passwd')", 'LOAD_FILE'],
      ["SELECT * FROM t INTO OUTFILE '/tmp/out'", 'INTO OUTFILE/DUMPFILE'],
      ["LOAD DATA INFILE '/etc/passwd' INTO TABLE t", 'LOAD DATA'],
      ['SET GLOBAL general_log = 1', 'SET of server-wide settings'],
      ["GRANT ALL ON *.* TO 'x'", 'GRANT'],
      ["CREATE USER 'x' IDENTIFIED BY 'y'", 'CREATE of anything but a table, view or index'],
      ['CALL sys.something()', 'CALL'],
      ['ALTER USER root IDENTIFIED BY "x"', 'ALTER of anything but a table'],
    ];
    for (const [stmt, what] of cases) expect(refused(stmt), stmt).toBe(what);
  });
});
