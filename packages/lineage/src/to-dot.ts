/**
 * toDot: a Graphviz DOT digraph of the graph.
 *
 * Behaviour: table names are quoted and escaped; each table carries its layer (and a fill colour
 * per warehouse layer) as attributes; edges carry their tasks as labels when `edgeLabels` is set.
 * With `clusterByLayer`, tables are placed in one `cluster_` subgraph per layer. Deterministic.
 *
 * Complexity: O(V + E).
 *
 * [Reference]: https://graphviz.org/doc/info/lang.html
 *
 * @module
 */
import type { LineageGraph } from './lineage-graph';

/**
 * Options of {@link toDot}.
 *
 * @example
 * ```ts
 * import type { DotOptions } from '@dataportal/lineage';
 * const opts: DotOptions = { rankdir: 'TB', clusterByLayer: true };
 * ```
 */
export interface DotOptions {
  /** Graph name. @defaultValue 'lineage' */
  readonly name?: string;
  /** Layout direction. @defaultValue 'LR' */
  readonly rankdir?: 'LR' | 'RL' | 'TB' | 'BT';
  /** One cluster per layer. @defaultValue false */
  readonly clusterByLayer?: boolean;
  /** Label edges with their tasks. @defaultValue false */
  readonly edgeLabels?: boolean;
}

const COLORS: Readonly<Record<string, string>> = {
  ODS: '#e8f0fe',
  DWD: '#e6f4ea',
  DIM: '#fef7e0',
  DWS: '#fce8e6',
  ADS: '#f3e8fd',
};

const q = (s: string): string => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * Renders the graph as Graphviz DOT.
 *
 * @param graph - the lineage graph (never mutated)
 * @param options - name, rankdir, clusters, edge labels
 * @returns DOT source text
 * @example
 * ```ts
 * import { LineageGraph, toDot } from '@dataportal/lineage';
 * toDot(LineageGraph.fromEdges([{ source: 'ods.o', target: 'dwd.o' }]));
 * // digraph "lineage" { rankdir=LR; … "ods.o" -> "dwd.o"; }
 * ```
 */
export function toDot(graph: LineageGraph, options: DotOptions = {}): string {
  const ix = graph.index();
  const lines = [
    `digraph ${q(options.name ?? 'lineage')} {`,
    `  rankdir=${options.rankdir ?? 'LR'};`,
    '  node [shape=box, style="rounded,filled", fillcolor="#ffffff"];',
  ];
  const decl = (i: number): string => {
    const layer = graph.layerAt(i);
    if (layer === undefined) return `${q(graph.nameAt(i))};`;
    const color = COLORS[layer];
    return `${q(graph.nameAt(i))} [layer=${q(layer)}${color === undefined ? '' : `, fillcolor=${q(color)}`}];`;
  };
  if (options.clusterByLayer === true) {
    const byLayer = new Map<string, number[]>();
    for (let i = 0; i < ix.n; i++) {
      if (ix.alive[i] !== 1) continue;
      const layer = graph.layerAt(i);
      if (layer === undefined) {
        lines.push(`  ${decl(i)}`);
        continue;
      }
      const list = byLayer.get(layer);
      if (list === undefined) byLayer.set(layer, [i]);
      else list.push(i);
    }
    for (const [layer, ids] of byLayer) {
      lines.push(`  subgraph ${q(`cluster_${layer}`)} {`, `    label=${q(layer)};`);
      for (const i of ids) lines.push(`    ${decl(i)}`);
      lines.push('  }');
    }
  } else {
    for (let i = 0; i < ix.n; i++) if (ix.alive[i] === 1) lines.push(`  ${decl(i)}`);
  }
  for (let s = 0; s < ix.n; s++) {
    for (let k = ix.outOffsets[s] as number; k < (ix.outOffsets[s + 1] as number); k++) {
      const t = ix.outTargets[k] as number;
      const tasks = options.edgeLabels === true ? graph.tasksBetween(s, t) : [];
      const label = tasks.length > 0 ? ` [label=${q(tasks.join(', '))}]` : '';
      lines.push(`  ${q(graph.nameAt(s))} -> ${q(graph.nameAt(t))}${label};`);
    }
  }
  lines.push('}');
  return lines.join('\n');
}
