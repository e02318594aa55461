/**
 * upstream: breadth-first walk upstream (the tables it reads from, transitively) of one table.
 *
 * Behaviour: iterative BFS over the typed-array index with an explicit queue, so chains of
 * millions of tables work. Exact depth semantics (depth 1 = direct neighbours, depth 0 = none),
 * fan-out cap per hop, total cap, and a layer filter that does not change distances. Each node is
 * visited once, so cycles terminate; `cycleDetected` tells whether a visited node lies on one.
 * Self loops and disconnected parts need no special handling.
 *
 * Complexity: O(V + E) of the visited part. The first query after a change also rebuilds the
 * index and computes strongly connected components once (O(V + E), cached until the next change)
 * to report `cycleDetected`.
 *
 * [Reference]: breadth-first search, https://en.wikipedia.org/wiki/Breadth-first_search
 *
 * @module
 */

import { walk } from './internal/traverse';
import type { LineageGraph } from './lineage-graph';
import type { TraversalOptions, TraversalResult } from './traversal-result';

/**
 * Walks upstream (the tables it reads from, transitively) of `node`.
 *
 * @param graph - the lineage graph (never mutated)
 * @param node - the start table
 * @param options - depth, maxNodes, perHopLimit, layers
 * @returns reached nodes with distances and completeness flags
 * @throws {@link LineageError} with code NODE_NOT_FOUND when `node` is absent, INVALID_ARGUMENT
 * when an option is malformed
 * @see downstream
 * @example
 * ```ts
 * import { LineageGraph, upstream } from '@dataportal/lineage';
 * const g = LineageGraph.fromEdges([{ source: 'dwd.orders', target: 'dws.sales' }, { source: 'dws.sales', target: 'ads.report' }]);
 * upstream(g, 'ads.report', { depth: 2 }).nodes.map((n) => n.id); // ['dws.sales', 'dwd.orders']
 * ```
 */
export function upstream(
  graph: LineageGraph,
  node: string,
  options: TraversalOptions = {},
): TraversalResult {
  return walk(graph, node, 'upstream', options);
}
