/**
 * Splits a SQL script into statements on `;`, respecting quotes, backticks and comments.
 *
 * @param script - one or more SQL statements
 * @returns the statements, trimmed, without empty ones
 * @example
 * ```ts
 * splitSqlStatements("SET a=1; INSERT INTO t VALUES ('x;y');"); // ['SET a=1', "INSERT INTO t VALUES ('x;y')"]
 * ```
 */
export function splitSqlStatements(script: string): string[] {
  const out: string[] = [];
  let start = 0;
  let i = 0;
  const n = script.length;
  while (i < n) {
    const c = script[i];
    const next = script[i + 1];
    if (c === "'" || c === '"' || c === '`') {
      i++;
      while (i < n && script[i] !== c) {
        if (script[i] === '\\' && c !== '`') i++;
        i++;
      }
      i++;
    } else if (c === '-' && next === '-') {
      while (i < n && script[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = script.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
    } else if (c === ';') {
      out.push(script.slice(start, i));
      i++;
      start = i;
    } else i++;
  }
  out.push(script.slice(start));
  return out.map((s) => s.trim()).filter((s) => s !== '' && !/^(--[^\n]*\n?\s*)+$/.test(s));
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function formatDate(d: Date, pattern: string): string {
  return pattern
    .replace(/yyyy/g, String(d.getUTCFullYear()))
    .replace(/MM/g, pad(d.getUTCMonth() + 1))
    .replace(/dd/g, pad(d.getUTCDate()))
    .replace(/HH/g, pad(d.getUTCHours()))
    .replace(/mm/g, pad(d.getUTCMinutes()))
    .replace(/ss/g, pad(d.getUTCSeconds()));
}

/**
 * Replaces DolphinScheduler-style scheduler variables in SQL: `${bizdate}` and
 * `${system.biz.date}` (the day before the run, `yyyyMMdd`), `${system.biz.curdate}` (the run
 * day), `${system.datetime}` (`yyyyMMddHHmmss`), `$[yyyyMMdd]`, `$[yyyy-MM-dd-N]` /
 * `$[yyyyMMdd+N]` (day offsets), and any `${name}` given in `variables`. Dates are computed in
 * UTC shifted by `utcOffsetMinutes`.
 *
 * @param sql - the SQL text
 * @param options - run time, extra variables and the time-zone offset
 * @returns the SQL with known variables replaced; unknown ones stay as written
 * @example
 * ```ts
 * substituteVariables("WHERE dt = '${bizdate}'", { runTime: new Date('2026-03-02T01:00:00Z') });
 * // "WHERE dt = '20260301'"
 * ```
 */
export function substituteVariables(
  sql: string,
  options: {
    readonly runTime: Date;
    readonly variables?: Readonly<Record<string, string>>;
    readonly utcOffsetMinutes?: number;
  },
): string {
  const local = new Date(options.runTime.getTime() + (options.utcOffsetMinutes ?? 0) * 60_000);
  const day = (offset: number) => new Date(local.getTime() + offset * 86_400_000);
  const builtins: Record<string, string> = {
    bizdate: formatDate(day(-1), 'yyyyMMdd'),
    'system.biz.date': formatDate(day(-1), 'yyyyMMdd'),
    'system.biz.curdate': formatDate(local, 'yyyyMMdd'),
    'system.datetime': formatDate(local, 'yyyyMMddHHmmss'),
    ...options.variables,
  };
  return sql
    .replace(/\$\{([A-Za-z0-9_.]+)\}/g, (m, name: string) => builtins[name] ?? m)
    .replace(/\$\[([A-Za-z\-: ]+?)([+-]\d+)?\]/g, (m, pattern: string, offset?: string) => {
      // `$[yyyy-MM-dd-1]`: the trailing "-1" is an offset in days, not part of the pattern.
      if (!/yyyy|MM|dd|HH|mm|ss/.test(pattern)) return m;
      return formatDate(day(offset ? Number(offset) : 0), pattern);
    });
}
