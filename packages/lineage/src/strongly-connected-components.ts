/**
 * stronglyConnectedComponents: groups of tables that all feed each other.
 *
 * Behaviour: iterative Tarjan (explicit call stack) over the typed-array index; every node
 * belongs to exactly one component. With `cyclicOnly`, only components that contain a cycle
 * (more than one table, or one table with a self loop) are returned. Components are sorted by
 * size (largest first), then by their first table; tables inside a component keep insertion order.
 *
 * Complexity: O(V + E) time, O(V) memory; the labelling is cached until the graph changes.
 *
 * [Reference]: R. Tarjan, "Depth-first search and linear graph algorithms", SIAM J. Comput. 1972.
 *
 * @module
 */
import { tarjan } from './internal/scc';
import type { LineageGraph } from './lineage-graph';

/**
 * Options of {@link stronglyConnectedComponents}.
 *
 * @example
 * ```ts
 * import type { SccOptions } from '@dataportal/lineage';
 * const opts: SccOptions = { cyclicOnly: true };
 * ```
 */
export interface SccOptions {
  /** Return only components that contain a cycle. @defaultValue false */
  readonly cyclicOnly?: boolean;
}

/**
 * Computes the strongly connected components.
 *
 * @param graph - the lineage graph (never mutated)
 * @param options - `cyclicOnly` to keep only components with a cycle
 * @returns the components, each a list of tables
 * @example
 * ```ts
 * import { LineageGraph, stronglyConnectedComponents } from '@dataportal/lineage';
 * const g = LineageGraph.fromEdges([{ source: 'a', target: 'b' }, { source: 'b', target: 'a' }, { source: 'b', target: 'c' }]);
 * stronglyConnectedComponents(g, { cyclicOnly: true }); // [['a', 'b']]
 * ```
 */
export function stronglyConnectedComponents(
  graph: LineageGraph,
  options: SccOptions = {},
): string[][] {
  const ix = graph.index();
  const scc = graph.cached('scc', () => tarjan(ix));
  const groups: string[][] = Array.from({ length: scc.count }, () => []);
  const keep = new Uint8Array(scc.count);
  for (let v = 0; v < ix.n; v++) {
    const c = scc.component[v] as number;
    if (c < 0) continue;
    (groups[c] as string[]).push(graph.nameAt(v));
    if (scc.onCycle[v] === 1) keep[c] = 1;
  }
  const out = options.cyclicOnly === true ? groups.filter((_, c) => keep[c] === 1) : groups;
  return out.sort((a, b) => b.length - a.length || ((a[0] as string) < (b[0] as string) ? -1 : 1));
}
