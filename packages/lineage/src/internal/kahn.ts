import { LineageError } from '../lineage-error';
import type { LineageGraph } from '../lineage-graph';
import { firstCycle } from './cycle-through';

/**
 * Kahn's algorithm over the CSR index, level by level. Calls `onLevel(ids, count)` for each
 * generation (ids in a reused buffer, valid only during the call). Throws CYCLE_DETECTED with the
 * cycle when some nodes are never freed.
 */
export function kahnLevels(
  graph: LineageGraph,
  operation: string,
  onLevel: (ids: Int32Array, start: number, end: number) => void,
): void {
  const ix = graph.index();
  const { n, alive, outOffsets, outTargets, inOffsets } = ix;
  const indeg = new Int32Array(n);
  const order = new Int32Array(n);
  let tail = 0;
  let total = 0;
  for (let v = 0; v < n; v++) {
    if (alive[v] !== 1) continue;
    total++;
    const d = (inOffsets[v + 1] as number) - (inOffsets[v] as number);
    indeg[v] = d;
    if (d === 0) order[tail++] = v;
  }
  let start = 0;
  while (start < tail) {
    const end = tail;
    onLevel(order, start, end);
    for (let q = start; q < end; q++) {
      const v = order[q] as number;
      for (let k = outOffsets[v] as number; k < (outOffsets[v + 1] as number); k++) {
        const w = outTargets[k] as number;
        const d = (indeg[w] as number) - 1;
        indeg[w] = d;
        if (d === 0) order[tail++] = w;
      }
    }
    start = end;
  }
  if (tail < total) {
    const cycle = firstCycle(graph) ?? [];
    throw new LineageError(
      'CYCLE_DETECTED',
      `lineage/${operation}: the graph has a cycle: ${cycle.join(' -> ')}`,
      { details: { cycle } },
    );
  }
}
