/**
 * Composition of column lineage across the statements of a script.
 *
 * Every statement's column lineage maps target columns to source columns. Statements run in
 * order, so a source column that an earlier statement of the same script wrote (a temp table, a
 * CTAS, a view) is replaced by that column's own composed sources; the result names only tables
 * the script did not produce itself. Kinds compose by the stronger effect: `DIRECT` through
 * `DIRECT` stays direct with the stronger subtype (IDENTITY < TRANSFORMATION < AGGREGATION);
 * any `INDIRECT` step makes the pair indirect, keeping the subtype of the step that filtered,
 * joined, grouped, sorted or windowed.
 *
 * Complexity: O(total source references × composed fan-in); no recursion (each statement only
 * looks up already composed columns of earlier statements).
 */
import type {
  ColumnLineage,
  ColumnSource,
  ColumnTransformationSubtype,
  ScriptColumnLineage,
  SqlStatementLineage,
} from '../sql-lineage';

const DIRECT_RANK: Readonly<Record<string, number>> = {
  IDENTITY: 0,
  TRANSFORMATION: 1,
  AGGREGATION: 2,
};

/** Parser transform kind → OpenLineage DIRECT subtype. */
export function directSubtype(transform: string): ColumnTransformationSubtype {
  if (transform === 'direct') return 'IDENTITY';
  if (transform === 'aggregation') return 'AGGREGATION';
  return 'TRANSFORMATION';
}

/** Parser column-use context → OpenLineage INDIRECT subtype; undefined for unknown contexts. */
export function indirectSubtype(context: string): ColumnTransformationSubtype | undefined {
  if (context === 'filter' || context === 'having' || context === 'where') return 'FILTER';
  if (context === 'join') return 'JOIN';
  if (context === 'group') return 'GROUP_BY';
  if (context === 'order') return 'SORT';
  if (context.startsWith('window')) return 'WINDOW';
  if (context === 'case' || context === 'condition') return 'CONDITIONAL';
  return undefined;
}

function combine(outer: ColumnSource, inner: ColumnSource): ColumnSource {
  // inner: how an upstream column fed the intermediate column; outer: how that intermediate
  // column feeds the target.
  if (outer.type === 'INDIRECT') return { ...inner, type: 'INDIRECT', subtype: outer.subtype };
  if (inner.type === 'INDIRECT') return inner;
  const subtype =
    (DIRECT_RANK[outer.subtype] ?? 1) >= (DIRECT_RANK[inner.subtype] ?? 1)
      ? outer.subtype
      : inner.subtype;
  return { ...inner, subtype };
}

const key = (s: ColumnSource): string => `${s.table}\u0000${s.column}\u0000${s.type}`;

function addSource(into: Map<string, ColumnSource>, s: ColumnSource): void {
  const k = key(s);
  const had = into.get(k);
  if (had === undefined) {
    into.set(k, s);
    return;
  }
  // Keep the stronger DIRECT subtype; for INDIRECT the first seen (sorted later anyway).
  if (s.type === 'DIRECT' && (DIRECT_RANK[s.subtype] ?? 1) > (DIRECT_RANK[had.subtype] ?? 1)) {
    into.set(k, s);
  }
}

function sourcesOf(c: ColumnLineage): ColumnSource[] {
  const subtype = directSubtype(c.transform);
  const out: ColumnSource[] = c.direct.map((r) => ({ ...r, type: 'DIRECT', subtype }));
  if (c.influences !== undefined) out.push(...c.influences);
  else for (const r of c.indirect) out.push({ ...r, type: 'INDIRECT', subtype: 'FILTER' });
  return out;
}

function sorted(m: Map<string, ColumnSource>): ColumnSource[] {
  return [...m.values()].sort((a, b) => {
    const ka = `${a.table}\u0000${a.column}\u0000${a.type}\u0000${a.subtype}`;
    const kb = `${b.table}\u0000${b.column}\u0000${b.type}\u0000${b.subtype}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

/**
 * Composes the column lineage of a script's statements (in order) and returns the lineage of the
 * `outputs` tables' columns, from tables the script did not write before reading them.
 */
export function composeColumns(
  statements: ReadonlyArray<SqlStatementLineage>,
  outputs: ReadonlyArray<string>,
): ScriptColumnLineage[] {
  // table → column → composed sources, for every table written so far in the script.
  const written = new Map<string, Map<string, Map<string, ColumnSource>>>();
  for (const s of statements) {
    const produced = new Map<string, Map<string, Map<string, ColumnSource>>>();
    for (const c of s.columns) {
      const composed = new Map<string, ColumnSource>();
      for (const src of sourcesOf(c)) {
        const upstream = written.get(src.table);
        if (upstream === undefined) {
          addSource(composed, src);
          continue;
        }
        const inner = upstream.get(src.column);
        // A column of an intermediate table without known lineage (a constant) adds nothing.
        if (inner === undefined) continue;
        for (const i of inner.values()) addSource(composed, combine(src, i));
      }
      let cols = produced.get(c.target.table);
      if (cols === undefined) {
        cols = new Map();
        produced.set(c.target.table, cols);
      }
      const had = cols.get(c.target.column);
      if (had === undefined) cols.set(c.target.column, composed);
      else for (const v of composed.values()) addSource(had, v);
    }
    for (const [table, cols] of produced) {
      // CTAS and views define the table anew; INSERTs add rows, so later readers see the union.
      const isOverwrite = s.kind === 'create-table-as' || s.kind === 'create-view';
      const prev = written.get(table);
      if (prev === undefined || isOverwrite) {
        written.set(table, cols);
        continue;
      }
      for (const [col, srcs] of cols) {
        const p = prev.get(col);
        if (p === undefined) prev.set(col, srcs);
        else for (const v of srcs.values()) addSource(p, v);
      }
    }
  }
  const out: ScriptColumnLineage[] = [];
  for (const table of [...outputs].sort()) {
    const cols = written.get(table);
    if (cols === undefined) continue;
    for (const column of [...cols.keys()].sort()) {
      out.push({ target: { table, column }, sources: sorted(cols.get(column) ?? new Map()) });
    }
  }
  return out;
}
