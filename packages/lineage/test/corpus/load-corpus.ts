import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SqlDialect } from '../../src/index';

/** One golden case: a statement or script with the lineage it must produce. */
export interface CorpusCase {
  readonly id: string;
  readonly title: string;
  readonly dialect: SqlDialect;
  readonly sql: string;
  readonly inputs: string[];
  readonly outputs: string[];
  /** Expected direct column lineage: `table.column` → source `table.column`s. */
  readonly columns?: Record<string, string[]>;
  readonly schema?: Record<string, string[]>;
  readonly variables?: Record<string, string>;
  readonly defaultDatabase?: string;
}

const list = (s: string): string[] =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x.length > 0);

/**
 * Reads `<dialect>.sql`: cases start with `-- @case <id> <title>`, followed by directives
 * (`-- @in`, `-- @out`, `-- @col t.c <- s.a, s.b`, `-- @schema t: a, b`, `-- @var k=v`, `-- @db d`)
 * and the SQL text.
 */
export function loadCorpus(dialect: SqlDialect): CorpusCase[] {
  const file = fileURLToPath(new URL(`./${dialect}.sql`, import.meta.url));
  const text = readFileSync(file, 'utf8');
  const cases: CorpusCase[] = [];
  let cur: {
    id: string;
    title: string;
    sql: string[];
    inputs: string[];
    outputs: string[];
    columns?: Record<string, string[]>;
    schema?: Record<string, string[]>;
    variables?: Record<string, string>;
    defaultDatabase?: string;
  } | null = null;
  const finish = (): void => {
    if (cur === null) return;
    const { sql, ...rest } = cur;
    cases.push({ ...rest, dialect, sql: sql.join('\n').trim() });
  };
  for (const line of text.split('\n')) {
    const m = /^--\s*@(\w+)\s*(.*)$/.exec(line);
    if (m === null) {
      cur?.sql.push(line);
      continue;
    }
    const [, key, value = ''] = m;
    if (key === 'case') {
      finish();
      const [id = '', ...title] = value.split(/\s+/);
      cur = { id, title: title.join(' '), sql: [], inputs: [], outputs: [] };
      continue;
    }
    if (cur === null) continue;
    if (key === 'in') cur.inputs = list(value);
    else if (key === 'out') cur.outputs = list(value);
    else if (key === 'col') {
      const [target = '', sources = ''] = value.split('<-');
      cur.columns ??= {};
      cur.columns[target.trim()] = list(sources);
    } else if (key === 'schema') {
      const [table = '', cols = ''] = value.split(':');
      cur.schema ??= {};
      cur.schema[table.trim()] = list(cols);
    } else if (key === 'var') {
      const eq = value.indexOf('=');
      cur.variables ??= {};
      cur.variables[value.slice(0, eq).trim()] = value.slice(eq + 1).trim();
    } else if (key === 'db') cur.defaultDatabase = value.trim();
  }
  finish();
  return cases;
}
