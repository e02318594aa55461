import type { SqlStatementKind } from '../sql-lineage';
import { lex, matchParen, significant, type Token, unquote } from './lexer';

/** A write target (or several, for Hive multi-insert) and the query that feeds it. */
export interface StatementPlan {
  readonly kind: SqlStatementKind;
  /** Writes, each with its own query text (null = no query, e.g. VALUES). */
  readonly writes: ReadonlyArray<{
    readonly target: string[];
    /** Explicit target column list, if written. */
    readonly columns?: ReadonlyArray<string>;
    /** Static partition columns (`PARTITION (dt='x')`), which take no select item. */
    readonly staticPartitions: ReadonlyArray<string>;
    /** Dynamic partition columns (`PARTITION (dt)`), fed by the last select items. */
    readonly dynamicPartitions: ReadonlyArray<string>;
    readonly query: string | null;
  }>;
  /** A query that only reads (SELECT, or the read side of UPDATE/DELETE/MERGE). */
  readonly readQuery?: string;
  /** The database a `USE` statement switches to. */
  readonly useDatabase?: string;
  /** Tables read without a query (the replacing table of Doris `REPLACE WITH TABLE`). */
  readonly readTables?: ReadonlyArray<string[]>;
  readonly dropTables?: ReadonlyArray<string[]>;
  /** DDL that declares a table without a query. */
  readonly definition?: {
    readonly table: string[];
    readonly options: Record<string, string>;
    readonly columns: ReadonlyArray<string>;
  };
  /** A Flink view (script-local, inlined where used). */
  readonly view?: {
    readonly name: string[];
    readonly columns?: ReadonlyArray<string>;
    readonly query: string;
  };
}

const COMMANDS: ReadonlySet<string> = new Set([
  'SET',
  'RESET',
  'ADD',
  'SHOW',
  'DESC',
  'DESCRIBE',
  'EXPLAIN',
  'LOAD_MODULE',
  'UNLOAD',
  'REFRESH',
  'ANALYZE',
  'MSCK',
  'KILL',
  'GRANT',
  'REVOKE',
  'COMMIT',
  'ROLLBACK',
  'START',
  'CALL',
  'CANCEL',
  'RECOVER',
  'SYNC',
  'CLEAN',
  'ADMIN',
  'BACKUP',
  'RESTORE',
  'EXPORT',
  'IMPORT',
  'CACHE',
  'UNCACHE',
  'CLEAR',
  // Doris `SWITCH <catalog>` (doris.md: catalogs): changes the current catalog, reads no table.
  'SWITCH',
]);

const NOT_COLUMN: ReadonlySet<string> = new Set([
  'PRIMARY',
  'KEY',
  'UNIQUE',
  'INDEX',
  'CONSTRAINT',
  'WATERMARK',
  'PERIOD',
  'FOREIGN',
  'CHECK',
  'FULLTEXT',
  'SPATIAL',
]);

const IDENTITY_OPTIONS: ReadonlySet<string> = new Set([
  'connector',
  'topic',
  'topics',
  'table-name',
  'table.identifier',
  'database-name',
  'schema-name',
  'path',
  'format',
  'index',
]);

function readName(st: ReadonlyArray<Token>, at: number): { parts: string[]; next: number } {
  const parts: string[] = [];
  let k = at;
  while (k < st.length) {
    const t = st[k] as Token;
    if (t.kind !== 'word' && t.kind !== 'quoted') break;
    parts.push(unquote(t.text));
    if (st[k + 1]?.text === '.') k += 2;
    else {
      k++;
      break;
    }
  }
  return { parts, next: k };
}

