import { LAYER_ORDER } from './colors';
import type { LayoutEdge, LayoutNode } from './elk-graph';

/** Options of {@link columnLayout}. */
export interface ColumnLayoutOptions {
  /** Most tables stacked in one column before the layer wraps into another. */
  readonly maxRows?: number;
  readonly columnGap?: number;
  readonly layerGap?: number;
  readonly rowGap?: number;
}

/**
 * The large-graph layout: one band of columns per warehouse layer, left → right, and inside each
 * layer the tables ordered by the mean row of the tables feeding them (the barycenter heuristic
 * of layered drawing, two sweeps), so that edges run mostly straight. Linear in tables + edges:
 * it keeps 2,000 tables / 5,000 edges well under the page's layout budget, where ELK's full
 * layered algorithm (crossing minimisation over thousands of long-edge dummies) takes seconds.
 *
 * @param nodes - tables with sizes
 * @param edges - lineage edges
 * @param options - spacing and wrapping
 * @returns the top-left corner of every table
 */
export function columnLayout(
  nodes: readonly LayoutNode[],
  edges: readonly LayoutEdge[],
  options: ColumnLayoutOptions = {},
): Record<string, { x: number; y: number }> {
  const maxRows = options.maxRows ?? 80;
  const columnGap = options.columnGap ?? 40;
  const layerGap = options.layerGap ?? 160;
  const rowGap = options.rowGap ?? 10;
  const rankOf = (layer: string | null) => {
    const r = layer ? LAYER_ORDER.indexOf(layer) : -1;
    return r < 0 ? LAYER_ORDER.length : r;
  };
  const bands: LayoutNode[][] = Array.from({ length: LAYER_ORDER.length + 1 }, () => []);
  for (const n of nodes) bands[rankOf(n.layer)]?.push(n);
  const incoming = new Map<string, string[]>();
  const outgoing = new Map<string, string[]>();
  for (const e of edges) {
    (incoming.get(e.target) ?? incoming.set(e.target, []).get(e.target))?.push(e.source);
    (outgoing.get(e.source) ?? outgoing.set(e.source, []).get(e.source))?.push(e.target);
  }
  const row = new Map<string, number>();
  const order = (band: LayoutNode[], neighbours: Map<string, string[]>) => {
    const key = new Map<string, number>();
    band.forEach((n, i) => {
      const ns = (neighbours.get(n.id) ?? []).filter((x) => row.has(x));
      key.set(
        n.id,
        ns.length === 0
          ? (row.get(n.id) ?? i)
          : ns.reduce((s, x) => s + (row.get(x) ?? 0), 0) / ns.length,
      );
    });
    band.sort((a, b) => (key.get(a.id) ?? 0) - (key.get(b.id) ?? 0));
    band.forEach((n, i) => {
      row.set(n.id, (i / Math.max(1, band.length)) * 1000);
    });
  };
  for (const band of bands) order(band, incoming);
  for (let b = bands.length - 1; b >= 0; b--) order(bands[b] as LayoutNode[], outgoing);
  for (const band of bands) order(band, incoming);

  const out: Record<string, { x: number; y: number }> = {};
  let x = 0;
  for (const band of bands) {
    if (band.length === 0) continue;
    const columns = Math.ceil(band.length / maxRows);
    const perColumn = Math.ceil(band.length / columns);
    const width = Math.max(...band.map((n) => n.width));
    band.forEach((n, i) => {
      const c = Math.floor(i / perColumn);
      const r = i % perColumn;
      out[n.id] = { x: x + c * (width + columnGap), y: r * (n.height + rowGap) };
    });
    x += columns * (width + columnGap) - columnGap + layerGap;
  }
  return out;
}
