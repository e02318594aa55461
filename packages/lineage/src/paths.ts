/**
 * paths: how one table feeds another — the shortest path and the simple paths up to a bound.
 *
 * Behaviour: a reverse BFS from the target labels every table with its distance to the target;
 * the shortest path
 * follows strictly decreasing labels. Simple paths are enumerated by an iterative DFS (explicit
 * stack) that only steps to tables from which the target is still reachable within `maxLength`,
 * so dead branches cost nothing. Enumeration is exponential in the worst case (large strongly
 * connected groups), so every call is bounded three ways: `max` paths, `maxLength` hops and a
 * `budget` of edges examined over the whole call, each with a default. When a bound cuts the
 * work the result says `truncated` and which bounds did it. `from === to` gives the zero-length
 * path `[from]`. Cycles are safe (a path never repeats a node).
 *
 * Complexity: time O(budget); memory O(V) of reusable per-graph buffers plus the paths returned
 * (at most `max` × (`maxLength` + 1) names).
 *
 * [Reference]: R. Sedgewick, "Algorithms in C, Part 5", all simple paths by DFS with path marking.
 *
 * @module
 */
import { describeValue, LineageError } from './lineage-error';
import type { LineageGraph } from './lineage-graph';

/** Default of {@link PathsOptions.maxLength}. */
const DEFAULT_MAX_LENGTH = 20;
/** Default of {@link PathsOptions.budget}: about 5–10 ms of work. */
const DEFAULT_BUDGET = 1_000_000;

/**
 * Options of {@link paths}.
 *
 * @example
 * ```ts
 * import type { PathsOptions } from '@dataportal/lineage';
 * const opts: PathsOptions = { max: 10, maxLength: 6, budget: 50_000 };
 * ```
 */
export interface PathsOptions {
  /** Maximum number of simple paths to return. @defaultValue 100 */
  readonly max?: number;
  /** Maximum length in hops of a returned simple path. @defaultValue 20 */
  readonly maxLength?: number;
  /**
   * Maximum number of edges examined by the whole call (the work done); `Infinity` lifts it.
   * @defaultValue 1000000
   */
  readonly budget?: number;
}

/**
 * Which bound cut a {@link paths} call: `max` (more paths exist), `maxLength` (longer paths
 * exist) or `budget` (the work stopped before the search was done).
 *
 * @example
 * ```ts
 * import type { PathsBound } from '@dataportal/lineage';
 * const b: PathsBound = 'budget';
 * ```
 */