/** Top-level comma-separated items between `open` and its matching paren. */
function items(st: ReadonlyArray<Token>, open: number): Token[][] {
  const close = matchParen(st, open);
  const out: Token[][] = [];
  let cur: Token[] = [];
  let depth = 0;
  for (let k = open + 1; k < close; k++) {
    const t = st[k] as Token;
    if (t.text === '(') depth++;
    if (t.text === ')') depth--;
    if (t.text === ',' && depth === 0) {
      out.push(cur);
      cur = [];
      continue;
    }
    cur.push(t);
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

function columnList(st: ReadonlyArray<Token>, open: number): string[] {
  const out: string[] = [];
  for (const item of items(st, open)) {
    const first = item[0];
    if (first === undefined) continue;
    if (first.kind === 'word' && NOT_COLUMN.has(first.upper)) continue;
    if (first.kind === 'word' || first.kind === 'quoted') out.push(unquote(first.text));
  }
  return out;
}

function unstring(text: string): string {
  if (text.length >= 2 && (text[0] === "'" || text[0] === '"')) {
    return text.slice(1, -1).replace(/''/g, "'");
  }
  return unquote(text);
}

/** Finds the first top-level word in `words` from `from`, or -1. */
function findTop(st: ReadonlyArray<Token>, from: number, words: ReadonlySet<string>): number {
  let depth = 0;
  for (let k = from; k < st.length; k++) {
    const t = st[k] as Token;
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    else if (depth === 0 && t.kind === 'word' && words.has(t.upper)) return k;
  }
  return -1;
}

const QUERY_START: ReadonlySet<string> = new Set([
  'SELECT',
  'WITH',
  'FROM',
  'VALUES',
  'VALUE',
  'TABLE',
]);

/** Reads an INSERT header starting at `at` (the INSERT word); returns the write and the query start. */
function insertHeader(
  text: string,
  st: ReadonlyArray<Token>,
  at: number,
  end: number,
): {
  target: string[];
  columns?: string[];
  staticPartitions: string[];
  dynamicPartitions: string[];
  queryStart: number;
} {
  let i = at + 1;
  while (['IGNORE', 'LOW_PRIORITY', 'DELAYED', 'HIGH_PRIORITY'].includes(st[i]?.upper ?? '')) i++;
  if (st[i]?.upper === 'INTO' || st[i]?.upper === 'OVERWRITE') i++;
  if (st[i]?.upper === 'TABLE') i++;
  const name = readName(st, i);
  i = name.next;
  let columns: string[] | undefined;
  const staticPartitions: string[] = [];
  const dynamicPartitions: string[] = [];
  for (;;) {
    const t = st[i];
    if (t === undefined || i >= end) break;
    if (t.upper === 'TEMPORARY' && st[i + 1]?.upper === 'PARTITION') {
      i++;
      continue;
    }
    if (t.upper === 'PARTITION' || t.upper === 'PARTITIONS') {
      if (st[i + 1]?.text === '(') {
        for (const item of items(st, i + 1)) {
          const col = item[0];
          if (col === undefined) continue;
          const hasValue = item.some((x) => x.text === '=');
          const name2 = unquote(col.text);
          if (hasValue) staticPartitions.push(name2);
          else if (item.length === 1) dynamicPartitions.push(name2);
        }
        i = matchParen(st, i + 1) + 1;
      } else {
        i += 2; // PARTITION p1 (Doris)
      }
      continue;
    }
    if (t.upper === 'WITH' && st[i + 1]?.upper === 'LABEL') {
      i += 3;
      continue;
    }
    if (t.upper === 'IF' && st[i + 1]?.upper === 'NOT' && st[i + 2]?.upper === 'EXISTS') {
      i += 3;
      continue;
    }
    if (t.text === '(' && !QUERY_START.has(st[i + 1]?.upper ?? '') && st[i + 1]?.text !== '(') {
      columns = columnList(st, i);
      i = matchParen(st, i) + 1;
      continue;
    }
    break;
  }
  void text;
  const out: {
    target: string[];
    columns?: string[];
    staticPartitions: string[];
    dynamicPartitions: string[];
    queryStart: number;
  } = { target: name.parts, staticPartitions, dynamicPartitions, queryStart: i };
  if (columns !== undefined) out.columns = columns;
  return out;
}

const INSERT_WORDS: ReadonlySet<string> = new Set(['INSERT']);

/**
 * Doris `ALTER TABLE t REPLACE WITH TABLE tmp [PROPERTIES('swap' = 'true' | 'false')]`: `t` gets
 * the data of `tmp`. With `swap` false `tmp` is renamed to `t` and no longer exists (a drop);
 * with `swap` true (Doris' default) the two names are exchanged and `tmp` keeps the old `t`.
 */
function replaceWithTable(st: ReadonlyArray<Token>): StatementPlan | undefined {
  const target = readName(st, 2);
  let i = target.next;
  if (
    st[i]?.upper !== 'REPLACE' ||
    st[i + 1]?.upper !== 'WITH' ||
    st[i + 2]?.upper !== 'TABLE' ||
    target.parts.length === 0
  ) {
    return undefined;
  }
  const source = readName(st, i + 3);
  if (source.parts.length === 0) return undefined;
  i = source.next;
  let swap = true;
  if (st[i]?.upper === 'PROPERTIES' && st[i + 1]?.text === '(') {
    for (const item of items(st, i + 1)) {
      const eq = item.findIndex((x) => x.text === '=');
      if (eq <= 0) continue;
      const key = unstring(
        item
          .slice(0, eq)
          .map((x) => x.text)
          .join(''),
      ).toLowerCase();
      const value = unstring((item[eq + 1] as Token | undefined)?.text ?? '').toLowerCase();
      if (key === 'swap') swap = value !== 'false';
    }
  }
  // A source in the target's database when written bare: Doris resolves both in one database.
  const sourceParts =
    source.parts.length === 1 && target.parts.length > 1
      ? [...target.parts.slice(0, -1), ...source.parts]
      : source.parts;
  return {
    kind: 'ddl',
    writes: [{ target: target.parts, staticPartitions: [], dynamicPartitions: [], query: null }],
    readTables: [sourceParts],
    ...(swap ? {} : { dropTables: [sourceParts] }),
  };
}

/** Index of a top-level `ON DUPLICATE KEY UPDATE` at or after `from` (MySQL upserts), or -1. */
function onDuplicateKey(st: ReadonlyArray<Token>, from: number, to: number): number {
  let depth = 0;
  for (let k = from; k < to; k++) {
    const t = st[k] as Token;
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    else if (
      depth === 0 &&
      t.upper === 'ON' &&
      st[k + 1]?.upper === 'DUPLICATE' &&
      st[k + 2]?.upper === 'KEY'
    ) {
      return k;
    }
  }
  return -1;
}

function queryText(
  text: string,
  st: ReadonlyArray<Token>,
  from: number,
  to: number,
): string | null {
  const first = st[from];
  if (first === undefined || from >= to) return null;
  if (first.upper === 'VALUES' || first.upper === 'VALUE' || first.upper === 'SET') return null;
  // MySQL `… ON DUPLICATE KEY UPDATE …` is not part of the query.
  // A join's ON comes first in `… JOIN b ON … ON DUPLICATE KEY UPDATE v = VALUES(v)`.
  const on = onDuplicateKey(st, from, to);
  const stop = on === -1 ? to : on;
  const last = st[stop - 1] as Token;
  return text.slice(first.start, last.end);
}

/**
 * Reads what a statement does from its leading keywords, by hand: this is where dialect syntax
 * that parsers reject is handled — Doris `WITH LABEL`, `DUPLICATE/UNIQUE KEY`, `DISTRIBUTED BY …
 * BUCKETS`, `PROPERTIES` (the CTAS query is cut out after `AS`, so those clauses never reach the
 * parser), Hive `INSERT OVERWRITE TABLE … PARTITION (…)`, `WITH … INSERT` and multi-insert
 * `FROM … INSERT … INSERT`, Flink connector DDL and views.
 */
export function planStatement(text: string, flink: boolean): StatementPlan {
  const st = significant(lex(text));
  const w0 = st[0]?.upper ?? '';
  const w1 = st[1]?.upper ?? '';
  if (st.length === 0) return { kind: 'command', writes: [] };
  if (w0 === 'USE') {
    if (w1 === 'CATALOG') return { kind: 'command', writes: [] };
    const name = readName(st, 1);
    return { kind: 'command', writes: [], useDatabase: name.parts.join('.') };
  }
  if (COMMANDS.has(w0) || (w0 === 'LOAD' && w1 === 'MODULE'))
    return { kind: 'command', writes: [] };
  if (w0 === 'DROP') {
    if (
      w1 === 'TABLE' ||
      w1 === 'VIEW' ||
      (w1 === 'TEMPORARY' && ['TABLE', 'VIEW'].includes(st[2]?.upper ?? ''))
    ) {
      let i = w1 === 'TEMPORARY' ? 3 : 2;
      if (st[i]?.upper === 'IF' && st[i + 1]?.upper === 'EXISTS') i += 2;
      return { kind: 'ddl', writes: [], dropTables: [readName(st, i).parts] };
    }
    return { kind: 'ddl', writes: [] };
  }
  if (w0 === 'ALTER' && w1 === 'TABLE') {
    const replaced = replaceWithTable(st);
    if (replaced !== undefined) return replaced;
  }
  if (w0 === 'TRUNCATE' || w0 === 'ALTER' || w0 === 'COMMENT' || w0 === 'RENAME') {
    return { kind: 'ddl', writes: [] };
  }
  if (w0 === 'INSERT' && (st[2]?.upper === 'DIRECTORY' || st[3]?.upper === 'DIRECTORY')) {
    // Hive `INSERT OVERWRITE [LOCAL] DIRECTORY '…' [ROW FORMAT …] SELECT …`: writes files, not a table.
    const q = findTop(st, 3, new Set(['SELECT', 'WITH', 'FROM']));
    return q === -1
      ? { kind: 'insert', writes: [] }
      : { kind: 'insert', writes: [], readQuery: text.slice((st[q] as Token).start) };
  }
  if (w0 === 'INSERT' || w0 === 'REPLACE' || w0 === 'UPSERT') {
    const h = insertHeader(text, st, 0, st.length);
    const query = queryText(text, st, h.queryStart, st.length);
    const write = {
      target: h.target,
      staticPartitions: h.staticPartitions,
      dynamicPartitions: h.dynamicPartitions,
      query,
      ...(h.columns === undefined ? {} : { columns: h.columns }),
    };
    return { kind: 'insert', writes: [write] };
  }
  if (w0 === 'WITH') {
    const ins = findTop(st, 1, INSERT_WORDS);
    if (ins === -1) return { kind: 'select', writes: [], readQuery: text };
    const from = findTop(st, 1, new Set(['FROM', 'SELECT']));
    if (from !== -1 && from < ins && st[from]?.upper === 'FROM') {
      // Hive `WITH cte AS (…) FROM cte INSERT … INSERT …`: multi-insert with a CTE prefix.
      const ctePart = text.slice((st[0] as Token).start, (st[from - 1] as Token).end);
      const rest = planStatement(text.slice((st[from] as Token).start), flink);
      return {
        ...rest,
        writes: rest.writes.map((w) => ({
          ...w,
          query: w.query === null ? null : `${ctePart}\n${w.query}`,
        })),
      };
    }
    // Hive `WITH cte AS (…) INSERT OVERWRITE TABLE t … SELECT …` → `WITH cte AS (…) SELECT …`
    const h = insertHeader(text, st, ins, st.length);
    const ctePart = text.slice((st[0] as Token).start, (st[ins - 1] as Token).end);
    const rest = queryText(text, st, h.queryStart, st.length);
    const write = {
      target: h.target,
      staticPartitions: h.staticPartitions,
      dynamicPartitions: h.dynamicPartitions,
      query: rest === null ? null : `${ctePart}\n${rest}`,
      ...(h.columns === undefined ? {} : { columns: h.columns }),
    };
    return { kind: 'insert', writes: [write] };
  }
  if (w0 === 'FROM') {
    // Hive multi-insert: FROM src INSERT … SELECT … [WHERE …] INSERT … SELECT …
    const first = findTop(st, 1, INSERT_WORDS);
    if (first === -1) return { kind: 'select', writes: [], readQuery: text };
    const fromPart = text.slice((st[0] as Token).start, (st[first - 1] as Token).end);
    const starts: number[] = [];
    for (let k = first; k !== -1; k = findTop(st, k + 1, INSERT_WORDS)) starts.push(k);
    const writes = starts.map((at, n) => {
      const end = starts[n + 1] ?? st.length;
      const h = insertHeader(text, st, at, end);
      const body = queryText(text, st, h.queryStart, end);
      let query: string | null = null;
      if (body !== null) {
        const bodyToks = significant(lex(body));
        const cut = findTop(
          bodyToks,
          1,
          new Set([
            'WHERE',
            'GROUP',
            'HAVING',
            'ORDER',
            'SORT',
            'CLUSTER',
            'DISTRIBUTE',
            'LIMIT',
            'WINDOW',
          ]),
        );
        query =
          cut === -1
            ? `${body}\n${fromPart}`
            : `${body.slice(0, (bodyToks[cut] as Token).start)}\n${fromPart}\n${body.slice((bodyToks[cut] as Token).start)}`;
      }
      return {
        target: h.target,
        staticPartitions: h.staticPartitions,
        dynamicPartitions: h.dynamicPartitions,
        query,
        ...(h.columns === undefined ? {} : { columns: h.columns }),
      };
    });
    return { kind: 'insert', writes };
  }
  if (w0 === 'SELECT' || w0 === '(') return { kind: 'select', writes: [], readQuery: text };
  if (w0 === 'CREATE') {
    let i = 1;
    if (st[i]?.upper === 'OR' && st[i + 1]?.upper === 'REPLACE') i += 2;
    while (
      ['GLOBAL', 'TEMPORARY', 'TEMP', 'EXTERNAL', 'TRANSIENT', 'EXTERNAL_TABLE'].includes(
        st[i]?.upper ?? '',
      )
    )
      i++;
    let what = st[i]?.upper ?? '';
    if (what === 'MATERIALIZED' && st[i + 1]?.upper === 'VIEW') {
      what = 'VIEW';
      i++;
    }
    if (what !== 'TABLE' && what !== 'VIEW') return { kind: 'ddl', writes: [] };
    i++;
    if (st[i]?.upper === 'IF' && st[i + 1]?.upper === 'NOT' && st[i + 2]?.upper === 'EXISTS')
      i += 3;
    const name = readName(st, i);
    i = name.next;
    let columns: string[] | undefined;
    if (st[i]?.text === '(' && !QUERY_START.has(st[i + 1]?.upper ?? '')) {
      columns = columnList(st, i);
      i = matchParen(st, i) + 1;
    }
    const isView = what === 'VIEW';
    // the query: the first top-level AS followed by SELECT / WITH / (
    let depth = 0;
    let queryAt = -1;
    let withOptions = -1;
    for (let k = i; k < st.length; k++) {
      const t = st[k] as Token;
      if (t.text === '(') depth++;
      else if (t.text === ')') depth--;
      else if (
        depth === 0 &&
        t.upper === 'AS' &&
        ['SELECT', 'WITH', '(', 'FROM'].includes(st[k + 1]?.upper ?? '')
      ) {
        queryAt = k + 1;
        break;
      } else if (
        depth === 0 &&
        t.upper === 'WITH' &&
        st[k + 1]?.text === '(' &&
        withOptions === -1
      ) {
        withOptions = k + 1;
      } else if (depth === 0 && t.upper === 'SELECT' && !isView) {
        // MySQL `CREATE TABLE t [(…)] SELECT …` (AS is optional)
        queryAt = k;
        break;
      } else if (depth === 0 && t.upper === 'LIKE') {
        break;
      }
    }
    if (queryAt === -1) {
      const options: Record<string, string> = {};
      if (withOptions !== -1) {
        for (const item of items(st, withOptions)) {
          const eq = item.findIndex((x) => x.text === '=');
          if (eq <= 0) continue;
          const key = unstring(
            item
              .slice(0, eq)
              .map((x) => x.text)
              .join(''),
          );
          const value = unstring((item[eq + 1] as Token | undefined)?.text ?? '');
          if (IDENTITY_OPTIONS.has(key.toLowerCase())) options[key.toLowerCase()] = value;
        }
      }
      return {
        kind: 'ddl',
        writes: [],
        definition: { table: name.parts, options, columns: columns ?? [] },
      };
    }
    const query = text.slice((st[queryAt] as Token).start, (st[st.length - 1] as Token).end);
    if (isView && flink) {
      return {
        kind: 'create-view',
        writes: [],
        view:
          columns === undefined
            ? { name: name.parts, query }
            : { name: name.parts, columns, query },
      };
    }
    return {
      kind: isView ? 'create-view' : 'create-table-as',
      writes: [
        {
          target: name.parts,
          staticPartitions: [],
          dynamicPartitions: [],
          query,
          ...(columns === undefined || columns.length === 0 ? {} : { columns }),
        },
      ],
    };
  }
  if (w0 === 'UPDATE') {
    let i = 1;
    while (['LOW_PRIORITY', 'IGNORE'].includes(st[i]?.upper ?? '')) i++;
    const target = readName(st, i);
    const set = findTop(st, i, new Set(['SET']));
    if (set === -1) return { kind: 'unknown', writes: [] };
    const refs = text.slice((st[i] as Token).start, (st[set - 1] as Token).end);
    const after = findTop(st, set + 1, new Set(['FROM', 'WHERE', 'ORDER', 'LIMIT']));
    const assignEnd = after === -1 ? st.length : after;
    const selectItems: string[] = [];
    let depth = 0;
    let itemStart = set + 1;
    const flushItem = (endK: number): void => {
      const item = st.slice(itemStart, endK);
      const eq = item.findIndex((x) => x.text === '=');
      if (eq > 0) {
        const lhs = item[eq - 1] as Token;
        const rhsFirst = item[eq + 1];
        const rhsLast = item[item.length - 1];
        if (rhsFirst !== undefined && rhsLast !== undefined) {
          selectItems.push(`${text.slice(rhsFirst.start, rhsLast.end)} AS ${lhs.text}`);
        }
      }
    };
    for (let k = set + 1; k < assignEnd; k++) {
      const t = st[k] as Token;
      if (t.text === '(') depth++;
      else if (t.text === ')') depth--;
      else if (t.text === ',' && depth === 0) {
        flushItem(k);
        itemStart = k + 1;
      }
    }
    flushItem(assignEnd);
    let tail = '';
    if (after !== -1) {
      const t = st[after] as Token;
      tail =
        t.upper === 'FROM'
          ? `, ${text.slice((st[after + 1] as Token).start)}`
          : ` ${text.slice(t.start)}`;
    }
    return {
      kind: 'update',
      writes: [
        {
          target: target.parts,
          staticPartitions: [],
          dynamicPartitions: [],
          query: `SELECT ${selectItems.join(', ')} FROM ${refs}${tail}`,
        },
      ],
    };
  }
  if (w0 === 'DELETE') {
    const from = findTop(st, 1, new Set(['FROM']));
    if (from === -1) return { kind: 'unknown', writes: [] };
    const targetAt = from === 1 ? 2 : 1;
    const target = readName(st, targetAt);
    if (from !== 1 && target.parts.length === 1) {
      // MySQL multi-table `DELETE a FROM t AS a JOIN …`: the target may be an alias.
      const alias = (target.parts[0] as string).toLowerCase();
      for (let k = from + 1; k < st.length; k++) {
        const ref = readName(st, k);
        if (ref.parts.length === 0) continue;
        let m = ref.next;
        if (st[m]?.upper === 'AS') m++;
        if (st[m] !== undefined && unquote((st[m] as Token).text).toLowerCase() === alias) {
          target.parts.splice(0, 1, ...ref.parts);
          break;
        }
        k = ref.next - 1;
      }
    }
    const parts: string[] = [];
    for (let k = from + 1; k < st.length; k++) {
      const t = st[k] as Token;
      if (t.upper === 'PARTITION' || t.upper === 'PARTITIONS') {
        k = st[k + 1]?.text === '(' ? matchParen(st, k + 1) : k + 1;
        continue;
      }
      parts.push(t.upper === 'USING' ? ',' : t.text);
    }
    return {
      kind: 'delete',
      writes: [{ target: target.parts, staticPartitions: [], dynamicPartitions: [], query: null }],
      readQuery: `SELECT 1 FROM ${parts.join(' ')}`,
    };
  }
  if (w0 === 'MERGE') {
    const into = st.findIndex((t) => t.upper === 'INTO');
    const target = readName(st, into + 1);
    const using = findTop(st, into + 1, new Set(['USING']));
    const on = findTop(st, using + 1, new Set(['ON']));
    const source =
      using === -1
        ? ''
        : text.slice(
            (st[using + 1] as Token).start,
            (st[(on === -1 ? st.length : on) - 1] as Token).end,
          );
    return {
      kind: 'merge',
      writes: [{ target: target.parts, staticPartitions: [], dynamicPartitions: [], query: null }],
      ...(source === '' ? {} : { readQuery: `SELECT 1 FROM ${source}` }),
    };
  }
  if (w0 === 'LOAD') {
    const into = st.findIndex((t, k) => t.upper === 'INTO' && st[k + 1]?.upper === 'TABLE');
    if (into === -1) return { kind: 'unknown', writes: [] };
    const target = readName(st, into + 2);
    // Doris broker load: `LOAD LABEL db.label (… INTO TABLE t …)` — t lives in the label's database.
    if (w1 === 'LABEL' && target.parts.length === 1) {
      const label = readName(st, 2);
      if (label.parts.length === 2) target.parts.unshift(label.parts[0] as string);
    }
    return {
      kind: 'load',
      writes: [{ target: target.parts, staticPartitions: [], dynamicPartitions: [], query: null }],
    };
  }
  return { kind: 'unknown', writes: [] };
}
