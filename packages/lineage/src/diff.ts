/**
 * diff: what changed between two lineage graphs — tables added, removed or re-attributed, and
 * edges added, removed or changed (provenance or columns).
 *
 * Behaviour: tables are matched by name, edges by source, target and task. Lists are sorted, so
 * the output is deterministic and diffable. Neither graph is mutated.
 *
 * Complexity: O(V + E) of both graphs.
 *
 * [Reference]: dbt `state:modified`, SQLMesh plan (change sets between two DAG states).
 *
 * @module
 */
import type { LineageEdge, LineageGraph, LineageNode } from './lineage-graph';

/**
 * The result of {@link diff}.
 *
 * @example
 * ```ts
 * import { LineageGraph, diff, type GraphDiff } from '@dataportal/lineage';
 * const d: GraphDiff = diff(new LineageGraph(), LineageGraph.fromEdges([{ source: 'a', target: 'b' }]));
 * d.addedEdges; // [{ source: 'a', target: 'b' }]
 * ```
 */
export interface GraphDiff {
  readonly addedNodes: ReadonlyArray<LineageNode>;
  readonly removedNodes: ReadonlyArray<LineageNode>;
  /** Tables present in both whose layer, owner or kind changed. */
  readonly changedNodes: ReadonlyArray<{
    readonly before: LineageNode;
    readonly after: LineageNode;
  }>;
  readonly addedEdges: ReadonlyArray<LineageEdge>;
  readonly removedEdges: ReadonlyArray<LineageEdge>;
  /** Edges present in both whose provenance or columns changed. */
  readonly changedEdges: ReadonlyArray<{
    readonly before: LineageEdge;
    readonly after: LineageEdge;
  }>;
  /** True when nothing changed. */
  readonly equal: boolean;
}

const edgeKey = (e: LineageEdge): string => `${e.source}\u0000${e.target}\u0000${e.task ?? ''}`;
const byId = (a: LineageNode, b: LineageNode): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const byEdge = (a: LineageEdge, b: LineageEdge): number => {
  const ka = edgeKey(a);
  const kb = edgeKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

function sameNode(a: LineageNode, b: LineageNode): boolean {
  return a.layer === b.layer && a.owner === b.owner && a.kind === b.kind;
}

function sameEdge(a: LineageEdge, b: LineageEdge): boolean {
  if (a.provenance !== b.provenance) return false;
  const ca = a.columns ?? [];
  const cb = b.columns ?? [];
  if (ca.length !== cb.length) return false;
  const set = new Set(ca.map((c) => `${c.source}\u0000${c.target}`));
  return cb.every((c) => set.has(`${c.source}\u0000${c.target}`));
}

/**
 * Compares two graphs.
 *
 * @param before - the old graph
 * @param after - the new graph
 * @returns sorted lists of added, removed and changed tables and edges
 * @example
 * ```ts
 * import { LineageGraph, diff } from '@dataportal/lineage';
 * const a = LineageGraph.fromEdges([{ source: 'ods.o', target: 'dwd.o' }]);
 * const b = LineageGraph.fromEdges([{ source: 'ods.o', target: 'dwd.o2' }]);
 * diff(a, b).removedEdges; // [{ source: 'ods.o', target: 'dwd.o' }]
 * ```
 */
export function diff(before: LineageGraph, after: LineageGraph): GraphDiff {
  const ja = before.toJSON();
  const jb = after.toJSON();
  const na = new Map(ja.nodes.map((n) => [n.id, n]));
  const nb = new Map(jb.nodes.map((n) => [n.id, n]));
  const addedNodes = jb.nodes.filter((n) => !na.has(n.id)).sort(byId);
  const removedNodes = ja.nodes.filter((n) => !nb.has(n.id)).sort(byId);
  const changedNodes: Array<{ before: LineageNode; after: LineageNode }> = [];
  for (const n of ja.nodes) {
    const m = nb.get(n.id);
    if (m !== undefined && !sameNode(n, m)) changedNodes.push({ before: n, after: m });
  }
  changedNodes.sort((x, y) => byId(x.before, y.before));
  const ea = new Map(ja.edges.map((e) => [edgeKey(e), e]));
  const eb = new Map(jb.edges.map((e) => [edgeKey(e), e]));
  const addedEdges = jb.edges.filter((e) => !ea.has(edgeKey(e))).sort(byEdge);
  const removedEdges = ja.edges.filter((e) => !eb.has(edgeKey(e))).sort(byEdge);
  const changedEdges: Array<{ before: LineageEdge; after: LineageEdge }> = [];
  for (const e of ja.edges) {
    const f = eb.get(edgeKey(e));
    if (f !== undefined && !sameEdge(e, f)) changedEdges.push({ before: e, after: f });
  }
  changedEdges.sort((x, y) => byEdge(x.before, y.before));
  const equal =
    addedNodes.length + removedNodes.length + changedNodes.length === 0 &&
    addedEdges.length + removedEdges.length + changedEdges.length === 0;
  return { addedNodes, removedNodes, changedNodes, addedEdges, removedEdges, changedEdges, equal };
}
