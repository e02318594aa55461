const INT_NAMES = /\b(tinyint|smallint|mediumint|int|integer|bigint)\s*\(\s*\d+\s*\)/g;

/**
 * Maps a column type as Doris, MySQL or MariaDB spell it to one portable spelling, so that the
 * same column compares equal across servers and versions (drift detection compares portable
 * types).
 *
 * Rules: lower case; integer display widths dropped (`int(11)` → `int`, MySQL 8 already does
 * this) except `tinyint(1)`, which is `boolean`; `unsigned` kept, `zerofill` dropped; Doris
 * `decimalv3(p, s)` and every `decimal(p, s)` → `decimal(p,s)`; `datetimev2(n)`/`datev2` →
 * `datetime(n)`/`date`, `datetime(0)` → `datetime`; `integer` → `int`, `real` → `double`,
 * `float(m,d)`/`double(m,d)` → `float`/`double`; the `text` family and Doris `string` → `string`;
 * the `blob` family → `blob`; `jsonb` → `json`; `enum(…)`/`set(…)` kept verbatim; nested Doris
 * types (`array<…>`, `map<…>`, `struct<…>`) normalised inside.
 *
 * @param columnType - `COLUMN_TYPE` (preferred) or `DATA_TYPE`
 * @returns the portable type
 * @example
 * ```ts
 * portableType('decimalv3(10, 2)'); // 'decimal(10,2)'
 * portableType('int(11)'); // 'int'
 * portableType('bigint(20) unsigned'); // 'bigint unsigned'
 * portableType('tinyint(1)'); // 'boolean'
 * portableType('array<int(11)>'); // 'array<int>'
 * ```
 */
export function portableType(columnType: string): string {
  const raw = columnType.trim();
  if (/^(enum|set)\s*\(/i.test(raw))
    return raw.replace(/^(enum|set)\s*/i, (m) => m.trim().toLowerCase());
  let t = raw.toLowerCase().replace(/\s+/g, ' ');
  t = t.replace(/\bzerofill\b/g, '').trim();
  t = t.replace(/\btinyint\s*\(\s*1\s*\)/g, 'boolean');
  t = t.replace(INT_NAMES, '$1');
  t = t.replace(/\binteger\b/g, 'int');
  t = t.replace(/\bbool\b/g, 'boolean');
  t = t.replace(/\bdecimalv[23]\b/g, 'decimal');
  t = t.replace(/\b(numeric|dec|fixed)\s*\(/g, 'decimal(');
  t = t.replace(/\bdatetimev2\b/g, 'datetime');
  t = t.replace(/\bdatev2\b/g, 'date');
  t = t.replace(/\b(datetime|timestamp|time)\s*\(\s*0\s*\)/g, '$1');
  t = t.replace(/\breal\b/g, 'double');
  t = t.replace(/\b(float|double)\s*\(\s*\d+\s*,\s*\d+\s*\)/g, '$1');
  t = t.replace(/\bdouble precision\b/g, 'double');
  t = t.replace(/\b(tinytext|mediumtext|longtext|text)\b(\s*\(\s*\d+\s*\))?/g, 'string');
  t = t.replace(/\b(tinyblob|mediumblob|longblob|blob)\b(\s*\(\s*\d+\s*\))?/g, 'blob');
  t = t.replace(/\bjsonb\b/g, 'json');
  // One spelling for separators inside parentheses and angle brackets.
  t = t.replace(/\s*,\s*/g, ',').replace(/\s*([()<>])\s*/g, '$1');
  t = t.replace(/\)(?=[a-z])/g, ') ');
  return t.replace(/\s+/g, ' ').trim();
}
