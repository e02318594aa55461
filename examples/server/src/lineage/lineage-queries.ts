import { LAYERS, type Layer, type LineageSnapshot } from '@dataportal/sdk';

// Lineage queries over the portal's snapshot. Iterative walks only (no recursion), nothing
// mutated; the lineage routes go through these functions so the algorithms live in one place.

/** A node of a lineage (sub)graph. */
export interface GraphNode {
  /** Qualified table name. */
  readonly id: string;
  /** Layer, or null for tables only seen on edges. */
  readonly layer: Layer | null;
}

/** A lineage (sub)graph in the contract's shape. */
export interface Graph {
  /** Tables. */
  readonly nodes: GraphNode[];
  /** Edges between them (one per table pair). */
  readonly edges: { readonly source: string; readonly target: string }[];
}

/** Which way to walk from a table. */
export type Direction = 'upstream' | 'downstream' | 'both';

interface Adjacency {
  readonly layers: Map<string, Layer | null>;
  readonly out: Map<string, Set<string>>;
  readonly in: Map<string, Set<string>>;
}

function adjacency(snapshot: LineageSnapshot): Adjacency {
  const layers = new Map<string, Layer | null>();
  const out = new Map<string, Set<string>>();
  const inn = new Map<string, Set<string>>();
  for (const n of snapshot.nodes) layers.set(n.id, n.layer);
  for (const e of snapshot.edges) {
    if (!layers.has(e.source)) layers.set(e.source, null);
    if (!layers.has(e.target)) layers.set(e.target, null);
    const o = out.get(e.source) ?? new Set<string>();
    o.add(e.target);
    out.set(e.source, o);
    const i = inn.get(e.target) ?? new Set<string>();
    i.add(e.source);
    inn.set(e.target, i);
  }
  return { layers, out, in: inn };
}

/** Breadth-first walk; returns each reached table with its hop count and whether depth cut it. */
function walk(
  adj: Map<string, Set<string>>,
  start: string,
  maxDepth: number | undefined,
): { depths: Map<string, number>; truncated: boolean } {
  const depths = new Map<string, number>([[start, 0]]);
  let frontier = [start];
  let depth = 0;
  let truncated = false;
  while (frontier.length > 0) {
    if (maxDepth !== undefined && depth >= maxDepth) {
      truncated = frontier.some((n) => [...(adj.get(n) ?? [])].some((m) => !depths.has(m)));
      break;
    }
    depth++;
    const next: string[] = [];
    for (const n of frontier) {
      for (const m of adj.get(n) ?? []) {
        if (depths.has(m)) continue;
        depths.set(m, depth);
        next.push(m);
      }
    }
    frontier = next;
  }
  return { depths, truncated };
}

/**
 * The whole graph, or the neighbourhood of one table (upstream, downstream or both, up to a
 * depth), in the contract's `{nodes, edges}` shape.
 *
 * @param snapshot - the portal's lineage snapshot
 * @param query - centre table, direction and depth (all optional)
 * @returns the (sub)graph, or null when the table is unknown
 * @example
 * ```ts
 * lineageGraph(await portal.lineageSnapshot(), { table: 'dwd.orders', direction: 'upstream', depth: 2 });
 * ```
 */
export function lineageGraph(
  snapshot: LineageSnapshot,
  query: { readonly table?: string; readonly direction?: Direction; readonly depth?: number } = {},
): Graph | null {
  const adj = adjacency(snapshot);
  let keep: Set<string>;
  if (query.table === undefined) keep = new Set(adj.layers.keys());
  else {
    const table = query.table.toLowerCase();
    if (!adj.layers.has(table)) return null;
    const dir = query.direction ?? 'both';
    keep = new Set([table]);
    if (dir !== 'downstream')
      for (const t of walk(adj.in, table, query.depth).depths.keys()) keep.add(t);
    if (dir !== 'upstream')
      for (const t of walk(adj.out, table, query.depth).depths.keys()) keep.add(t);
  }
  const nodes = [...keep].sort().map((id) => ({ id, layer: adj.layers.get(id) ?? null }));
  const edges: { source: string; target: string }[] = [];
  const seen = new Set<string>();
  for (const e of snapshot.edges) {
    const key = `${e.source}\u0000${e.target}`;
    if (seen.has(key) || !keep.has(e.source) || !keep.has(e.target)) continue;
    seen.add(key);
    edges.push({ source: e.source, target: e.target });
  }
  return { nodes, edges };
}

