import { SdkError } from '../errors.js';

/**
 * Statement kinds a task may run on the local engine: DML and DDL on the warehouse's schemas.
 * Everything else (`ATTACH`, `DETACH`, `PRAGMA`, `VACUUM`, `LOAD DATA`, `GRANT`, `CALL`, `SET
 * GLOBAL` …) is refused, because it reaches outside the warehouse: a file at a path taken from
 * the SQL, the database's settings, or the server's accounts.
 */
const ALLOWED_FIRST_WORDS = new Set([
  'select',
  'with',
  'insert',
  'replace',
  'update',
  'delete',
  'merge',
  'upsert',
  'create',
  'drop',
  'alter',
  'truncate',
  'values',
  'set',
  'use',
]);

/** What CREATE/DROP may create or drop: tables, views and indexes only. */
const DDL_OBJECTS =
  /^(create|drop)\s+(or\s+replace\s+)?(temporary\s+|temp\s+|unique\s+|external\s+)?(table|view|index)\b/;

/**
 * Functions and clauses that read or write files, load code or reach the server's accounts,
 * wherever they appear in a statement (SQLite `load_extension` — node:sqlite refuses it unless
 * opened with `allowExtension`, refused here as well; MySQL `LOAD_FILE`, `INTO OUTFILE`,
 * `INTO DUMPFILE`, `LOAD DATA`, `sys_exec`).
 */
const FORBIDDEN_ANYWHERE: readonly [RegExp, string][] = [
  [/\bload_extension\s*\(/, 'load_extension'],
  [/\bload_file\s*\(/, 'LOAD_FILE'],
  [/\binto\s+(outfile|dumpfile)\b/, 'INTO OUTFILE/DUMPFILE'],
  [/\bload\s+data\b/, 'LOAD DATA'],
  [/\bsys_(exec|eval)\s*\(/, 'sys_exec'],
  [/\b(readfile|writefile|fts3_tokenizer|edit)\s*\(/, 'file functions'],
  [/\battach\s+(database\s+)?/, 'ATTACH'],
  [/\bvacuum\b/, 'VACUUM'],
  [/\bpragma\b/, 'PRAGMA'],
];

/**
 * The statement with string literals, quoted identifiers and comments blanked, lower-cased,
 * so keywords inside quotes never count and keywords hidden behind comments still do.
 */
function code(stmt: string): string {
  let out = '';
  let i = 0;
  const n = stmt.length;
  while (i < n) {
    const c = stmt[i] as string;
    const next = stmt[i + 1];
    if (c === "'" || c === '"' || c === '`') {
      i++;
      while (i < n && stmt[i] !== c) {
        if (stmt[i] === '\\' && c !== '`') i++;
        i++;
      }
      i++;
      // A quoted identifier stays a word; a string literal becomes an empty literal.
      out += c === "'" ? "''" : ' q ';
    } else if (c === '-' && next === '-') {
      while (i < n && stmt[i] !== '\n') i++;
      out += ' ';
    } else if (c === '#') {
      while (i < n && stmt[i] !== '\n') i++;
      out += ' ';
    } else if (c === '/' && next === '*') {
      const end = stmt.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
      out += ' ';
    } else {
      out += c;
      i++;
    }
  }
  return out.toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * Checks that one statement is of a kind a task may run on the local engine: `SELECT`/`WITH`,
 * `INSERT`/`REPLACE`/`UPDATE`/`DELETE`/`MERGE`, `CREATE`/`DROP` of tables, views and indexes,
 * `ALTER TABLE`, `TRUNCATE`, session `SET` and `USE`. Paths are never taken from SQL: `ATTACH`, `DETACH`, `PRAGMA`,
 * `VACUUM [INTO]`, `load_extension`, `LOAD DATA`, `INTO OUTFILE`, `LOAD_FILE` and statements of
 * any other kind are refused.
 *
 * @param stmt - one SQL statement (split a script with `splitSqlStatements` first)
 * @throws {@link SdkError} `VALIDATION_FAILED` naming what was refused
 * @example
 * ```ts
 * assertTaskStatement('INSERT INTO dwd.orders SELECT * FROM ods.orders'); // ok
 * assertTaskStatement("ATTACH DATABASE '/tmp/x.db' AS x"); // throws VALIDATION_FAILED
 * ```
 */
export function assertTaskStatement(stmt: string): void {
  const c = code(stmt);
  if (c === '') return;
  const first = /^[a-z_]+/.exec(c)?.[0] ?? c.slice(0, 1);
  const refuse = (what: string): never => {
    throw new SdkError(
      'VALIDATION_FAILED',
      `sdk: statement refused: ${what} is not allowed in a task (tasks run DML and DDL on the warehouse's tables only): ${stmt
        .replace(/\s+/g, ' ')
        .slice(0, 120)}`,
      { details: { refused: what } },
    );
  };
  for (const [re, what] of FORBIDDEN_ANYWHERE) if (re.test(c)) refuse(what);
  if (!ALLOWED_FIRST_WORDS.has(first)) refuse(first.toUpperCase());
  if ((first === 'create' || first === 'drop') && !DDL_OBJECTS.test(c)) {
    refuse(`${first.toUpperCase()} of anything but a table, view or index`);
  }
  if (first === 'alter' && !/^alter table\b/.test(c)) refuse('ALTER of anything but a table');
  if (first === 'set' && /^set (global|persist|persist_only|password|@@global)\b/.test(c)) {
    refuse('SET of server-wide settings');
  }
}
