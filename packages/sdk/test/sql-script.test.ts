import { describe, expect, it } from 'vitest';
import { splitSqlStatements, substituteVariables } from '../src/index.js';

describe('splitSqlStatements', () => {
  it('splits on semicolons outside quotes and comments', () => {
    expect(
      splitSqlStatements(
        'SET a=1; -- a comment; still comment\nINSERT INTO t VALUES (\'x;y\', "q;", `b;`); /* c; */ SELECT 1;',
      ),
    ).toEqual([
      'SET a=1',
      '-- a comment; still comment\nINSERT INTO t VALUES (\'x;y\', "q;", `b;`)',
      '/* c; */ SELECT 1',
    ]);
  });
  it('handles escaped quotes and a missing final semicolon', () => {
    expect(splitSqlStatements("SELECT 'it\\'s;' ; SELECT 2")).toEqual([
      "SELECT 'it\\'s;'",
      'SELECT 2',
    ]);
  });
});

describe('substituteVariables', () => {
  const runTime = new Date('2026-03-02T01:30:00Z');
  it('replaces scheduler variables inside and outside quotes', () => {
    expect(
      substituteVariables(
        "WHERE dt = '${bizdate}' AND d2 = ${system.biz.date} AND d3 = '$[yyyyMMdd-1]' AND d4 = $[yyyy-MM-dd] AND x = '${custom}' AND y = ${unknown}",
        { runTime, variables: { custom: 'v' } },
      ),
    ).toBe(
      "WHERE dt = '20260301' AND d2 = 20260301 AND d3 = '20260301' AND d4 = 2026-03-02 AND x = 'v' AND y = ${unknown}",
    );
  });
  it('applies the time-zone offset', () => {
    expect(substituteVariables('$[yyyyMMdd]', { runTime, utcOffsetMinutes: -120 })).toBe(
      '20260301',
    );
  });
});
