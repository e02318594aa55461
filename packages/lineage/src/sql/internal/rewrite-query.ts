import { applyEdits, type Edit, lex, matchParen, significant, type Token, unquote } from './lexer';

/** Window TVF sources: table name (as written) → its time-descriptor column. */
export type DescriptorMap = Map<string, string>;

const TVFS: ReadonlySet<string> = new Set(['TUMBLE', 'HOP', 'CUMULATE', 'SESSION']);

/**
 * Flink rewrites before parsing:
 * - window TVFs `TABLE(TUMBLE(TABLE src, DESCRIPTOR(ts), …))` become `src` (the window columns
 *   `window_start`/`window_end`/`window_time` are later mapped to the descriptor column);
 * - `FOR SYSTEM_TIME AS OF <expr>` (temporal joins) is removed, keeping the alias.
 */
export function rewriteFlink(sql: string): { text: string; descriptors: DescriptorMap } {
  const toks = significant(lex(sql));
  const edits: Edit[] = [];
  const descriptors: DescriptorMap = new Map();
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Token;
    if (
      t.kind === 'word' &&
      t.upper === 'TABLE' &&
      toks[i + 1]?.text === '(' &&
      TVFS.has(toks[i + 2]?.upper ?? '') &&
      toks[i + 3]?.text === '('
    ) {
      const close = matchParen(toks, i + 1);
      let source: string | undefined;
      let descriptor: string | undefined;
      for (let k = i + 4; k < close; k++) {
        const u = toks[k] as Token;
        if (u.kind === 'word' && u.upper === 'TABLE' && source === undefined) {
          const parts: string[] = [];
          let m = k + 1;
          while (m < close && (toks[m]?.kind === 'word' || toks[m]?.kind === 'quoted')) {
            parts.push((toks[m] as Token).text);
            if (toks[m + 1]?.text === '.') m += 2;
            else {
              m++;
              break;
            }
          }
          source = parts.join('.');
        }
        if (u.kind === 'word' && u.upper === 'DESCRIPTOR' && toks[k + 1]?.text === '(') {
          const col = toks[k + 2];
          if (col !== undefined) descriptor = unquote(col.text);
        }
      }
      if (source !== undefined && source.length > 0) {
        edits.push({ start: t.start, end: (toks[close] as Token).end, text: source });
        if (descriptor !== undefined) descriptors.set(source, descriptor);
      }
      i = close;
      continue;
    }
    if (
      t.kind === 'word' &&
      t.upper === 'FOR' &&
      toks[i + 1]?.upper === 'SYSTEM_TIME' &&
      toks[i + 2]?.upper === 'AS' &&
      toks[i + 3]?.upper === 'OF'
    ) {
      let k = i + 4;
      // the time expression: a (qualified) name, optionally a call
      while (k < toks.length && (toks[k]?.kind === 'word' || toks[k]?.kind === 'quoted')) {
        if (toks[k + 1]?.text === '.') k += 2;
        else {
          k++;
          break;
        }
      }
      if (toks[k]?.text === '(') k = matchParen(toks, k) + 1;
      const last = toks[k - 1] as Token;
      edits.push({ start: t.start, end: last.end, text: ' ' });
      i = k - 1;
    }
  }
  // With one window TVF, its window columns are the descriptor column: rename them so the parser
  // resolves them through views and CTEs (`SELECT window_start` → `SELECT ts AS window_start`).
  if (descriptors.size === 1) {
    const descriptor = [...descriptors.values()][0] as string;
    const selectDepth: boolean[] = [];
    let depth = 0;
    for (let i = 0; i < toks.length; i++) {
      const t = toks[i] as Token;
      if (t.text === '(') depth++;
      else if (t.text === ')') {
        selectDepth[depth] = false;
        depth--;
      } else if (t.upper === 'SELECT') selectDepth[depth] = true;
      else if (t.upper === 'FROM') selectDepth[depth] = false;
      if (t.kind !== 'word' || !WINDOW_COLUMNS.has(t.text.toLowerCase())) continue;
      if (edits.some((e) => e.start <= t.start && t.end <= e.end)) continue;
      const prev = toks[i - 1];
      const next = toks[i + 1];
      const bareItem =
        selectDepth[depth] === true &&
        (prev?.upper === 'SELECT' || prev?.text === ',' || prev?.text === '.') &&
        (next === undefined || next.text === ',' || next.upper === 'FROM');
      edits.push({
        start: t.start,
        end: t.end,
        text: bareItem ? `${descriptor} AS ${t.text}` : descriptor,
      });
    }
  }
  return { text: edits.length === 0 ? sql : applyEdits(sql, edits), descriptors };
}

