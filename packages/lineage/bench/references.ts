/**
 * The two references the benchmark compares the lineage index against, on the same edges:
 *
 * - fair graphology: the best ordinary use of graphology for each query — a plain BFS over its
 *   neighbour iterators (`forEachOutNeighbor` / `forEachInNeighbor`) with a Map of distances,
 *   not `graphology-traversal`'s `bfsFromNode`, which allocates a queue the size of the whole
 *   graph on every call;
 * - CSR: a minimal compressed-sparse-row BFS over typed arrays with integer ids and reusable
 *   buffers, the physical limit of a JavaScript traversal (no names, no result objects).
 *
 * Every query returns the same checksum on every side (tables reached, sum of their distances),
 * which the benchmark prints and compares, so no side can skip work.
 */
import type Graph from 'graphology';
import type { LineageEdge, LineageNode } from '../src/index';

/** What a traversal reached: the number of tables and the sum of their hop distances. */
export interface Checksum {
  count: number;
  distanceSum: number;
}

/** Direction of a walk. */
export type Dir = 'out' | 'in';

/** Plain BFS over graphology's neighbour iterators, up to `depth` hops. */
export function graphologyBfs(g: Graph, root: string, depth: number, dir: Dir): Checksum {
  const dist = new Map<string, number>([[root, 0]]);
  const queue: string[] = [root];
  let count = 0;
  let distanceSum = 0;
  let d = 0;
  const visit = (w: string): void => {
    if (dist.has(w)) return;
    dist.set(w, d + 1);
    queue.push(w);
    count++;
    distanceSum += d + 1;
  };
  for (let h = 0; h < queue.length; h++) {
    const v = queue[h] as string;
    d = dist.get(v) as number;
    if (d >= depth) continue;
    if (dir === 'out') g.forEachOutNeighbor(v, visit);
    else g.forEachInNeighbor(v, visit);
  }
  return { count, distanceSum };
}

/** A minimal CSR graph with integer ids and reusable BFS buffers. */
export interface Csr {
  readonly n: number;
  readonly ids: Map<string, number>;
  readonly outOffsets: Int32Array;
  readonly outTargets: Int32Array;
  readonly inOffsets: Int32Array;
  readonly inSources: Int32Array;
  readonly stamp: Uint32Array;
  readonly dist: Int32Array;
  readonly queue: Int32Array;
  epoch: number;
}

/** Builds the CSR reference from the same nodes and edges (names interned once). */
export function buildCsr(
  nodes: ReadonlyArray<LineageNode>,
  edges: ReadonlyArray<LineageEdge>,
): Csr {
  const ids = new Map<string, number>();
  for (const node of nodes) if (!ids.has(node.id)) ids.set(node.id, ids.size);
  // Like the lineage index, keep each table pair once (duplicate edges differ only by task).
  const seen = new Set<number>();
  let src = new Int32Array(edges.length);
  let dst = new Int32Array(edges.length);
  let m = 0;
  for (let k = 0; k < edges.length; k++) {
    const e = edges[k] as LineageEdge;
    let s = ids.get(e.source);
    if (s === undefined) {
      s = ids.size;
      ids.set(e.source, s);
    }
    let t = ids.get(e.target);
    if (t === undefined) {
      t = ids.size;
      ids.set(e.target, t);
    }
    const key = s * 0x200000 + t;
    if (seen.has(key)) continue;
    seen.add(key);
    src[m] = s;
    dst[m] = t;
    m++;
  }
  src = src.subarray(0, m);
  dst = dst.subarray(0, m);
  const n = ids.size;
  const outOffsets = new Int32Array(n + 1);
  const inOffsets = new Int32Array(n + 1);
  for (let k = 0; k < m; k++) {
    const so = (src[k] as number) + 1;
    const di = (dst[k] as number) + 1;
    outOffsets[so] = (outOffsets[so] as number) + 1;
    inOffsets[di] = (inOffsets[di] as number) + 1;
  }
  for (let i = 0; i < n; i++) {
    outOffsets[i + 1] = (outOffsets[i + 1] as number) + (outOffsets[i] as number);
    inOffsets[i + 1] = (inOffsets[i + 1] as number) + (inOffsets[i] as number);
  }
  const outTargets = new Int32Array(m);
  const inSources = new Int32Array(m);
  const outFill = outOffsets.slice(0, n);
  const inFill = inOffsets.slice(0, n);
  for (let k = 0; k < m; k++) {
    const s = src[k] as number;
    const t = dst[k] as number;
    const o = outFill[s] as number;
    outTargets[o] = t;
    outFill[s] = o + 1;
    const r = inFill[t] as number;
    inSources[r] = s;
    inFill[t] = r + 1;
  }
  return {
    n,
    ids,
    outOffsets,
    outTargets,
    inOffsets,
    inSources,
    stamp: new Uint32Array(n),
    dist: new Int32Array(n),
    queue: new Int32Array(n),
    epoch: 0,
  };
}

/** BFS over the CSR reference from an integer id, up to `depth` hops. */
export function csrBfs(c: Csr, root: number, depth: number, dir: Dir): Checksum {
  const offsets = dir === 'out' ? c.outOffsets : c.inOffsets;
  const targets = dir === 'out' ? c.outTargets : c.inSources;
  const { stamp, dist, queue } = c;
  const epoch = ++c.epoch;
  stamp[root] = epoch;
  dist[root] = 0;
  queue[0] = root;
  let head = 0;
  let tail = 1;
  let distanceSum = 0;
  while (head < tail) {
    const v = queue[head++] as number;
    const dv = dist[v] as number;
    if (dv >= depth) continue;
    const end = offsets[v + 1] as number;
    for (let k = offsets[v] as number; k < end; k++) {
      const w = targets[k] as number;
      if (stamp[w] === epoch) continue;
      stamp[w] = epoch;
      dist[w] = dv + 1;
      distanceSum += dv + 1;
      queue[tail++] = w;
    }
  }
  return { count: tail - 1, distanceSum };
}

/** Kahn's topological sort over the CSR reference: the order, or null on a cycle. */
export function csrTopologicalOrder(c: Csr): Int32Array | null {
  const indeg = new Int32Array(c.n);
  for (let i = 0; i < c.n; i++) {
    indeg[i] = (c.inOffsets[i + 1] as number) - (c.inOffsets[i] as number);
  }
  const order = new Int32Array(c.n);
  let tail = 0;
  for (let i = 0; i < c.n; i++) if (indeg[i] === 0) order[tail++] = i;
  for (let head = 0; head < tail; head++) {
    const v = order[head] as number;
    for (let k = c.outOffsets[v] as number; k < (c.outOffsets[v + 1] as number); k++) {
      const w = c.outTargets[k] as number;
      const left = (indeg[w] as number) - 1;
      indeg[w] = left;
      if (left === 0) order[tail++] = w;
    }
  }
  return tail === c.n ? order : null;
}
