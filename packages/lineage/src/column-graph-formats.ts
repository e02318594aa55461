/**
 * Column-level lineage as Graphviz DOT (tables as records with one port per column) and Mermaid
 * (tables as subgraphs with one node per column), from table edges that carry column pairs.
 *
 * Complexity: O(edges + column pairs). Tables without column pairs are drawn with a table-level
 * edge so nothing is hidden.
 *
 * @module
 */

/**
 * A table edge with its column pairs (the shape the portal stores and serves).
 *
 * @example
 * ```ts
 * import type { ColumnEdge } from '@dataportal/lineage';
 * const e: ColumnEdge = { source: 'ods.a', target: 'dwd.b', columns: [{ source: 'x', target: 'y' }] };
 * ```
 */
export interface ColumnEdge {
  readonly source: string;
  readonly target: string;
  readonly columns: ReadonlyArray<{ readonly source: string; readonly target: string }>;
}

function tablesAndColumns(edges: ReadonlyArray<ColumnEdge>): Map<string, string[]> {
  const tables = new Map<string, Set<string>>();
  const add = (t: string, c?: string) => {
    let s = tables.get(t);
    if (s === undefined) {
      s = new Set();
      tables.set(t, s);
    }
    if (c !== undefined) s.add(c);
  };
  for (const e of edges) {
    add(e.source);
    add(e.target);
    for (const p of e.columns) {
      add(e.source, p.source);
      add(e.target, p.target);
    }
  }
  const out = new Map<string, string[]>();
  for (const t of [...tables.keys()].sort()) out.set(t, [...(tables.get(t) ?? [])].sort());
  return out;
}

const dq = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const recordText = (s: string): string => s.replace(/[\\{}|<>"]/g, (m) => `\\${m}`);

/**
 * Graphviz DOT of column lineage: each table is a `record` node whose fields are its columns
 * (port = column name), each column pair an edge between ports.
 *
 * @param edges - table edges with column pairs
 * @param options - graph name and layout direction
 * @returns DOT source
 * @example
 * ```ts
 * import { toColumnDot } from '@dataportal/lineage';
 * toColumnDot([{ source: 'ods.a', target: 'dwd.b', columns: [{ source: 'x', target: 'y' }] }]);
 * // … "ods.a":"x" -> "dwd.b":"y"; …
 * ```
 */
export function toColumnDot(
  edges: ReadonlyArray<ColumnEdge>,
  options: { readonly name?: string; readonly rankdir?: 'LR' | 'TB' } = {},
): string {
  const tables = tablesAndColumns(edges);
  const lines = [
    `digraph ${dq(options.name ?? 'column_lineage')} {`,
    `  rankdir=${options.rankdir ?? 'LR'};`,
    '  node [shape=record];',
  ];
  for (const [t, cols] of tables) {
    const fields = cols.map((c) => `<${recordText(c)}> ${recordText(c)}`).join(' | ');
    const label = fields === '' ? recordText(t) : `${recordText(t)} | ${fields}`;
    lines.push(`  ${dq(t)} [label=${dq(`{${label}}`)}];`);
  }
  const seen = new Set<string>();
  for (const e of edges) {
    if (e.columns.length === 0) {
      const k = `${e.source}\u0000${e.target}`;
      if (!seen.has(k)) lines.push(`  ${dq(e.source)} -> ${dq(e.target)} [style=dashed];`);
      seen.add(k);
      continue;
    }
    for (const p of e.columns) {
      const k = `${e.source}\u0000${p.source}\u0000${e.target}\u0000${p.target}`;
      if (seen.has(k)) continue;
      seen.add(k);
      lines.push(`  ${dq(e.source)}:${dq(p.source)} -> ${dq(e.target)}:${dq(p.target)};`);
    }
  }
  lines.push('}');
  return lines.join('\n');
}

/**
 * Mermaid flowchart of column lineage: each table is a subgraph holding one node per column,
 * each column pair an edge between column nodes (Mermaid has no ports).
 *
 * @param edges - table edges with column pairs
 * @param options - flow direction
 * @returns Mermaid source
 * @example
 * ```ts
 * import { toColumnMermaid } from '@dataportal/lineage';
 * toColumnMermaid([{ source: 'ods.a', target: 'dwd.b', columns: [{ source: 'x', target: 'y' }] }]);
 * ```
 */
export function toColumnMermaid(
  edges: ReadonlyArray<ColumnEdge>,
  options: { readonly direction?: 'LR' | 'TB' } = {},
): string {
  const tables = tablesAndColumns(edges);
  const ids = new Map<string, string>();
  const id = (key: string): string => {
    let v = ids.get(key);
    if (v === undefined) {
      v = `n${ids.size}`;
      ids.set(key, v);
    }
    return v;
  };
  const label = (s: string): string => `"${s.replace(/"/g, '#quot;')}"`;
  const lines = [`flowchart ${options.direction ?? 'LR'}`];
  for (const [t, cols] of tables) {
    lines.push(`  subgraph ${id(t)}[${label(t)}]`);
    for (const c of cols) lines.push(`    ${id(`${t}\u0000${c}`)}[${label(c)}]`);
    lines.push('  end');
  }
  const seen = new Set<string>();
  for (const e of edges) {
    const pairs =
      e.columns.length === 0
        ? [[id(e.source), id(e.target)] as const]
        : e.columns.map(
            (p) =>
              [id(`${e.source}\u0000${p.source}`), id(`${e.target}\u0000${p.target}`)] as const,
          );
    for (const [a, b] of pairs) {
      if (seen.has(`${a}>${b}`)) continue;
      seen.add(`${a}>${b}`);
      lines.push(`  ${a} --> ${b}`);
    }
  }
  return lines.join('\n');
}
