import {
  checkLayerRules,
  downstream,
  impact,
  type LayerViolation,
  type LineageGraph,
  paths,
  stronglyConnectedComponents,
  subgraph,
  toDot,
  toMermaid,
  upstream,
} from '@dataportal/lineage';
import { LAYERS, type Layer } from '@dataportal/sdk';

// The lineage routes' queries over the portal's cached `@dataportal/lineage` graph
// (`PortalService.lineageGraph()`), shaped the way the REST contract answers.

/** A node of a lineage (sub)graph in the contract's shape. */
export interface GraphNode {
  /** Qualified table name. */
  readonly id: string;
  /** Layer, or null for tables only seen on edges. */
  readonly layer: Layer | null;
}

/** A lineage (sub)graph in the contract's shape. */
export interface Graph {
  /** Tables, sorted by name. */
  readonly nodes: GraphNode[];
  /** Edges between them (one per table pair). */
  readonly edges: { readonly source: string; readonly target: string }[];
}

/** Which way to walk from a table. */
export type Direction = 'upstream' | 'downstream' | 'both';

function contractShape(graph: LineageGraph): Graph {
  // In the order data flows (ODS, DWD, DIM, DWS, ADS, then tables without a layer), by name
  // within a layer: the design's answer lists ods_user before dwd_user.
  const rank = (layer: Layer | null) => (layer === null ? LAYERS.length : LAYERS.indexOf(layer));
  const nodes = graph
    .nodes()
    .map((id) => ({ id, layer: (graph.node(id)?.layer as Layer | undefined) ?? null }))
    .sort((a, b) => rank(a.layer) - rank(b.layer) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const seen = new Set<string>();
  const edges: { source: string; target: string }[] = [];
  for (const e of graph.edges()) {
    const key = `${e.source}\u0000${e.target}`;
    if (seen.has(key)) continue;
    seen.add(key);
    edges.push({ source: e.source, target: e.target });
  }
  return { nodes, edges };
}

/**
 * The whole graph, or the neighbourhood of one table (upstream, downstream or both, up to a
 * depth).
 *
 * @param graph - the lineage graph
 * @param query - centre table, direction and depth (all optional)
 * @returns the (sub)graph in the contract's shape and as a graph (for Mermaid/DOT)
 * @throws `LineageError` NODE_NOT_FOUND when the table is not in the graph
 * @example
 * ```ts
 * lineageGraph(graph, { table: 'dwd.orders', direction: 'upstream', depth: 2 }).json;
 * ```
 */
export function lineageGraph(
  graph: LineageGraph,
  query: { readonly table?: string; readonly direction?: Direction; readonly depth?: number } = {},
): { json: Graph; graph: LineageGraph } {
  if (query.table === undefined) return { json: contractShape(graph), graph };
  const table = query.table.toLowerCase();
  const dir = query.direction ?? 'both';
  const opts = query.depth === undefined ? {} : { depth: query.depth };
  const keep = new Set<string>([table]);
  if (dir !== 'downstream') for (const n of upstream(graph, table, opts).nodes) keep.add(n.id);
  if (dir !== 'upstream') for (const n of downstream(graph, table, opts).nodes) keep.add(n.id);
  const sub = subgraph(graph, keep);
  return { json: contractShape(sub), graph: sub };
}

/** What a change to a table affects downstream. */
export interface Impact {
  /** The table changed. */
  readonly table: string;
  /** Downstream tables with their hop count. */
  readonly tables: { readonly id: string; readonly layer: Layer | null; readonly depth: number }[];
  /** Tasks that write the affected tables. */
  readonly tasks: { readonly id: number; readonly name: string; readonly owner: string | null }[];
  /** Owners of the affected tables. */
  readonly owners: string[];
  /** Whether the depth or size limits cut the walk. */
  readonly truncated: boolean;
}

/**
 * Impact analysis: every table downstream of `table`, the tasks that write them and the owners
 * to notify.
 *
 * @param graph - the lineage graph
 * @param query - table and optional depth
 * @param tasksByName - the tasks with these names, read in one batch or from the cached index
 *   (missing ones left out), so an answer costs a constant number of queries however many
 *   tasks it names
 * @returns the impact
 * @throws `LineageError` NODE_NOT_FOUND when the table is not in the graph
 * @example
 * ```ts
 * const tasks = await portal.lineageTasks();
 * await impactOf(graph, { table: 'ods.orders' }, async (names) => names.flatMap((n) => tasks.get(n) ?? []));
 * ```
 */
export async function impactOf(
  graph: LineageGraph,
  query: { readonly table: string; readonly depth?: number },
  tasksByName: (names: readonly string[]) => Promise<
    readonly {
      readonly id: number;
      readonly name: string;
      readonly owner: string | null;
    }[]
  >,
): Promise<Impact> {
  const table = query.table.toLowerCase();
  const r = impact(graph, table, query.depth === undefined ? {} : { depth: query.depth });
  const found = r.tasks.length === 0 ? [] : await tasksByName(r.tasks.map((t) => t.task));
  return {
    table,
    tables: r.tables.map((t) => ({
      id: t.id,
      layer: (t.layer as Layer | undefined) ?? null,
      depth: t.distance,
    })),
    tasks: found
      .map((t) => ({ id: t.id, name: t.name, owner: t.owner }))
      .sort((a, b) => a.id - b.id),
    owners: r.owners.map((o) => o.owner).sort(),
    truncated: r.truncated || r.depthLimited,
  };
}

/**
 * Edges a path request may examine: a whole 100k-table / 300k-edge warehouse fits, a request
 * can still not pin the event loop (about 5 ms of work).
 */
const PATH_BUDGET = 500_000;

/**
 * A shortest path from one table to another along the data flow.
 *
 * @param graph - the lineage graph
 * @param query - from, to, optional maximum length
 * @returns the tables on the path (both ends included), or null when none
 * @throws `LineageError` NODE_NOT_FOUND when either table is not in the graph
 * @example
 * ```ts
 * pathBetween(graph, { from: 'ods.orders', to: 'ads.sales_dashboard' });
 * ```
 */
export function pathBetween(
  graph: LineageGraph,
  query: { readonly from: string; readonly to: string; readonly maxDepth?: number },
): string[] | null {
  const r = paths(graph, query.from.toLowerCase(), query.to.toLowerCase(), {
    max: 1,
    budget: PATH_BUDGET,
    ...(query.maxDepth !== undefined && { maxLength: query.maxDepth }),
  });
  return r.shortest ? [...r.shortest] : null;
}

/**
 * Layer-rule violations (data flows ODS → DWD → DIM/DWS → ADS; ODS must not feed ADS
 * directly) and table cycles.
 *
 * @param graph - the lineage graph
 * @returns violations and cycles (strongly connected groups of tables)
 * @example
 * ```ts
 * layerViolations(graph).violations.length; // 0 on a clean warehouse
 * ```
 */
export function layerViolations(graph: LineageGraph): {
  violations: readonly LayerViolation[];
  cycles: string[][];
} {
  return {
    violations: checkLayerRules(graph).violations,
    cycles: stronglyConnectedComponents(graph).filter((c) => c.length > 1),
  };
}

/**
 * Renders a graph as a Mermaid flowchart, tables grouped by layer.
 *
 * @param graph - the graph
 * @returns Mermaid source
 * @example
 * ```ts
 * mermaidOf(lineageGraph(graph).graph); // 'flowchart LR\n…'
 * ```
 */
export function mermaidOf(graph: LineageGraph): string {
  return toMermaid(graph, { groupByLayer: true });
}

/**
 * Renders a graph as Graphviz DOT, tables clustered by layer.
 *
 * @param graph - the graph
 * @returns DOT source
 * @example
 * ```ts
 * dotOf(lineageGraph(graph).graph); // 'digraph "lineage" {…'
 * ```
 */
export function dotOf(graph: LineageGraph): string {
  return toDot(graph, { clusterByLayer: true });
}
