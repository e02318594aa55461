/**
 * wouldCreateCycle: an incremental check before writing edges — would adding these edges close a
 * cycle in the table graph?
 *
 * Behaviour: the new edges are overlaid on the graph without copying it. For each new edge
 * `s → t`, a BFS from `t` over the graph plus all new edges looks for `s`; the first hit gives the
 * cycle as a closed path `[s, t, …, s]`. A new self loop is a cycle. Only cycles that use at least
 * one new edge are reported: a cycle already in the graph is not (use {@link findCycle} for that).
 * New tables (not yet in the graph) are allowed in the edges.
 *
 * Complexity: O(k · (V + E)) for k new edges in the worst case; typically the reach of each
 * new target, which is small in a layered warehouse.
 *
 * [Reference]: graphology-dag `willCreateCycle`, generalised to a batch of edges.
 *
 * @module
 */
import { LineageError } from './lineage-error';
import type { LineageGraph } from './lineage-graph';

/**
 * An edge to test; only the endpoints matter.
 *
 * @example
 * ```ts
 * import type { EdgeEndpoints } from '@dataportal/lineage';
 * const e: EdgeEndpoints = { source: 'dws.a', target: 'dwd.b' };
 * ```
 */
export interface EdgeEndpoints {
  readonly source: string;
  readonly target: string;
}

/**
 * Finds the cycle that adding `edges` would close, as a closed path.
 *
 * @param graph - the lineage graph (never mutated)
 * @param edges - the edges that would be added
 * @returns the cycle (`['a', 'b', 'a']`) or null when the edges keep the graph free of new cycles
 * @throws {@link LineageError} with code INVALID_ARGUMENT when an edge is malformed
 * @example
 * ```ts
 * import { LineageGraph, findCreatedCycle } from '@dataportal/lineage';
 * const g = LineageGraph.fromEdges([{ source: 'a', target: 'b' }, { source: 'b', target: 'c' }]);
 * findCreatedCycle(g, [{ source: 'c', target: 'a' }]); // ['c', 'a', 'b', 'c']
 * ```
 */
export function findCreatedCycle(
  graph: LineageGraph,
  edges: ReadonlyArray<EdgeEndpoints>,
): string[] | null {
  if (!Array.isArray(edges)) {
    throw new LineageError('INVALID_ARGUMENT', 'lineage/wouldCreateCycle: edges must be an array', {
      details: { argument: 'edges' },
    });
  }
  const ix = graph.index();
  const n = ix.n;
  const extra = new Map<string, number>();
  const names: string[] = [];
  const idOf = (name: unknown): number => {
    if (typeof name !== 'string' || name.length === 0) {
      throw new LineageError(
        'INVALID_ARGUMENT',
        'lineage/wouldCreateCycle: edge source and target must be non-empty strings',
        { details: { argument: 'edges' } },
      );
    }
    const known = graph.idOf(name);
    if (known !== undefined) return known;
    let id = extra.get(name);
    if (id === undefined) {
      id = n + names.length;
      extra.set(name, id);
      names.push(name);
    }
    return id;
  };
  const overlay = new Map<number, number[]>();
  const pairs: Array<[number, number]> = [];
  for (const e of edges) {
    const s = idOf(e?.source);
    const t = idOf(e?.target);
    pairs.push([s, t]);
    const list = overlay.get(s);
    if (list === undefined) overlay.set(s, [t]);
    else list.push(t);
  }
  const nameOf = (i: number): string => (i < n ? graph.nameAt(i) : (names[i - n] as string));
  for (const [s, t] of pairs) {
    if (s === t) return [nameOf(s), nameOf(s)];
    const parent = new Map<number, number>([[t, -1]]);
    const queue: number[] = [t];
    for (let head = 0; head < queue.length; head++) {
      const v = queue[head] as number;
      const visit = (w: number): boolean => {
        if (parent.has(w)) return false;
        parent.set(w, v);
        queue.push(w);
        return w === s;
      };
      let hit = false;
      if (v < n) {
        for (
          let k = ix.outOffsets[v] as number;
          k < (ix.outOffsets[v + 1] as number) && !hit;
          k++
        ) {
          hit = visit(ix.outTargets[k] as number);
        }
      }
      const more = overlay.get(v);
      if (more !== undefined)
        for (let j = 0; j < more.length && !hit; j++) hit = visit(more[j] as number);
      if (hit) {
        const back: number[] = [];
        let cur = s;
        while (cur !== -1) {
          back.push(cur);
          cur = parent.get(cur) as number;
        }
        back.reverse();
        return [nameOf(s), ...back.map(nameOf)];
      }
    }
  }
  return null;
}

/**
 * Tells whether adding `edges` would close a cycle (see {@link findCreatedCycle} for the path).
 *
 * @param graph - the lineage graph (never mutated)
 * @param edges - the edges that would be added
 * @returns true when a new cycle would appear
 * @throws {@link LineageError} with code INVALID_ARGUMENT when an edge is malformed
 * @example
 * ```ts
 * import { LineageGraph, wouldCreateCycle } from '@dataportal/lineage';
 * const g = LineageGraph.fromEdges([{ source: 'ods.a', target: 'dwd.a' }]);
 * wouldCreateCycle(g, [{ source: 'dwd.a', target: 'ods.a' }]); // true
 * ```
 */
export function wouldCreateCycle(
  graph: LineageGraph,
  edges: ReadonlyArray<EdgeEndpoints>,
): boolean {
  return findCreatedCycle(graph, edges) !== null;
}