const WINDOW_COLUMNS: ReadonlySet<string> = new Set(['window_start', 'window_end', 'window_time']);

/**
 * Prepares a query for the parser, in every dialect, by removing what carries no lineage but
 * makes parsers fail:
 * - comments, including MySQL `#` line comments and optimizer hints `/*+ … *\/` (Flink
 *   `OPTIONS(…)` table hints, Doris/MySQL `SET_VAR(…)`), each replaced by one space (a newline
 *   for line comments) so tokens never merge;
 * - Doris join hints `JOIN [shuffle]` / `JOIN [broadcast]` (a bracketed word right after JOIN).
 */
export function stripForParser(sql: string): string {
  const all = lex(sql);
  const edits: Edit[] = [];
  let prev: Token | undefined;
  for (let i = 0; i < all.length; i++) {
    const t = all[i] as Token;
    if (t.kind === 'comment') {
      edits.push({ start: t.start, end: t.end, text: t.text.startsWith('/*') ? ' ' : '\n' });
      continue;
    }
    if (t.kind === 'space') continue;
    if (t.text === '[' && prev?.kind === 'word' && prev.upper === 'JOIN') {
      const close = joinHintEnd(all, i);
      if (close !== -1) {
        edits.push({ start: t.start, end: (all[close] as Token).end, text: ' ' });
        i = close;
        continue;
      }
    }
    prev = t;
  }
  return edits.length === 0 ? sql : applyEdits(sql, edits);
}

/** Index of the `]` that closes a join hint opened at `open` (`[ word ]`), or -1. */
function joinHintEnd(tokens: ReadonlyArray<Token>, open: number): number {
  let words = 0;
  for (let k = open + 1; k < tokens.length; k++) {
    const t = tokens[k] as Token;
    if (t.kind === 'space' || t.kind === 'comment') continue;
    if (t.text === ']') return words > 0 ? k : -1;
    if (t.kind !== 'word' && t.text !== ',') return -1;
    words++;
  }
  return -1;
}

/** Words after which a `(` opens a subquery or a list, not a function call. */
const NON_CALL: ReadonlySet<string> = new Set([
  'FROM',
  'JOIN',
  'IN',
  'EXISTS',
  'AS',
  'ON',
  'AND',
  'OR',
  'NOT',
  'WHERE',
  'SELECT',
  'UNION',
  'ALL',
  'WITH',
  'USING',
  'HAVING',
  'BY',
  'THEN',
  'ELSE',
  'WHEN',
  'LATERAL',
  'INTERSECT',
  'EXCEPT',
  'MINUS',
  'DISTINCT',
  'SET',
  'INTO',
  'TABLE',
  'VALUES',
]);

const NOT_A_TABLE: ReadonlySet<string> = new Set([
  'SELECT',
  'LATERAL',
  'UNNEST',
  'DUAL',
  'VALUES',
  'TABLE',
  'WHERE',
  'GROUP',
  'ORDER',
  'LIMIT',
  'ON',
  'JOIN',
]);

export interface ScannedTables {
  /** Table names as written (parts unquoted, joined by dots). */
  readonly tables: string[];
  /** Names defined as CTEs in the text. */
  readonly ctes: Set<string>;
}

