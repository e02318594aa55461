/**
 * findCycle: one cycle of the lineage graph as a path, or null when the graph is a DAG.
 *
 * Behaviour: strongly connected components (iterative Tarjan, cached until the graph changes)
 * tell whether any cycle exists; the cycle returned is a shortest cycle through the first node
 * (in insertion order) that lies on one, found by a BFS inside its component. A self loop is
 * returned as `['a', 'a']`. Works on disconnected graphs.
 *
 * Complexity: O(V + E).
 *
 * [Reference]: R. Tarjan, "Depth-first search and linear graph algorithms", SIAM J. Comput. 1972.
 *
 * @module
 */
import { cycleThrough, firstCycle } from './internal/cycle-through';
import type { LineageGraph } from './lineage-graph';

/**
 * Finds a cycle, as a closed path whose first and last element are the same table.
 *
 * @param graph - the lineage graph (never mutated)
 * @param through - only look for a cycle through this table
 * @returns the cycle (`['a', 'b', 'a']`) or null when there is none
 * @throws {@link LineageError} with code NODE_NOT_FOUND when `through` is absent
 * @example
 * ```ts
 * import { LineageGraph, findCycle } from '@dataportal/lineage';
 * const g = LineageGraph.fromEdges([
 *   { source: 'a', target: 'b' },
 *   { source: 'b', target: 'c' },
 *   { source: 'c', target: 'a' },
 * ]);
 * findCycle(g); // ['a', 'b', 'c', 'a']
 * ```
 */
export function findCycle(graph: LineageGraph, through?: string): string[] | null {
  if (through === undefined) return firstCycle(graph);
  const v = graph.requireId(through, 'findCycle');
  const c = cycleThrough(graph, v);
  return c === null ? null : c.map((i) => graph.nameAt(i));
}

/**
 * Tells whether the graph has a cycle (a self loop counts).
 *
 * @param graph - the lineage graph
 * @returns true when at least one cycle exists
 * @example
 * ```ts
 * import { LineageGraph, hasCycle } from '@dataportal/lineage';
 * hasCycle(LineageGraph.fromEdges([{ source: 'a', target: 'a' }])); // true
 * ```
 */
export function hasCycle(graph: LineageGraph): boolean {
  return firstCycle(graph) !== null;
}
