/**
 * topologicalGenerations: tables grouped into waves that can be built in parallel — generation 0
 * reads nothing, generation k reads only from earlier generations.
 *
 * Behaviour: Kahn's algorithm level by level over the typed-array index; a table's generation is
 * the length of the longest path into it. Deterministic for a given insertion order.
 * A cycle throws `LineageError('CYCLE_DETECTED')` with the cycle in `details.cycle`.
 *
 * Complexity: O(V + E) time, O(V) memory.
 *
 * [Reference]: graphology-dag `topologicalGenerations`; Kahn, CACM 1962.
 *
 * @module
 */
import { kahnLevels } from './internal/kahn';
import type { LineageGraph } from './lineage-graph';

/**
 * Visits each generation in order.
 *
 * @param graph - the lineage graph (never mutated)
 * @param visit - called with each generation (a new array) and its index
 * @throws {@link LineageError} with code CYCLE_DETECTED (carrying `details.cycle`) when the graph
 * has a cycle
 * @example
 * ```ts
 * import { LineageGraph, forEachTopologicalGeneration } from '@dataportal/lineage';
 * const g = LineageGraph.fromEdges([{ source: 'a', target: 'c' }, { source: 'b', target: 'c' }]);
 * forEachTopologicalGeneration(g, (gen, i) => console.log(i, gen)); // 0 ['a','b'], 1 ['c']
 * ```
 */
export function forEachTopologicalGeneration(
  graph: LineageGraph,
  visit: (generation: string[], index: number) => void,
): void {
  let i = 0;
  kahnLevels(graph, 'topologicalGenerations', (ids, start, end) => {
    const gen: string[] = new Array(end - start);
    for (let q = start; q < end; q++) gen[q - start] = graph.nameAt(ids[q] as number);
    visit(gen, i++);
  });
}

/**
 * Lists the generations.
 *
 * @param graph - the lineage graph (never mutated)
 * @returns generations, each a list of tables
 * @throws {@link LineageError} with code CYCLE_DETECTED (carrying `details.cycle`) when the graph
 * has a cycle
 * @example
 * ```ts
 * import { LineageGraph, topologicalGenerations } from '@dataportal/lineage';
 * topologicalGenerations(LineageGraph.fromEdges([{ source: 'a', target: 'b' }])); // [['a'], ['b']]
 * ```
 */
export function topologicalGenerations(graph: LineageGraph): string[][] {
  const out: string[][] = [];
  forEachTopologicalGeneration(graph, (gen) => out.push(gen));
  return out;
}
