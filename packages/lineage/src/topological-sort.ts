/**
 * topologicalSort: every table after all the tables it reads from — the order a scheduler runs
 * the tasks that build them.
 *
 * Behaviour: Kahn's algorithm over the typed-array index, level by level, so the order is
 * deterministic for a given insertion order. Disconnected parts are interleaved by level.
 * A cycle (a self loop counts) throws `LineageError('CYCLE_DETECTED')` whose
 * `details.cycle` holds the cycle as a closed path. The streaming form visits nodes without
 * building an array.
 *
 * Complexity: O(V + E) time, O(V) memory.
 *
 * [Reference]: A. B. Kahn, "Topological sorting of large networks", CACM 1962.
 *
 * @module
 */
import { kahnLevels } from './internal/kahn';
import type { LineageGraph } from './lineage-graph';

/**
 * Visits every table in topological order.
 *
 * @param graph - the lineage graph (never mutated)
 * @param visit - called with each table and its position in the order
 * @throws {@link LineageError} with code CYCLE_DETECTED (carrying `details.cycle`) when the graph
 * has a cycle; nodes before the cycle may already have been visited
 * @example
 * ```ts
 * import { LineageGraph, forEachInTopologicalOrder } from '@dataportal/lineage';
 * const g = LineageGraph.fromEdges([{ source: 'a', target: 'b' }]);
 * forEachInTopologicalOrder(g, (node, i) => console.log(i, node)); // 0 a, 1 b
 * ```
 */
export function forEachInTopologicalOrder(
  graph: LineageGraph,
  visit: (node: string, index: number) => void,
): void {
  let i = 0;
  kahnLevels(graph, 'topologicalSort', (ids, start, end) => {
    for (let q = start; q < end; q++) visit(graph.nameAt(ids[q] as number), i++);
  });
}

/**
 * Lists every table in topological order.
 *
 * @param graph - the lineage graph (never mutated)
 * @returns a new array; each table comes after all its upstream tables
 * @throws {@link LineageError} with code CYCLE_DETECTED (carrying `details.cycle`) when the graph
 * has a cycle
 * @example
 * ```ts
 * import { LineageGraph, topologicalSort } from '@dataportal/lineage';
 * topologicalSort(LineageGraph.fromEdges([{ source: 'dwd.a', target: 'dws.a' }, { source: 'ods.a', target: 'dwd.a' }]));
 * // ['ods.a', 'dwd.a', 'dws.a']
 * ```
 */
export function topologicalSort(graph: LineageGraph): string[] {
  const out: string[] = [];
  kahnLevels(graph, 'topologicalSort', (ids, start, end) => {
    for (let q = start; q < end; q++) out.push(graph.nameAt(ids[q] as number));
  });
  return out;
}