/**
 * A token scan for table references — the fallback when the parser fails, and the cross-check
 * that catches tables a parser silently dropped. Reads names after FROM / JOIN (and comma lists
 * after FROM), skipping FROM inside function calls (`EXTRACT(YEAR FROM d)`), and collects CTE
 * names so they are never reported as tables.
 */
export function scanTables(sql: string): ScannedTables {
  const toks = significant(lex(sql));
  const tables: string[] = [];
  const ctes = new Set<string>();
  const callStack: boolean[] = [];
  const readName = (at: number): { name: string; next: number } | undefined => {
    const parts: string[] = [];
    let k = at;
    while (k < toks.length) {
      const t = toks[k] as Token;
      if (t.kind !== 'word' && t.kind !== 'quoted') break;
      if (parts.length === 0 && t.kind === 'word' && NOT_A_TABLE.has(t.upper)) return undefined;
      parts.push(unquote(t.text));
      if (toks[k + 1]?.text === '.') k += 2;
      else {
        k++;
        break;
      }
    }
    if (parts.length === 0) return undefined;
    if (toks[k]?.text === '(') return undefined; // a table function, not a table
    return { name: parts.join('.'), next: k };
  };
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Token;
    if (t.kind === 'punct' && t.text === '(') {
      const prev = toks[i - 1];
      const isCall =
        prev !== undefined &&
        (prev.kind === 'word' || prev.kind === 'quoted') &&
        !NON_CALL.has(prev.upper);
      callStack.push(isCall);
      continue;
    }
    if (t.kind === 'punct' && t.text === ')') {
      callStack.pop();
      continue;
    }
    if (t.kind !== 'word' && t.kind !== 'quoted') continue;
    // CTE definitions: `name AS (` or `name (cols) AS (` after WITH or a comma.
    const afterCols = toks[i + 1]?.text === '(' ? matchParen(toks, i + 1) + 1 : i + 1;
    if (toks[afterCols]?.upper === 'AS' && toks[afterCols + 1]?.text === '(') {
      const prev = toks[i - 1];
      if (
        prev !== undefined &&
        (prev.upper === 'WITH' || prev.text === ',' || prev.upper === 'RECURSIVE')
      ) {
        ctes.add(unquote(t.text).toLowerCase());
      }
    }
    if (t.kind !== 'word' || callStack[callStack.length - 1] === true) continue;
    if (t.upper !== 'FROM' && t.upper !== 'JOIN' && t.upper !== 'USING') continue;
    if (t.upper === 'USING' && toks[i + 1]?.text === '(') continue;
    let at = i + 1;
    // Doris join hints: `JOIN [shuffle] t`, `JOIN [broadcast] t`.
    if (t.upper === 'JOIN' && toks[at]?.text === '[') {
      const close = toks.findIndex((x, k) => k > at && x.text === ']');
      if (close !== -1) at = close + 1;
    }
    for (;;) {
      const r = readName(at);
      if (r === undefined) break;
      tables.push(r.name);
      let k = r.next;
      if (toks[k]?.upper === 'AS') k++;
      const alias = toks[k];
      if (
        alias !== undefined &&
        (alias.kind === 'word' || alias.kind === 'quoted') &&
        !NOT_A_TABLE.has(alias.upper) &&
        !RESERVED_AFTER_TABLE.has(alias.upper)
      )
        k++;
      if (t.upper === 'FROM' && toks[k]?.text === ',') {
        at = k + 1;
        continue;
      }
      break;
    }
  }
  return { tables, ctes };
}

const RESERVED_AFTER_TABLE: ReadonlySet<string> = new Set([
  'LEFT',
  'RIGHT',
  'INNER',
  'OUTER',
  'FULL',
  'CROSS',
  'NATURAL',
  'UNION',
  'INTERSECT',
  'EXCEPT',
  'MINUS',
  'INSERT',
  'PARTITION',
  'FOR',
  'SET',
  'USING',
  'HAVING',
  'WINDOW',
  'CLUSTER',
  'DISTRIBUTE',
  'SORT',
  'TABLESAMPLE',
]);
