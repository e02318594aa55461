import type { LineageGraph } from '../lineage-graph';
import { tarjan } from './scc';

/**
 * A shortest cycle through `v` as a closed path of ids (`[v, …, v]`), searching only inside
 * `v`'s strongly connected component; null when `v` is on no cycle.
 */
export function cycleThrough(graph: LineageGraph, v: number): number[] | null {
  const ix = graph.index();
  const scc = graph.cached('scc', () => tarjan(ix));
  if (scc.onCycle[v] !== 1) return null;
  const comp = scc.component[v];
  const parent = new Map<number, number>();
  const queue: number[] = [v];
  for (let head = 0; head < queue.length; head++) {
    const u = queue[head] as number;
    for (let k = ix.outOffsets[u] as number; k < (ix.outOffsets[u + 1] as number); k++) {
      const w = ix.outTargets[k] as number;
      if (w === v) {
        const path: number[] = [v];
        let cur = u;
        const back: number[] = [];
        while (cur !== v) {
          back.push(cur);
          cur = parent.get(cur) as number;
        }
        for (let i = back.length - 1; i >= 0; i--) path.push(back[i] as number);
        path.push(v);
        return path;
      }
      if (scc.component[w] !== comp || parent.has(w)) continue;
      parent.set(w, u);
      queue.push(w);
    }
  }
  return null;
}

/** The first cycle of the graph (by node id order) as a closed path of names, or null. */
export function firstCycle(graph: LineageGraph): string[] | null {
  const ix = graph.index();
  const scc = graph.cached('scc', () => tarjan(ix));
  if (!scc.hasCycle) return null;
  for (let v = 0; v < ix.n; v++) {
    if (scc.onCycle[v] !== 1) continue;
    const c = cycleThrough(graph, v);
    if (c !== null) return c.map((i) => graph.nameAt(i));
  }
  return null;
}
