/**
 * toMermaid: a Mermaid flowchart of the graph, for READMEs, notebooks and the portal UI.
 *
 * Behaviour: node ids are generated (`n0`, `n1`, …) so any table name is safe; labels are the
 * table names, quoted and escaped. With `groupByLayer`, tables are placed in one `subgraph` per
 * layer. Edges carry their task names as labels when `edgeLabels` is set. Output is deterministic.
 *
 * Complexity: O(V + E).
 *
 * [Reference]: https://mermaid.js.org/syntax/flowchart.html
 *
 * @module
 */
import type { LineageGraph } from './lineage-graph';

/**
 * Options of {@link toMermaid}.
 *
 * @example
 * ```ts
 * import type { MermaidOptions } from '@dataportal/lineage';
 * const opts: MermaidOptions = { direction: 'TB', groupByLayer: true, edgeLabels: true };
 * ```
 */
export interface MermaidOptions {
  /** Flow direction. @defaultValue 'LR' */
  readonly direction?: 'LR' | 'RL' | 'TB' | 'BT';
  /** One subgraph per layer. @defaultValue false */
  readonly groupByLayer?: boolean;
  /** Label edges with their tasks. @defaultValue false */
  readonly edgeLabels?: boolean;
}

const escapeLabel = (s: string): string => s.replace(/"/g, '#quot;');

/**
 * Renders the graph as a Mermaid flowchart.
 *
 * @param graph - the lineage graph (never mutated)
 * @param options - direction, grouping by layer, edge labels
 * @returns Mermaid source text
 * @example
 * ```ts
 * import { LineageGraph, toMermaid } from '@dataportal/lineage';
 * console.log(toMermaid(LineageGraph.fromEdges([{ source: 'ods.o', target: 'dwd.o' }])));
 * // flowchart LR
 * //   n0["ods.o"]
 * //   n1["dwd.o"]
 * //   n0 --> n1
 * ```
 */
export function toMermaid(graph: LineageGraph, options: MermaidOptions = {}): string {
  const ix = graph.index();
  const lines = [`flowchart ${options.direction ?? 'LR'}`];
  const decl = (i: number): string => `n${i}["${escapeLabel(graph.nameAt(i))}"]`;
  if (options.groupByLayer === true) {
    const byLayer = new Map<string, number[]>();
    const loose: number[] = [];
    for (let i = 0; i < ix.n; i++) {
      if (ix.alive[i] !== 1) continue;
      const layer = graph.layerAt(i);
      if (layer === undefined) loose.push(i);
      else {
        const list = byLayer.get(layer);
        if (list === undefined) byLayer.set(layer, [i]);
        else list.push(i);
      }
    }
    let g = 0;
    for (const [layer, ids] of byLayer) {
      lines.push(`  subgraph L${g++}["${escapeLabel(layer)}"]`);
      for (const i of ids) lines.push(`    ${decl(i)}`);
      lines.push('  end');
    }
    for (const i of loose) lines.push(`  ${decl(i)}`);
  } else {
    for (let i = 0; i < ix.n; i++) if (ix.alive[i] === 1) lines.push(`  ${decl(i)}`);
  }
  for (let s = 0; s < ix.n; s++) {
    for (let k = ix.outOffsets[s] as number; k < (ix.outOffsets[s + 1] as number); k++) {
      const t = ix.outTargets[k] as number;
      const tasks = options.edgeLabels === true ? graph.tasksBetween(s, t) : [];
      lines.push(
        tasks.length > 0
          ? `  n${s} -->|"${escapeLabel(tasks.join(', '))}"| n${t}`
          : `  n${s} --> n${t}`,
      );
    }
  }
  return lines.join('\n');
}
