/**
 * Which bound left out nodes of a traversal: `maxNodes` (total), `perHopLimit` (per distance) or
 * `budget` (edges examined; the walk stopped early).
 *
 * @example
 * ```ts
 * import type { TruncationReason } from '@dataportal/lineage';
 * const why: TruncationReason = 'budget';
 * ```
 */
export type TruncationReason = 'maxNodes' | 'perHopLimit' | 'budget';

/**
 * Options of {@link upstream} and {@link downstream}.
 *
 * @example
 * ```ts
 * import type { TraversalOptions } from '@dataportal/lineage';
 * const opts: TraversalOptions = { depth: 3, maxNodes: 500, perHopLimit: 100, layers: ['DWS', 'ADS'] };
 * ```
 */
export interface TraversalOptions {
  /**
   * Maximum distance in hops. A node at distance d is returned iff d <= depth; `1` returns
   * direct neighbours only and `0` returns nothing.
   * @defaultValue Infinity
   */
  readonly depth?: number;
  /**
   * Maximum number of nodes returned; when more would qualify the traversal stops and the
   * result says `truncated` with `truncatedBy: ['maxNodes']`.
   * @defaultValue Infinity
   */
  readonly maxNodes?: number;
  /**
   * Maximum number of nodes returned at each distance (fan-out cap per hop, in breadth-first
   * order); nodes over the cap are left out of the result, and the result says
   * `truncatedBy: ['perHopLimit']`. The walk still passes through them (like `layers`), so every
   * returned distance is the true shortest hop count; the work is bounded by `budget` and
   * `depth`, not by this cap.
   * @defaultValue Infinity
   */
  readonly perHopLimit?: number;
  /**
   * Maximum number of edges examined (the work done). When the walk would go over it, it stops
   * and the result says `truncatedBy: ['budget']`; the nodes returned so far keep their true
   * distances. A walk without a budget is still linear in the size of the part it visits.
   * @defaultValue Infinity
   */
  readonly budget?: number;
  /**
   * Only nodes of these layers are returned. The traversal still passes through other layers,
   * so distances stay the true hop counts.
   */
  readonly layers?: ReadonlyArray<string>;
}

/**
 * A node reached by a traversal.
 *
 * @example
 * ```ts
 * import type { TraversalNode } from '@dataportal/lineage';
 * const n: TraversalNode = { id: 'dws.sales', distance: 2, layer: 'DWS' };
 * ```
 */
export interface TraversalNode {
  /** Table name. */
  readonly id: string;
  /** Hops from the start node (1 = direct neighbour). */
  readonly distance: number;
  /** Layer, when the node has one. */
  readonly layer?: string;
}

/**
 * The self-describing result of {@link upstream} and {@link downstream}.
 *
 * @example
 * ```ts
 * import { LineageGraph, downstream, type TraversalResult } from '@dataportal/lineage';
 * const r: TraversalResult = downstream(LineageGraph.fromEdges([{ source: 'a', target: 'b' }]), 'a');
 * r.truncated; // false
 * ```
 */
export interface TraversalResult {
  /** The start node. */
  readonly root: string;
  /** Direction walked. */
  readonly direction: 'upstream' | 'downstream';
  /** Reached nodes (start node excluded) in breadth-first order, so by ascending distance. */
  readonly nodes: ReadonlyArray<TraversalNode>;
  /** True when `maxNodes`, `perHopLimit` or `budget` left out nodes that are within `depth`. */
  readonly truncated: boolean;
  /** Which caps caused truncation. */
  readonly truncatedBy: ReadonlyArray<TruncationReason>;
  /** Edges examined by the walk (never more than `budget`). */
  readonly expansions: number;
  /** True when nodes exist beyond `depth` (the depth bound cut the walk). */
  readonly depthLimited: boolean;
  /** Largest distance among returned nodes (0 when none). */
  readonly maxDistance: number;
  /** True when the start node or a visited node lies on a cycle of the graph. */
  readonly cycleDetected: boolean;
}