/** What a change to a table affects downstream. */
export interface Impact {
  /** The table changed. */
  readonly table: string;
  /** Downstream tables with their hop count. */
  readonly tables: { readonly id: string; readonly layer: Layer | null; readonly depth: number }[];
  /** Tasks that read the table or any downstream table. */
  readonly tasks: { readonly id: number; readonly name: string; readonly owner: string | null }[];
  /** Owners of the affected tables and tasks. */
  readonly owners: string[];
  /** Whether the depth limit cut the walk. */
  readonly truncated: boolean;
}

/**
 * Impact analysis: every table downstream of `table`, the tasks on those edges and the owners
 * to notify.
 *
 * @param snapshot - the portal's lineage snapshot
 * @param table - the table that changes
 * @param depth - hop limit (optional)
 * @returns the impact, or null when the table is unknown
 * @example
 * ```ts
 * impactOf(await portal.lineageSnapshot(), 'ods.orders')?.owners;
 * ```
 */
export function impactOf(snapshot: LineageSnapshot, table: string, depth?: number): Impact | null {
  const adj = adjacency(snapshot);
  const start = table.toLowerCase();
  if (!adj.layers.has(start)) return null;
  const { depths, truncated } = walk(adj.out, start, depth);
  const reached = new Set(depths.keys());
  const taskIds = new Set<number>();
  for (const e of snapshot.edges) {
    if (e.taskId !== null && e.taskId !== 0 && reached.has(e.source) && reached.has(e.target)) {
      taskIds.add(e.taskId);
    }
  }
  const owners = new Set<string>();
  const ownerOf = new Map(snapshot.nodes.map((n) => [n.id, n.owner]));
  const tables = [...depths.entries()]
    .filter(([id]) => id !== start)
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .map(([id, d]) => {
      const o = ownerOf.get(id);
      if (o) owners.add(o);
      return { id, layer: adj.layers.get(id) ?? null, depth: d };
    });
  const tasks = [...taskIds]
    .sort((a, b) => a - b)
    .map((id) => {
      const t = snapshot.tasks.get(id);
      if (t?.owner) owners.add(t.owner);
      return { id, name: t?.name ?? `task ${id}`, owner: t?.owner ?? null };
    });
  return { table: start, tables, tasks, owners: [...owners].sort(), truncated };
}

/**
 * A shortest path from one table to another along the data flow.
 *
 * @param snapshot - the portal's lineage snapshot
 * @param from - upstream table
 * @param to - downstream table
 * @param maxDepth - hop limit (optional)
 * @returns the tables on the path (both ends included), or null when none
 * @example
 * ```ts
 * pathBetween(snap, 'ods.orders', 'ads.sales_dashboard'); // ['ods.orders', 'dwd.order_detail', …]
 * ```
 */
export function pathBetween(
  snapshot: LineageSnapshot,
  from: string,
  to: string,
  maxDepth?: number,
): string[] | null {
  const adj = adjacency(snapshot);
  const a = from.toLowerCase();
  const b = to.toLowerCase();
  if (!adj.layers.has(a) || !adj.layers.has(b)) return null;
  const prev = new Map<string, string | null>([[a, null]]);
  let frontier = [a];
  let depth = 0;
  while (frontier.length > 0 && !prev.has(b)) {
    if (maxDepth !== undefined && depth >= maxDepth) break;
    depth++;
    const next: string[] = [];
    for (const n of frontier) {
      for (const m of adj.out.get(n) ?? []) {
        if (prev.has(m)) continue;
        prev.set(m, n);
        next.push(m);
      }
    }
    frontier = next;
  }
  if (!prev.has(b)) return null;
  const path: string[] = [];
  for (let cur: string | null | undefined = b; cur; cur = prev.get(cur)) path.push(cur);
  return path.reverse();
}

/** An edge that breaks the layer order. */
export interface LayerViolation {
  /** Upstream table. */
  readonly source: string;
  /** Downstream table. */
  readonly target: string;
  /** Its layer. */
  readonly sourceLayer: Layer;
  /** Its layer. */
  readonly targetLayer: Layer;
  /** The rule broken, e.g. `DWS must not feed ODS`. */
  readonly rule: string;
}

const RANK: Readonly<Record<Layer, number>> = { ODS: 0, DWD: 1, DIM: 1, DWS: 2, ADS: 3 };

