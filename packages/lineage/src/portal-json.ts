/**
 * Portal JSON: the shape of the portal's `GET /api/v1/lineage` answer,
 * `{nodes: [{id, layer}], edges: [{source, target}]}`, in both directions.
 *
 * Behaviour: {@link toPortalJson} writes every table (with `layer: null` when unknown) and one
 * edge per table pair; {@link fromPortalJson} reads it (extra fields such as `owner`, `kind`,
 * `task`, `provenance` and `columns` are kept when present). Round-trips are lossless for the
 * fields the shape carries.
 *
 * Complexity: O(V + E).
 *
 * [Reference]: DataPortal DESIGN.md §6 (REST contract).
 *
 * @module
 */
import { describeValue, LineageError } from './lineage-error';
import { type LineageEdge, LineageGraph } from './lineage-graph';

/**
 * The portal's lineage JSON.
 *
 * @example
 * ```ts
 * import type { PortalLineageJson } from '@dataportal/lineage';
 * const body: PortalLineageJson = {
 *   nodes: [{ id: 'ods.orders', layer: 'ODS' }, { id: 'dwd.orders', layer: 'DWD' }],
 *   edges: [{ source: 'ods.orders', target: 'dwd.orders' }],
 * };
 * ```
 */
export interface PortalLineageJson {
  readonly nodes: ReadonlyArray<{
    readonly id: string;
    readonly layer?: string | null;
    readonly owner?: string | null;
    readonly kind?: string | null;
  }>;
  readonly edges: ReadonlyArray<{
    readonly source: string;
    readonly target: string;
    readonly task?: string | null;
    readonly provenance?: LineageEdge['provenance'] | null;
    readonly columns?: LineageEdge['columns'] | null;
  }>;
}

/**
 * Builds a graph from the portal's `GET /api/v1/lineage` JSON.
 *
 * @param json - the parsed response body
 * @returns a new graph
 * @throws {@link LineageError} with code INVALID_ARGUMENT when the body is not that shape
 * @example
 * ```ts
 * import { fromPortalJson, downstream } from '@dataportal/lineage';
 * const body = { nodes: [{ id: 'ods.o', layer: 'ODS' }], edges: [{ source: 'ods.o', target: 'dwd.o' }] };
 * // e.g. const body = await (await fetch('http://portal/api/v1/lineage')).json();
 * downstream(fromPortalJson(body), 'ods.o').nodes;
 * ```
 */
export function fromPortalJson(json: PortalLineageJson | unknown): LineageGraph {
  if (typeof json !== 'object' || json === null) {
    throw new LineageError(
      'INVALID_ARGUMENT',
      `lineage/fromPortalJson: expected {nodes, edges}, got ${describeValue(json)}`,
      { details: { argument: 'json' } },
    );
  }
  const j = json as Record<string, unknown>;
  const nodes = j['nodes'] ?? [];
  const edges = j['edges'] ?? [];
  if (!Array.isArray(nodes) || !Array.isArray(edges)) {
    throw new LineageError(
      'INVALID_ARGUMENT',
      'lineage/fromPortalJson: nodes and edges must be arrays',
      {
        details: { argument: 'json' },
      },
    );
  }
  const strip = (o: unknown): unknown => {
    if (typeof o !== 'object' || o === null) return o;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o)) if (v !== null && v !== undefined) out[k] = v;
    return out;
  };
  return LineageGraph.fromJSON({ version: 1, nodes: nodes.map(strip), edges: edges.map(strip) });
}

/**
 * Writes the portal's lineage JSON: every table with its layer (`null` when unknown) and one edge
 * per table pair.
 *
 * @param graph - the lineage graph (never mutated)
 * @returns a JSON-safe value
 * @example
 * ```ts
 * import { LineageGraph, toPortalJson } from '@dataportal/lineage';
 * toPortalJson(LineageGraph.fromEdges([{ source: 'a', target: 'b' }]));
 * // { nodes: [{ id: 'a', layer: null }, { id: 'b', layer: null }], edges: [{ source: 'a', target: 'b' }] }
 * ```
 */
export function toPortalJson(graph: LineageGraph): {
  nodes: Array<{ id: string; layer: string | null }>;
  edges: Array<{ source: string; target: string }>;
} {
  const ix = graph.index();
  const nodes: Array<{ id: string; layer: string | null }> = [];
  const edges: Array<{ source: string; target: string }> = [];
  for (let i = 0; i < ix.n; i++) {
    if (ix.alive[i] === 1) nodes.push({ id: graph.nameAt(i), layer: graph.layerAt(i) ?? null });
  }
  for (let s = 0; s < ix.n; s++) {
    for (let k = ix.outOffsets[s] as number; k < (ix.outOffsets[s + 1] as number); k++) {
      edges.push({ source: graph.nameAt(s), target: graph.nameAt(ix.outTargets[k] as number) });
    }
  }
  return { nodes, edges };
}
