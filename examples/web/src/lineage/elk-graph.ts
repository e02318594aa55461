import type { ElkNode } from 'elkjs/lib/elk-api';
import { LAYER_ORDER } from './colors';

/** A table to place: its id, layer and box size in pixels. */
export interface LayoutNode {
  readonly id: string;
  readonly layer: string | null;
  readonly width: number;
  readonly height: number;
}

/** An edge to respect while placing. */
export interface LayoutEdge {
  readonly source: string;
  readonly target: string;
}

/** Where each table goes (top-left corner), and how long the layout took. */
export interface LayoutResult {
  readonly positions: Record<string, { x: number; y: number }>;
  readonly ms: number;
}

/**
 * ELK's layered algorithm, left → right, one partition per warehouse layer so that ODS is
 * always left of DWD, DWD of DWS and so on. The options trade a little crossing reduction for
 * speed so that 2,000 tables and 5,000 edges lay out well under the 1.5 s budget.
 */
export const ELK_OPTIONS: Readonly<Record<string, string>> = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.partitioning.activate': 'true',
  'elk.spacing.nodeNode': '10',
  'elk.layered.spacing.nodeNodeBetweenLayers': '70',
  'elk.layered.spacing.edgeNodeBetweenLayers': '10',
  'elk.layered.thoroughness': '1',
  'elk.layered.nodePlacement.strategy': 'SIMPLE',
  'elk.layered.crossingMinimization.greedySwitch.type': 'OFF',
  'elk.edgeRouting': 'POLYLINE',
  'elk.layered.unnecessaryBendpoints': 'false',
  'elk.separateConnectedComponents': 'false',
};

/**
 * The ELK input graph for a set of tables and edges (edges to unknown tables are dropped).
 *
 * @param nodes - tables with sizes
 * @param edges - lineage edges
 * @returns the ELK graph
 */
export function toElkGraph(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[]): ElkNode {
  const ids = new Set(nodes.map((n) => n.id));
  return {
    id: 'root',
    layoutOptions: { ...ELK_OPTIONS },
    children: nodes.map((n) => {
      const rank = n.layer ? LAYER_ORDER.indexOf(n.layer) : -1;
      return {
        id: n.id,
        width: n.width,
        height: n.height,
        layoutOptions: { 'elk.partitioning.partition': String(Math.max(rank, 0)) },
      };
    }),
    edges: edges
      .filter((e) => ids.has(e.source) && ids.has(e.target) && e.source !== e.target)
      .map((e, i) => ({ id: `e${i}`, sources: [e.source], targets: [e.target] })),
  };
}

/** Reads the positions out of ELK's answer. */
export function positionsOf(laid: ElkNode): Record<string, { x: number; y: number }> {
  const out: Record<string, { x: number; y: number }> = {};
  for (const c of laid.children ?? []) out[c.id] = { x: c.x ?? 0, y: c.y ?? 0 };
  return out;
}
