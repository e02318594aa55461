/// <reference lib="webworker" />
import ELK from 'elkjs/lib/elk.bundled.js';
import { columnLayout } from './column-layout';
import { type LayoutEdge, type LayoutNode, positionsOf, toElkGraph } from './elk-graph';

/** Above this many tables the worker uses the linear column layout instead of ELK. */
export const ELK_MAX_NODES = 300;

const elk = new ELK();

/** Lays out one graph; the page posts `{id, nodes, edges}` and gets `{id, positions, ms, engine}`. */
self.onmessage = async (
  ev: MessageEvent<{ id: number; nodes: LayoutNode[]; edges: LayoutEdge[] }>,
) => {
  const { id, nodes, edges } = ev.data;
  const t0 = performance.now();
  try {
    let positions: Record<string, { x: number; y: number }>;
    let engine: 'elk' | 'columns';
    if (nodes.length <= ELK_MAX_NODES) {
      positions = positionsOf(await elk.layout(toElkGraph(nodes, edges)));
      engine = 'elk';
    } else {
      positions = columnLayout(nodes, edges);
      engine = 'columns';
    }
    self.postMessage({ id, positions, ms: performance.now() - t0, engine });
  } catch (err) {
    self.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
};