export type PathsBound = 'max' | 'maxLength' | 'budget';

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
  /**
   * A shortest path (fewest hops), also when it is longer than `maxLength`; null when `to` is
   * not reachable, or when the budget ran out before the search reached `from` (then
   * `truncatedBy` holds `budget`).
   */
  readonly shortest: ReadonlyArray<string> | null;
  /** Simple paths, in DFS order, at most `max` of them and none longer than `maxLength`. */
  readonly paths: ReadonlyArray<ReadonlyArray<string>>;
  /** True when `paths` holds every simple path from `from` to `to` (no bound cut it). */
  readonly complete: boolean;
  /** True when a bound cut the search (the opposite of `complete`). */
  readonly truncated: boolean;
  /** The bounds that cut the search, empty when complete. */
  readonly truncatedBy: ReadonlyArray<PathsBound>;
  /** Edges examined (never more than `budget`). */
  readonly expansions: number;
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
 * Finds the shortest path and the simple paths from `from` to `to`, within bounds.
 *
 * @param graph - the lineage graph (never mutated)
 * @param from - the upstream table
 * @param to - the downstream table
 * @param options - `max` paths, `maxLength` hops and a `budget` of edges examined
 * @returns shortest path, simple paths, whether the list is complete and which bound cut it
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
  const maxLength = bound(options.maxLength, DEFAULT_MAX_LENGTH, 'maxLength');
  const budget = bound(options.budget, DEFAULT_BUDGET, 'budget');
  const truncatedBy: PathsBound[] = [];
  const result = (
    shortest: string[] | null,
    found: string[][],
    expansions: number,
  ): PathsResult => ({
    from,
    to,
    shortest,
    paths: found,
    complete: truncatedBy.length === 0,
    truncated: truncatedBy.length > 0,
    truncatedBy,
    expansions,
  });
  if (s === t) {
    if (max === 0) truncatedBy.push('max');
    return result([from], max > 0 ? [[from]] : [], 0);
  }
  const ix = graph.index();
  // Reverse BFS from the target in the graph's reusable buffers: `label[u]` = hops from u to the
  // target for u with `stamp[u] === epoch` (linear in the part of the graph upstream of `to`).
  const { stamp, dist: label, parent, queue, epoch } = graph.visitBuffers();
  let expansions = 0;
  let head = 0;
  let tail = 0;
  stamp[t] = epoch;
  label[t] = 0;
  queue[tail++] = t;
  let out = false;
  while (head < tail) {
    const v = queue[head] as number;
    const dv = label[v] as number;
    const begin = ix.inOffsets[v] as number;
    const end = ix.inOffsets[v + 1] as number;
    if (expansions + (end - begin) > budget) {
      out = true;
      break;
    }
    head++;
    expansions += end - begin;
    for (let k = begin; k < end; k++) {
      const u = ix.inSources[k] as number;
      if (stamp[u] !== epoch) {
        stamp[u] = epoch;
        label[u] = dv + 1;
        parent[u] = v;
        queue[tail++] = u;
      }
    }
  }
  const reaches = (u: number): boolean => stamp[u] === epoch;
  if (!reaches(s)) {
    if (out) truncatedBy.push('budget');
    return result(null, [], expansions);
  }
  // With the budget spent in the BFS, labels are exact but tables behind the unexpanded ones are
  // unlabelled, so the DFS may miss paths through them.
  if (out) truncatedBy.push('budget');
  // Shortest path: the BFS parents lead from the source to the target.
  const shortest: string[] = [from];
  for (let cur = s; cur !== t; ) {
    cur = parent[cur] as number;
    shortest.push(graph.nameAt(cur));
  }
  // Simple paths by iterative DFS, stepping only to tables that reach the target in time. A
  // table on the current path has its label complemented (negative) until the DFS leaves it.
  const found: string[][] = [];
  const pathNodes: number[] = [s];
  const edgeCursor: number[] = [ix.outOffsets[s] as number];
  label[s] = ~(label[s] as number);
  let cutByLength = false;
  while (pathNodes.length > 0) {
    const depthIx = pathNodes.length - 1;
    const v = pathNodes[depthIx] as number;
    const k = edgeCursor[depthIx] as number;
    if (k >= (ix.outOffsets[v + 1] as number)) {
      pathNodes.pop();
      edgeCursor.pop();
      label[v] = ~(label[v] as number);
      continue;
    }
    if (expansions >= budget) {
      if (!truncatedBy.includes('budget')) truncatedBy.push('budget');
      break;
    }
    expansions++;
    edgeCursor[depthIx] = k + 1;
    const w = ix.outTargets[k] as number;
    if (!reaches(w)) continue;
    const lw = label[w] as number;
    if (lw < 0) continue; // on the current path
    if (pathNodes.length + lw > maxLength) {
      cutByLength = true;
      continue;
    }
    if (w === t) {
      if (found.length >= max) {
        truncatedBy.push('max');
        break;
      }
      found.push([...pathNodes, t].map((i) => graph.nameAt(i)));
      continue;
    }
    pathNodes.push(w);
    edgeCursor.push(ix.outOffsets[w] as number);
    label[w] = ~lw;
  }
  // Leave no complemented labels behind for a caller that reads the buffers (none today).
  for (const v of pathNodes) label[v] = ~(label[v] as number);
  if (cutByLength) truncatedBy.push('maxLength');
  return result(shortest, found, expansions);
}
