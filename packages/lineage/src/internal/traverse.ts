import { describeValue, LineageError } from '../lineage-error';
import type { LineageGraph } from '../lineage-graph';
import type {
  TraversalNode,
  TraversalOptions,
  TraversalResult,
  TruncationReason,
} from '../traversal-result';
import { tarjan } from './scc';

/** Options shared by {@link upstream}, {@link downstream} and {@link impact}. */
export interface TraverseOptions {
  readonly depth?: number;
  readonly maxNodes?: number;
  readonly perHopLimit?: number;
  readonly layers?: ReadonlyArray<string>;
  readonly budget?: number;
}

/**
 * Raw traversal output over integer ids. The arrays are views of the graph's reusable buffers:
 * read them before the next query on the same graph.
 */
export interface RawTraversal {
  readonly root: number;
  /** Reported ids in BFS order (caps and layer filter applied). */
  readonly ids: Int32Array;
  /** Distance by id: `dist[id]` for every visited id. */
  readonly dist: Int32Array;
  /** Every visited id (reported or passed through), BFS order, root first. */
  readonly visited: Int32Array;
  readonly truncated: boolean;
  readonly truncatedBy: TruncationReason[];
  /** Edges examined. */
  readonly expansions: number;
  readonly depthLimited: boolean;
  readonly maxDistance: number;
  readonly cycleDetected: boolean;
}

/** @internal Validates a count option: an integer >= `min`, or Infinity; undefined → Infinity. */
export function checkLimit(
  value: number | undefined,
  name: string,
  operation: string,
  min: number,
): number {
  if (value === undefined) return Number.POSITIVE_INFINITY;
  if (
    typeof value !== 'number' ||
    Number.isNaN(value) ||
    value < min ||
    (Number.isFinite(value) && !Number.isInteger(value))
  ) {
    throw new LineageError(
      'INVALID_ARGUMENT',
      `lineage/${operation}: ${name} must be an integer >= ${min} or Infinity, got ${describeValue(value)}`,
      { details: { argument: name } },
    );
  }
  return value;
}

/** Whether any of the given ids lies on a cycle (SCC labels, computed once per graph version). */
export function anyOnCycle(graph: LineageGraph, ids: ArrayLike<number>): boolean {
  const scc = graph.cached('scc', () => tarjan(graph.index()));
  if (!scc.hasCycle) return false;
  for (let k = 0; k < ids.length; k++) if (scc.onCycle[ids[k] as number] === 1) return true;
  return false;
}

/**
 * Breadth-first traversal from one node in one direction with exact depth semantics: a node
 * at distance d is reported iff d <= depth; depth 0 reports nothing.
 *
 * Every reached node is walked through, so reported distances are true shortest hop counts;
 * `perHopLimit`, `maxNodes` and `layers` only decide what is reported. The work is bounded by
 * `budget` (edges examined) and `depth`.
 */
export function traverse(
  graph: LineageGraph,
  node: string,
  direction: 'upstream' | 'downstream',
  options: TraverseOptions,
  operation: string,
): RawTraversal {
  const root = graph.requireId(node, operation);
  const depth = checkLimit(options.depth, 'depth', operation, 0);
  const maxNodes = checkLimit(options.maxNodes, 'maxNodes', operation, 0);
  const perHop = checkLimit(options.perHopLimit, 'perHopLimit', operation, 1);
  const budget = checkLimit(options.budget, 'budget', operation, 0);
  let layerSet: Set<string> | undefined;
  if (options.layers !== undefined) {
    if (!Array.isArray(options.layers)) {
      throw new LineageError('INVALID_ARGUMENT', `lineage/${operation}: layers must be an array`, {
        details: { argument: 'layers' },
      });
    }
    layerSet = new Set(options.layers);
  }
  const ix = graph.index();
  const offsets = direction === 'downstream' ? ix.outOffsets : ix.inOffsets;
  const targets = direction === 'downstream' ? ix.outTargets : ix.inSources;
  const { stamp, dist, parent: reported, queue, epoch } = graph.visitBuffers();

  let count = 0;
  const truncatedBy: TruncationReason[] = [];
  let depthLimited = false;
  let maxDistance = 0;
  stamp[root] = epoch;
  dist[root] = 0;
  let head = 0;
  let tail = 0;
  queue[tail++] = root;
  let levelDistance = 0;
  let levelCount = 0;
  let expansions = 0;
  let stopped = false;
  outer: while (head < tail) {
    const v = queue[head++] as number;
    const dv = dist[v] as number;
    const begin = offsets[v] as number;
    const end = offsets[v + 1] as number;
    if (dv >= depth) {
      if (!depthLimited) {
        for (let k = begin; k < end; k++) {
          if (stamp[targets[k] as number] !== epoch) {
            depthLimited = true;
            break;
          }
        }
      }
      continue;
    }
    if (expansions + (end - begin) > budget) {
      truncatedBy.push('budget');
      stopped = true;
      break;
    }
    expansions += end - begin;
    const dw = dv + 1;
    for (let k = begin; k < end; k++) {
      const w = targets[k] as number;
      if (stamp[w] === epoch) continue;
      stamp[w] = epoch;
      dist[w] = dw;
      queue[tail++] = w;
      if (layerSet !== undefined && !layerSet.has(graph.layerAt(w) as string)) continue;
      if (dw !== levelDistance) {
        levelDistance = dw;
        levelCount = 0;
      }
      if (levelCount >= perHop) {
        if (!truncatedBy.includes('perHopLimit')) truncatedBy.push('perHopLimit');
        continue;
      }
      if (count >= maxNodes) {
        truncatedBy.push('maxNodes');
        stopped = true;
        break outer;
      }
      levelCount++;
      reported[count++] = w;
      maxDistance = dw;
    }
  }
  const visited = queue.subarray(0, tail);
  return {
    root,
    ids: reported.subarray(0, count),
    dist,
    visited,
    truncated: truncatedBy.length > 0,
    truncatedBy,
    expansions,
    depthLimited: depthLimited && !stopped,
    maxDistance,
    cycleDetected: anyOnCycle(graph, visited),
  };
}

/**
 * Walks one direction from `node` and names the visited tables: the shared body of
 * `upstream` and `downstream`.
 *
 * @internal
 */
export function walk(
  graph: LineageGraph,
  node: string,
  direction: 'upstream' | 'downstream',
  options: TraversalOptions,
): TraversalResult {
  const raw = traverse(graph, node, direction, options, direction);
  const ids = raw.ids;
  const dist = raw.dist;
  const nodes: TraversalNode[] = new Array(ids.length);
  for (let k = 0; k < ids.length; k++) {
    const i = ids[k] as number;
    const layer = graph.layerAt(i);
    nodes[k] =
      layer === undefined
        ? { id: graph.nameAt(i), distance: dist[i] as number }
        : { id: graph.nameAt(i), distance: dist[i] as number, layer };
  }
  return {
    root: node,
    direction,
    nodes,
    truncated: raw.truncated,
    truncatedBy: raw.truncatedBy,
    expansions: raw.expansions,
    depthLimited: raw.depthLimited,
    maxDistance: raw.maxDistance,
    cycleDetected: raw.cycleDetected,
  };
}
