/**
 * paths: how one table feeds another — the shortest path and all simple paths up to a bound.
 *
 * Behaviour: the shortest path comes from a BFS with parent pointers. Simple paths are enumerated
 * by an iterative DFS (explicit stack) restricted to tables that can reach the target (computed
 * first by a reverse BFS), so dead branches cost nothing. Enumeration stops after `max` paths or
 * when a path would exceed `maxLength` hops; `complete` says whether every simple path was found.
 * `from === to` gives the zero-length path `[from]`. Cycles are safe (a path never repeats a node).
 *
 * Complexity: BFS O(V + E); enumeration is output-sensitive (bounded by `max`).
 *
 * [Reference]: R. Sedgewick, "Algorithms in C, Part 5", all simple paths by DFS with path marking.
 *
 * @module
 */
import { describeValue, LineageError } from './lineage-error';
import type { LineageGraph } from './lineage-graph';

/**
 * Options of {@link paths}.
 *
 * @example
 * ```ts
 * import type { PathsOptions } from '@dataportal/lineage';
 * const opts: PathsOptions = { max: 10, maxLength: 6 };
 * ```
 */
export interface PathsOptions {
  /** Maximum number of simple paths to return. @defaultValue 100 */
  readonly max?: number;
  /** Maximum path length in hops. @defaultValue Infinity */
  readonly maxLength?: number;
}

/**
 * The result of {@link paths}.
 *
 * @example
 * ```ts
 * import { LineageGraph, paths, type PathsResult } from '@dataportal/lineage';
 * const r: PathsResult = paths(LineageGraph.fromEdges([{ source: 'a', target: 'b' }]), 'a', 'b');
 * r.shortest; // ['a', 'b']
 * ```
 */
export interface PathsResult {
  readonly from: string;
  readonly to: string;
  /** A shortest path (fewest hops), or null when `to` is not reachable. */
  readonly shortest: ReadonlyArray<string> | null;
  /** Simple paths, in DFS order, at most `max` of them and none longer than `maxLength`. */
  readonly paths: ReadonlyArray<ReadonlyArray<string>>;
  /** True when `paths` holds every simple path from `from` to `to` (no bound cut it). */
  readonly complete: boolean;
}

function bound(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== 'number' ||
    Number.isNaN(value) ||
    value < 0 ||
    (Number.isFinite(value) && !Number.isInteger(value))
  ) {
    throw new LineageError(
      'INVALID_ARGUMENT',
      `lineage/paths: ${name} must be a non-negative integer or Infinity, got ${describeValue(value)}`,
      { details: { argument: name } },
    );
  }
  return value;
}

/**
 * Finds the shortest path and the simple paths from `from` to `to`.
 *
 * @param graph - the lineage graph (never mutated)
 * @param from - the upstream table
 * @param to - the downstream table
 * @param options - `max` paths and `maxLength` hops
 * @returns shortest path, simple paths and whether the list is complete
 * @throws {@link LineageError} with code NODE_NOT_FOUND when a table is absent, INVALID_ARGUMENT
 * when an option is malformed
 * @example
 * ```ts
 * import { LineageGraph, paths } from '@dataportal/lineage';
 * const g = LineageGraph.fromEdges([
 *   { source: 'ods.o', target: 'dwd.o' },
 *   { source: 'dwd.o', target: 'ads.r' },
 *   { source: 'ods.o', target: 'ads.r' },
 * ]);
 * paths(g, 'ods.o', 'ads.r').paths; // [['ods.o', 'dwd.o', 'ads.r'], ['ods.o', 'ads.r']]
 * ```
 */
export function paths(
  graph: LineageGraph,
  from: string,
  to: string,
  options: PathsOptions = {},
): PathsResult {
  const s = graph.requireId(from, 'paths');
  const t = graph.requireId(to, 'paths');
  const max = bound(options.max, 100, 'max');
  const maxLength = bound(options.maxLength, Number.POSITIVE_INFINITY, 'maxLength');
  if (s === t) {
    return { from, to, shortest: [from], paths: max > 0 ? [[from]] : [], complete: max > 0 };
  }
  const ix = graph.index();
  const n = ix.n;
  // Reverse BFS from the target: which nodes can reach it, and how far they are.
  const toTarget = new Int32Array(n).fill(-1);
  const queue = new Int32Array(n);
  let head = 0;
  let tail = 0;
  toTarget[t] = 0;
  queue[tail++] = t;
  while (head < tail) {
    const v = queue[head++] as number;
    for (let k = ix.inOffsets[v] as number; k < (ix.inOffsets[v + 1] as number); k++) {
      const u = ix.inSources[k] as number;
      if (toTarget[u] === -1) {
        toTarget[u] = (toTarget[v] as number) + 1;
        queue[tail++] = u;
      }
    }
  }
  if (toTarget[s] === -1) return { from, to, shortest: null, paths: [], complete: true };
  // Shortest path: follow strictly decreasing distance-to-target.
  const shortest: string[] = [from];
  let cur = s;
  while (cur !== t) {
    let next = -1;
    for (let k = ix.outOffsets[cur] as number; k < (ix.outOffsets[cur + 1] as number); k++) {
      const w = ix.outTargets[k] as number;
      if (toTarget[w] === (toTarget[cur] as number) - 1) {
        next = w;
        break;
      }
    }
    cur = next;
    shortest.push(graph.nameAt(cur));
  }
  // All simple paths by iterative DFS, pruned to nodes that can reach the target.
  const found: string[][] = [];
  let complete = true;
  const onPath = new Uint8Array(n);
  const pathNodes: number[] = [s];
  const edgeCursor: number[] = [ix.outOffsets[s] as number];
  onPath[s] = 1;
  while (pathNodes.length > 0) {
    const depthIx = pathNodes.length - 1;
    const v = pathNodes[depthIx] as number;
    const k = edgeCursor[depthIx] as number;
    if (k >= (ix.outOffsets[v + 1] as number)) {
      pathNodes.pop();
      edgeCursor.pop();
      onPath[v] = 0;
      continue;
    }
    edgeCursor[depthIx] = k + 1;
    const w = ix.outTargets[k] as number;
    if (onPath[w] === 1 || toTarget[w] === -1) continue;
    const hops = pathNodes.length;
    if (hops + (toTarget[w] as number) > maxLength) {
      complete = false;
      continue;
    }
    if (w === t) {
      if (found.length >= max) {
        complete = false;
        break;
      }
      found.push([...pathNodes, t].map((i) => graph.nameAt(i)));
      continue;
    }
    pathNodes.push(w);
    edgeCursor.push(ix.outOffsets[w] as number);
    onPath[w] = 1;
  }
  return { from, to, shortest, paths: found, complete };
}