/**
 * Layer-rule violations: data flows ODS → DWD/DIM → DWS → ADS, so an edge from a later layer
 * into an earlier one (e.g. DWS feeding ODS) is reported, as is any table cycle.
 *
 * @param snapshot - the portal's lineage snapshot
 * @returns violations and cycles
 * @example
 * ```ts
 * layerViolations(await portal.lineageSnapshot()).violations.length; // 0 on a clean warehouse
 * ```
 */
export function layerViolations(snapshot: LineageSnapshot): {
  violations: LayerViolation[];
  cycles: string[][];
} {
  const layers = new Map(snapshot.nodes.map((n) => [n.id, n.layer]));
  const violations: LayerViolation[] = [];
  const seen = new Set<string>();
  for (const e of snapshot.edges) {
    const s = layers.get(e.source);
    const t = layers.get(e.target);
    const key = `${e.source}\u0000${e.target}`;
    if (!s || !t || seen.has(key)) continue;
    seen.add(key);
    if (RANK[s] > RANK[t]) {
      violations.push({
        source: e.source,
        target: e.target,
        sourceLayer: s,
        targetLayer: t,
        rule: `${s} must not feed ${t}`,
      });
    }
  }
  return { violations, cycles: findCycles(adjacency(snapshot)) };
}

function findCycles(adj: Adjacency): string[][] {
  // Iterative three-colour DFS; reports one cycle per back edge found.
  const colour = new Map<string, 1 | 2>();
  const cycles: string[][] = [];
  for (const root of adj.layers.keys()) {
    if (colour.has(root)) continue;
    const stack: { node: string; it: Iterator<string> }[] = [
      { node: root, it: (adj.out.get(root) ?? new Set<string>()).values() },
    ];
    colour.set(root, 1);
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { node: string; it: Iterator<string> };
      const step = top.it.next();
      if (step.done) {
        colour.set(top.node, 2);
        stack.pop();
        continue;
      }
      const m = step.value;
      const c = colour.get(m);
      if (c === 1) {
        const from = stack.findIndex((f) => f.node === m);
        cycles.push([...stack.slice(from).map((f) => f.node), m]);
      } else if (c === undefined) {
        colour.set(m, 1);
        stack.push({ node: m, it: (adj.out.get(m) ?? new Set<string>()).values() });
      }
    }
  }
  return cycles;
}

function mermaidId(id: string): string {
  return id.replace(/[^A-Za-z0-9_]/g, '_');
}

/**
 * Renders a graph as a Mermaid flowchart, tables grouped by layer.
 *
 * @param graph - the graph
 * @returns Mermaid source
 * @example
 * ```ts
 * toMermaid({ nodes: [{ id: 'a.x', layer: 'ODS' }], edges: [] }); // 'flowchart LR\n…'
 * ```
 */
export function toMermaid(graph: Graph): string {
  const lines = ['flowchart LR'];
  const byLayer = new Map<string, GraphNode[]>();
  for (const n of graph.nodes) {
    const k = n.layer ?? 'UNKNOWN';
    byLayer.set(k, [...(byLayer.get(k) ?? []), n]);
  }
  for (const layer of [...LAYERS, 'UNKNOWN']) {
    const ns = byLayer.get(layer);
    if (!ns) continue;
    lines.push(`  subgraph ${layer}`);
    for (const n of ns) lines.push(`    ${mermaidId(n.id)}["${n.id}"]`);
    lines.push('  end');
  }
  for (const e of graph.edges) lines.push(`  ${mermaidId(e.source)} --> ${mermaidId(e.target)}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Renders a graph as Graphviz DOT, tables clustered by layer.
 *
 * @param graph - the graph
 * @returns DOT source
 * @example
 * ```ts
 * toDot(graph); // 'digraph lineage {\n  rankdir=LR; …'
 * ```
 */
export function toDot(graph: Graph): string {
  const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const lines = ['digraph lineage {', '  rankdir=LR;', '  node [shape=box];'];
  const byLayer = new Map<string, GraphNode[]>();
  for (const n of graph.nodes) {
    const k = n.layer ?? 'UNKNOWN';
    byLayer.set(k, [...(byLayer.get(k) ?? []), n]);
  }
  for (const layer of [...LAYERS, 'UNKNOWN']) {
    const ns = byLayer.get(layer);
    if (!ns) continue;
    lines.push(`  subgraph ${q(`cluster_${layer}`)} {`, `    label=${q(layer)};`);
    for (const n of ns) lines.push(`    ${q(n.id)};`);
    lines.push('  }');
  }
  for (const e of graph.edges) lines.push(`  ${q(e.source)} -> ${q(e.target)};`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
