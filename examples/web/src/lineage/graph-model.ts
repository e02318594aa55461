import { LAYER_COLORS, NO_LAYER_COLOR } from './colors';
import type { LayoutNode } from './elk-graph';

/** The lineage graph as the API returns it. */
export interface GraphData {
  readonly nodes: ReadonlyArray<{ readonly id: string; readonly layer: string | null }>;
  readonly edges: ReadonlyArray<{ readonly source: string; readonly target: string }>;
}

/** What is lit on the graph: a chosen table, what it affects, a path. */
export interface Highlight {
  /** The table clicked or searched. */
  readonly selected?: string | null;
  /** Tables downstream of the selection (impact), lit. */
  readonly impacted?: ReadonlySet<string>;
  /** Tables on a path, in order. */
  readonly path?: readonly string[];
}

/** A node for the graph view: a table, or a group of tables when the graph is collapsed. */
export interface ViewNode {
  readonly id: string;
  readonly label: string;
  readonly layer: string | null;
  readonly group: boolean;
  /** Tables in a group (1 for a table). */
  readonly size: number;
  readonly state: 'selected' | 'impacted' | 'path' | 'dim' | 'normal';
}

/** An edge for the graph view. */
export interface ViewEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  /** Table edges a group edge stands for (1 for a table edge). */
  readonly count: number;
  readonly state: 'impacted' | 'path' | 'dim' | 'normal';
}

/**
 * Above this many tables the whole graph starts collapsed into layer/database groups (click a
 * group to expand it). Rendering 2,000 tables with 5,000 edges at once crashed headless
 * Chromium (software rendering) on the 2-core CI machine, so the threshold sits below that.
 */
export const COLLAPSE_AT = 1000;

/** The group a table collapses into: its layer and database (`DWD · dw`). */
export function groupOf(node: { id: string; layer: string | null }): string {
  const db = node.id.includes('.') ? node.id.slice(0, node.id.lastIndexOf('.')) : '-';
  return `group:${node.layer ?? '?'}:${db}`;
}

/**
 * Builds the view: nodes and edges with their highlight state, collapsing tables into
 * layer/database groups when the graph is larger than `collapseAt` (except the groups listed
 * in `expanded`).
 *
 * @param data - the graph
 * @param highlight - what to light
 * @param options - `collapseAt`, `expanded` groups
 * @returns view nodes and edges
 */
export function buildView(
  data: GraphData,
  highlight: Highlight = {},
  options: { collapseAt?: number; expanded?: ReadonlySet<string> } = {},
): { nodes: ViewNode[]; edges: ViewEdge[]; collapsed: boolean } {
  const collapsed = data.nodes.length > (options.collapseAt ?? COLLAPSE_AT);
  const expanded = options.expanded ?? new Set<string>();
  const pathSet = new Set(highlight.path ?? []);
  const pathEdges = new Set<string>();
  const path = highlight.path ?? [];
  for (let i = 0; i + 1 < path.length; i++) pathEdges.add(`${path[i]}>${path[i + 1]}`);
  const impacted = highlight.impacted ?? new Set<string>();
  const anyLit = Boolean(highlight.selected) || pathSet.size > 0;

  const viewIdOf = new Map<string, string>();
  const nodes: ViewNode[] = [];
  const groups = new Map<string, { layer: string | null; size: number; label: string }>();
  for (const n of data.nodes) {
    const g = groupOf(n);
    if (collapsed && !expanded.has(g) && n.id !== highlight.selected && !pathSet.has(n.id)) {
      viewIdOf.set(n.id, g);
      const cur = groups.get(g);
      if (cur) cur.size++;
      else {
        const db = g.split(':').slice(2).join(':');
        groups.set(g, { layer: n.layer, size: 1, label: `${n.layer ?? '?'} · ${db}` });
      }
      continue;
    }
    viewIdOf.set(n.id, n.id);
    const state: ViewNode['state'] =
      n.id === highlight.selected
        ? 'selected'
        : pathSet.has(n.id)
          ? 'path'
          : impacted.has(n.id)
            ? 'impacted'
            : anyLit
              ? 'dim'
              : 'normal';
    nodes.push({ id: n.id, label: n.id, layer: n.layer, group: false, size: 1, state });
  }
  for (const [id, g] of groups) {
    nodes.push({
      id,
      label: `${g.label} (${g.size})`,
      layer: g.layer,
      group: true,
      size: g.size,
      state: anyLit ? 'dim' : 'normal',
    });
  }
  const edgeCount = new Map<
    string,
    { source: string; target: string; count: number; state: ViewEdge['state'] }
  >();
  for (const e of data.edges) {
    const s = viewIdOf.get(e.source);
    const t = viewIdOf.get(e.target);
    if (!s || !t || s === t) continue;
    const key = `${s}>${t}`;
    const state: ViewEdge['state'] = pathEdges.has(`${e.source}>${e.target}`)
      ? 'path'
      : (e.source === highlight.selected || impacted.has(e.source)) && impacted.has(e.target)
        ? 'impacted'
        : anyLit
          ? 'dim'
          : 'normal';
    const cur = edgeCount.get(key);
    if (cur) {
      cur.count++;
      if (state === 'path' || (state === 'impacted' && cur.state !== 'path')) cur.state = state;
    } else edgeCount.set(key, { source: s, target: t, count: 1, state });
  }
  const edges = [...edgeCount.entries()].map(([id, e]) => ({ id, ...e }));
  return { nodes, edges, collapsed };
}

/** Box size of a view node for layout (wider for longer names). */
export function sizeOf(n: ViewNode): LayoutNode {
  return {
    id: n.id,
    layer: n.layer,
    width: Math.min(260, Math.max(110, n.label.length * 7.2 + 28)),
    height: n.group ? 44 : 30,
  };
}

/** The fill colour of a node's layer. */
export function colorOf(layer: string | null): string {
  return (layer && LAYER_COLORS[layer]) || NO_LAYER_COLOR;
}
