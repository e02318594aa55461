/**
 * subgraph: the part of the graph induced by a set of tables — those tables, their attributes,
 * and every edge (with tasks, provenance and columns) whose both ends are in the set.
 *
 * Behaviour: returns a new {@link LineageGraph}; the input is never mutated. Unknown names in
 * the set are ignored. Combine with {@link downstream} / {@link upstream} to cut out a
 * neighbourhood.
 *
 * Complexity: O(V + E) over the selected tables' outgoing edges.
 *
 * [Reference]: induced subgraph, https://en.wikipedia.org/wiki/Induced_subgraph
 *
 * @module
 */
import { LineageError } from './lineage-error';
import { LineageGraph, type LineageNode } from './lineage-graph';

/**
 * Extracts the subgraph induced by some tables.
 *
 * @param graph - the lineage graph (never mutated)
 * @param select - the tables to keep, or a predicate over nodes
 * @returns a new graph
 * @throws {@link LineageError} with code INVALID_ARGUMENT when `select` is neither
 * @example
 * ```ts
 * import { LineageGraph, downstream, subgraph } from '@dataportal/lineage';
 * const g = LineageGraph.fromEdges([{ source: 'a', target: 'b' }, { source: 'b', target: 'c' }]);
 * const near = downstream(g, 'a', { depth: 1 }).nodes.map((n) => n.id);
 * subgraph(g, ['a', ...near]).edges(); // [{ source: 'a', target: 'b' }]
 * const dwd = subgraph(g, (n) => n.layer === 'DWD');
 * ```
 */
export function subgraph(
  graph: LineageGraph,
  select: Iterable<string> | ((node: LineageNode) => boolean),
): LineageGraph {
  const ix = graph.index();
  const keep = new Uint8Array(ix.n);
  if (typeof select === 'function') {
    for (let i = 0; i < ix.n; i++) if (ix.alive[i] === 1 && select(graph.nodeAt(i))) keep[i] = 1;
  } else if (select !== null && typeof select === 'object' && Symbol.iterator in select) {
    for (const name of select) {
      const i = graph.idOf(name);
      if (i !== undefined) keep[i] = 1;
    }
  } else {
    throw new LineageError(
      'INVALID_ARGUMENT',
      'lineage/subgraph: select must be an iterable of table names or a predicate',
      { details: { argument: 'select' } },
    );
  }
  const out = new LineageGraph();
  for (let i = 0; i < ix.n; i++) if (keep[i] === 1) out.addNode(graph.nameAt(i), graph.nodeAt(i));
  for (let s = 0; s < ix.n; s++) {
    if (keep[s] !== 1) continue;
    for (let k = ix.outOffsets[s] as number; k < (ix.outOffsets[s + 1] as number); k++) {
      const t = ix.outTargets[k] as number;
      if (keep[t] === 1) out.addEdges(graph.edgesBetween(graph.nameAt(s), graph.nameAt(t)));
    }
  }
  return out;
}
