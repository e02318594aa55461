import { PairTable } from './internal/pair-table';
import { describeValue, LineageError } from './lineage-error';

/**
 * How a lineage edge is known: declared by a task, parsed from its SQL, observed at run time,
 * or entered by hand.
 *
 * @example
 * ```ts
 * import type { Provenance } from '@dataportal/lineage';
 * const p: Provenance = 'parsed';
 * ```
 */
export type Provenance = 'declared' | 'parsed' | 'observed' | 'manual';

/**
 * A column-level pair on an edge: `source` column of the upstream table feeds `target` column of
 * the downstream table.
 *
 * @example
 * ```ts
 * import type { ColumnPair } from '@dataportal/lineage';
 * const pair: ColumnPair = { source: 'amount', target: 'total_amount' };
 * ```
 */
export interface ColumnPair {
  readonly source: string;
  readonly target: string;
}

/**
 * A lineage edge between two tables, optionally produced by a task.
 *
 * Two edges with the same `source`, `target` and `task` are the same edge; adding it again
 * replaces its provenance and columns. Edges that differ only by task are kept apart, but the
 * traversal index stores each table pair once.
 *
 * @example
 * ```ts
 * import type { LineageEdge } from '@dataportal/lineage';
 * const e: LineageEdge = { source: 'ods.orders', target: 'dwd.orders', task: 'load_orders' };
 * ```
 */
export interface LineageEdge {
  /** Upstream table (qualified name such as `ods.orders`). */
  readonly source: string;
  /** Downstream table. */
  readonly target: string;
  /** The task that writes `target` from `source`, if known. */
  readonly task?: string;
  /** How the edge is known. */
  readonly provenance?: Provenance;
  /** Column pairs, when known. */
  readonly columns?: ReadonlyArray<ColumnPair>;
}

/**
 * Attributes of a table node.
 *
 * @example
 * ```ts
 * import type { NodeAttributes } from '@dataportal/lineage';
 * const a: NodeAttributes = { layer: 'DWD', owner: 'alice', kind: 'table' };
 * ```
 */
export interface NodeAttributes {
  /** Warehouse layer: `ODS`, `DWD`, `DIM`, `DWS`, `ADS` or any label of a custom policy. */
  readonly layer?: string;
  /** Owner (user or team). */
  readonly owner?: string;
  /** Kind of node, e.g. `table`, `view`, `topic`. */
  readonly kind?: string;
}

/**
 * A table node with its attributes.
 *
 * @example
 * ```ts
 * import type { LineageNode } from '@dataportal/lineage';
 * const n: LineageNode = { id: 'dwd.orders', layer: 'DWD' };
 * ```
 */
export interface LineageNode extends NodeAttributes {
  /** The table's qualified name. */
  readonly id: string;
}

/**
 * The JSON form of a {@link LineageGraph} (`graph.toJSON()`, `LineageGraph.fromJSON()`).
 *
 * @example
 * ```ts
 * import type { LineageGraphJson } from '@dataportal/lineage';
 * const json: LineageGraphJson = { version: 1, nodes: [{ id: 'a' }], edges: [] };
 * ```
 */
export interface LineageGraphJson {
  /** Format version, always 1. */
  readonly version: 1;
  /** Every node with its attributes (also nodes without edges). */
  readonly nodes: ReadonlyArray<LineageNode>;
  /** Every edge. */
  readonly edges: ReadonlyArray<LineageEdge>;
}

/**
 * The minimal read interface a graph source must offer to {@link LineageGraph.from}.
 *
 * A graphology `DirectedGraph` satisfies it through a two-line wrapper.
 *
 * @example
 * ```ts
 * import { LineageGraph, type GraphLike } from '@dataportal/lineage';
 * const src: GraphLike = { nodes: () => ['a', 'b'], successors: (id) => (id === 'a' ? ['b'] : []) };
 * LineageGraph.from(src).order; // 2
 * ```
 */
export interface GraphLike {
  /** All node ids. */
  nodes(): Iterable<string>;
  /** The direct downstream ids of `id`. */
  successors(id: string): Iterable<string>;
}

interface EdgeLink {
  readonly task?: string;
  readonly provenance?: Provenance;
  readonly columns?: ReadonlyArray<ColumnPair>;
}

/**
 * Compressed sparse row adjacency in both directions, over integer node ids.
 *
 * @internal
 */
export interface GraphIndex {
  /** Number of node ids (including removed ones, which have no edges and `alive[i] === 0`). */
  readonly n: number;
  readonly alive: Uint8Array;
  readonly outOffsets: Int32Array;
  readonly outTargets: Int32Array;
  readonly inOffsets: Int32Array;
  readonly inSources: Int32Array;
}

/**
 * Reusable per-graph buffers for traversals (visit stamps, distances, a queue).
 *
 * @internal
 */
export interface VisitBuffers {
  readonly stamp: Uint32Array;
  readonly dist: Int32Array;
  /** Free for the caller (e.g. BFS parents); valid where `stamp[i] === epoch` if it writes them. */
  readonly parent: Int32Array;
  readonly queue: Int32Array;
  readonly epoch: number;
}

const PROVENANCES: ReadonlySet<string> = new Set(['declared', 'parsed', 'observed', 'manual']);

function growInt32(a: Int32Array<ArrayBuffer>, need: number): Int32Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const next = new Int32Array(Math.max(need, a.length * 2, 16));
  next.set(a);
  return next;
}

function growUint8(a: Uint8Array<ArrayBuffer>, need: number): Uint8Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const next = new Uint8Array(Math.max(need, a.length * 2, 16));
  next.set(a);
  return next;
}

function checkName(value: unknown, argument: string, operation: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new LineageError(
      'INVALID_ARGUMENT',
      `lineage/${operation}: ${argument} must be a non-empty string, got ${describeValue(value)}`,
      { details: { argument } },
    );
  }
  return value;
}

function validColumns(cols: unknown): boolean {
  if (!Array.isArray(cols)) return false;
  for (const c of cols as unknown[]) {
    if (typeof c !== 'object' || c === null) return false;
    const r = c as Record<string, unknown>;
    if (typeof r['source'] !== 'string' || typeof r['target'] !== 'string') return false;
  }
  return true;
}

function checkEdge(edge: unknown, operation: string): LineageEdge {
  const fast = edge as Partial<LineageEdge> | null;
  if (
    fast !== null &&
    typeof fast === 'object' &&
    typeof fast.source === 'string' &&
    fast.source.length > 0 &&
    typeof fast.target === 'string' &&
    fast.target.length > 0 &&
    (fast.task === undefined || typeof fast.task === 'string') &&
    fast.provenance === undefined &&
    fast.columns === undefined
  ) {
    return fast as LineageEdge;
  }
  if (typeof edge !== 'object' || edge === null) {
    throw new LineageError(
      'INVALID_ARGUMENT',
      `lineage/${operation}: edge must be an object, got ${describeValue(edge)}`,
      { details: { argument: 'edge' } },
    );
  }
  const e = edge as Record<string, unknown>;
  checkName(e['source'], 'edge.source', operation);
  checkName(e['target'], 'edge.target', operation);
  if (e['task'] !== undefined && typeof e['task'] !== 'string') {
    throw new LineageError(
      'INVALID_ARGUMENT',
      `lineage/${operation}: edge.task must be a string, got ${describeValue(e['task'])}`,
      { details: { argument: 'edge.task' } },
    );
  }
  if (e['provenance'] !== undefined && !PROVENANCES.has(e['provenance'] as string)) {
    throw new LineageError(
      'INVALID_ARGUMENT',
      `lineage/${operation}: edge.provenance must be declared, parsed, observed or manual, got ${describeValue(e['provenance'])}`,
      { details: { argument: 'edge.provenance' } },
    );
  }
  if (e['columns'] !== undefined) {
    const cols = e['columns'];
    if (!validColumns(cols)) {
      throw new LineageError(
        'INVALID_ARGUMENT',
        `lineage/${operation}: edge.columns must be an array of {source, target} strings, got ${describeValue(cols)}`,
        { details: { argument: 'edge.columns' } },
      );
    }
  }
  return edge as LineageEdge;
}

function linkOf(edge: LineageEdge): EdgeLink | undefined {
  if (edge.task === undefined && edge.provenance === undefined && edge.columns === undefined) {
    return undefined;
  }
  const link: {
    task?: string;
    provenance?: Provenance;
    columns?: ReadonlyArray<ColumnPair>;
  } = {};
  if (edge.task !== undefined) link.task = edge.task;
  if (edge.provenance !== undefined) link.provenance = edge.provenance;
  if (edge.columns !== undefined) {
    link.columns = edge.columns.map((c) => ({ source: c.source, target: c.target }));
  }
  return link;
}

const BARE: EdgeLink = Object.freeze({});

/**
 * The links of a table pair, packed to save allocations on large graphs: `undefined` or a string
 * = one edge without columns whose task is that string (if any) and whose provenance is the
 * pair's provenance code; else the link or links as objects (provenance code 0).
 */
type PackedLinks = undefined | string | EdgeLink | EdgeLink[];

const PROVENANCE_CODES: ReadonlyArray<Provenance | undefined> = [
  undefined,
  'declared',
  'parsed',
  'observed',
  'manual',
];

function provenanceCode(p: Provenance | undefined): number {
  return p === undefined ? 0 : PROVENANCE_CODES.indexOf(p);
}

function packedCount(v: PackedLinks): number {
  return Array.isArray(v) ? v.length : 1;
}

/**
 * A table-level lineage graph held as a compact index: integer node ids and typed-array
 * adjacency (CSR) in both directions, rebuilt lazily after incremental changes.
 *
 * Queries are free functions that take the graph (`downstream(graph, 'ods.orders')`); they
 * never mutate it. Node ids are table names; attributes (layer, owner, kind) are optional.
 *
 * Memory: roughly 8 bytes per edge per direction plus the node-name map. Build cost is linear.
 *
 * @example
 * ```ts
 * import { LineageGraph, downstream } from '@dataportal/lineage';
 * const g = LineageGraph.fromEdges(
 *   [
 *     { source: 'ods.orders', target: 'dwd.orders', task: 'clean_orders' },
 *     { source: 'dwd.orders', target: 'dws.sales_daily' },
 *   ],
 *   [{ id: 'ods.orders', layer: 'ODS' }],
 * );
 * downstream(g, 'ods.orders').nodes; // [{ id: 'dwd.orders', distance: 1, … }, …]
 * ```
 */
export class LineageGraph {
  #ids = new Map<string, number>();
  #names: string[] = [];
  #alive = new Uint8Array(16);
  #layer: (string | undefined)[] = [];
  #owner: (string | undefined)[] = [];
  #kind: (string | undefined)[] = [];
  #nodeCount = 0;

  #pairKeys = new PairTable();
  #pairSrc = new Int32Array(16);
  #pairDst = new Int32Array(16);
  #pairAlive = new Uint8Array(16);
  #pairProv = new Uint8Array(16);
  #pairLinks: PackedLinks[] = [];
  #pairTotal = 0;
  #pairCount = 0;
  #linkCount = 0;

  #index: GraphIndex | undefined;
  #version = 0;
  #cache = new Map<string, unknown>();
  #buffers:
    | { stamp: Uint32Array; dist: Int32Array; parent: Int32Array; queue: Int32Array; epoch: number }
    | undefined;

  /**
   * Builds a graph from edges and optional node attributes in one pass.
   *
   * @param edges - lineage edges; nodes are created for every endpoint
   * @param nodes - node attributes; nodes listed here exist even without edges
   * @returns a new graph
   * @throws {@link LineageError} with code INVALID_ARGUMENT when an edge or node is malformed
   * @example
   * ```ts
   * import { LineageGraph } from '@dataportal/lineage';
   * const g = LineageGraph.fromEdges([{ source: 'a', target: 'b' }], [{ id: 'a', layer: 'ODS' }]);
   * g.size; // 1
   * ```
   */
  static fromEdges(edges: Iterable<LineageEdge>, nodes: Iterable<LineageNode> = []): LineageGraph {
    const g = new LineageGraph();
    if (Array.isArray(edges)) g.#reserve(edges.length);
    for (const n of nodes) {
      const i = g.#intern(checkName(n?.id, 'node.id', 'fromEdges'));
      if (n.layer !== undefined) g.#layer[i] = n.layer;
      if (n.owner !== undefined) g.#owner[i] = n.owner;
      if (n.kind !== undefined) g.#kind[i] = n.kind;
    }
    g.#bulkAdd(edges);
    return g;
  }

  /**
   * Builds a graph from its JSON form ({@link LineageGraph.toJSON}).
   *
   * @param json - a parsed JSON value
   * @returns a new graph
   * @throws {@link LineageError} with code INVALID_ARGUMENT when the value is not a graph
   * @example
   * ```ts
   * import { LineageGraph } from '@dataportal/lineage';
   * const g = LineageGraph.fromJSON({ version: 1, nodes: [], edges: [{ source: 'a', target: 'b' }] });
   * ```
   */
  static fromJSON(json: unknown): LineageGraph {
    if (typeof json !== 'object' || json === null) {
      throw new LineageError(
        'INVALID_ARGUMENT',
        `lineage/fromJSON: expected an object, got ${describeValue(json)}`,
        { details: { argument: 'json' } },
      );
    }
    const j = json as Record<string, unknown>;
    const nodes = j['nodes'] ?? [];
    const edges = j['edges'] ?? [];
    if (!Array.isArray(nodes) || !Array.isArray(edges)) {
      throw new LineageError(
        'INVALID_ARGUMENT',
        'lineage/fromJSON: nodes and edges must be arrays',
        { details: { argument: 'json' } },
      );
    }
    const nodeList: LineageNode[] = [];
    for (const n of nodes as unknown[]) {
      if (typeof n !== 'object' || n === null) {
        throw new LineageError(
          'INVALID_ARGUMENT',
          `lineage/fromJSON: node must be an object, got ${describeValue(n)}`,
          { details: { argument: 'nodes' } },
        );
      }
      const r = n as Record<string, unknown>;
      const node: { id: string; layer?: string; owner?: string; kind?: string } = {
        id: checkName(r['id'], 'node.id', 'fromJSON'),
      };
      for (const key of ['layer', 'owner', 'kind'] as const) {
        const v = r[key];
        if (v === undefined || v === null) continue;
        if (typeof v !== 'string') {
          throw new LineageError(
            'INVALID_ARGUMENT',
            `lineage/fromJSON: node.${key} must be a string, got ${describeValue(v)}`,
            { details: { argument: `nodes.${key}` } },
          );
        }
        node[key] = v;
      }
      nodeList.push(node);
    }
    const edgeList: LineageEdge[] = [];
    for (const e of edges as unknown[]) {
      const r = checkEdge(e, 'fromJSON');
      const edge: { -readonly [K in keyof LineageEdge]: LineageEdge[K] } = {
        source: r.source,
        target: r.target,
      };
      if (r.task !== undefined) edge.task = r.task;
      if (r.provenance !== undefined) edge.provenance = r.provenance;
      if (r.columns !== undefined) edge.columns = r.columns;
      edgeList.push(edge);
    }
    return LineageGraph.fromEdges(edgeList, nodeList);
  }

  /**
   * Copies any graph that offers `nodes()` and `successors(id)` (for example a graphology
   * `DirectedGraph`) into a lineage graph.
   *
   * @param source - the graph to copy
   * @returns a new graph with the same nodes and edges (no attributes)
   * @example
   * ```ts
   * import { LineageGraph } from '@dataportal/lineage';
   * const g = LineageGraph.from({ nodes: () => ['a', 'b'], successors: (n) => (n === 'a' ? ['b'] : []) });
   * g.hasEdge('a', 'b'); // true
   * ```
   */
  static from(source: GraphLike): LineageGraph {
    const g = new LineageGraph();
    const nodes = [...source.nodes()];
    for (const n of nodes) g.addNode(n);
    for (const n of nodes)
      for (const t of source.successors(n)) g.addEdge({ source: n, target: t });
    return g;
  }

  /**
   * Number of nodes.
   *
   * @example
   * ```ts
   * import { LineageGraph } from '@dataportal/lineage';
   * LineageGraph.fromEdges([{ source: 'a', target: 'b' }]).order; // 2
   * ```
   */
  get order(): number {
    return this.#nodeCount;
  }

  /**
   * Number of edges (an edge is a source, target and task).
   *
   * @example
   * ```ts
   * import { LineageGraph } from '@dataportal/lineage';
   * LineageGraph.fromEdges([{ source: 'a', target: 'b' }]).size; // 1
   * ```
   */
  get size(): number {
    return this.#linkCount;
  }

  /**
   * A counter bumped on every change; caches keyed by it stay valid while it is unchanged.
   *
   * @example
   * ```ts
   * import { LineageGraph } from '@dataportal/lineage';
   * const g = new LineageGraph();
   * const v = g.version;
   * g.addNode('a');
   * g.version > v; // true
   * ```
   */
  get version(): number {
    return this.#version;
  }

  /**
   * Adds a node, or merges attributes into an existing one (`undefined` keeps the old value).
   *
   * @param id - the table name
   * @param attributes - layer, owner, kind
   * @returns this graph
   * @throws {@link LineageError} with code INVALID_ARGUMENT when `id` is not a non-empty string
   * @example
   * ```ts
   * import { LineageGraph } from '@dataportal/lineage';
   * new LineageGraph().addNode('dim.shop', { layer: 'DIM', owner: 'bob' });
   * ```
   */
  addNode(id: string, attributes: NodeAttributes = {}): this {
    checkName(id, 'id', 'addNode');
    const i = this.#intern(id);
    if (attributes.layer !== undefined) this.#layer[i] = attributes.layer;
    if (attributes.owner !== undefined) this.#owner[i] = attributes.owner;
    if (attributes.kind !== undefined) this.#kind[i] = attributes.kind;
    this.#touch(false);
    return this;
  }

  /**
   * Removes a node and every edge touching it. Costs a scan of all edges (O(E)); the node's
   * integer id is retired, so removing many nodes is cheaper by rebuilding with
   * {@link subgraph}.
   *
   * @param id - the table name
   * @returns true when the node existed
   * @example
   * ```ts
   * import { LineageGraph } from '@dataportal/lineage';
   * const g = LineageGraph.fromEdges([{ source: 'a', target: 'b' }]);
   * g.removeNode('a'); // true
   * g.size; // 0
   * ```
   */
  removeNode(id: string): boolean {
    const i = this.#ids.get(id);
    if (i === undefined) return false;
    for (let p = 0; p < this.#pairTotal; p++) {
      if (this.#pairAlive[p] === 1 && (this.#pairSrc[p] === i || this.#pairDst[p] === i)) {
        this.#dropPair(p);
      }
    }
    this.#ids.delete(id);
    this.#alive[i] = 0;
    this.#layer[i] = undefined;
    this.#owner[i] = undefined;
    this.#kind[i] = undefined;
    this.#nodeCount--;
    this.#touch(true);
    return true;
  }

  /**
   * Adds an edge (creating missing nodes). Adding an edge with the same source, target and
   * task again replaces its provenance and columns.
   *
   * @param edge - the edge
   * @returns this graph
   * @throws {@link LineageError} with code INVALID_ARGUMENT when the edge is malformed
   * @example
   * ```ts
   * import { LineageGraph } from '@dataportal/lineage';
   * new LineageGraph().addEdge({ source: 'ods.a', target: 'dwd.a', provenance: 'parsed' });
   * ```
   */
  addEdge(edge: LineageEdge): this {
    checkEdge(edge, 'addEdge');
    const s = this.#intern(edge.source);
    const t = this.#intern(edge.target);
    let p = this.#pairKeys.get(s, t);
    if (p === -1) {
      p = this.#pairTotal++;
      this.#pairSrc = growInt32(this.#pairSrc, p + 1);
      this.#pairDst = growInt32(this.#pairDst, p + 1);
      this.#pairAlive = growUint8(this.#pairAlive, p + 1);
      this.#pairSrc[p] = s;
      this.#pairDst[p] = t;
      this.#pairAlive[p] = 1;
      this.#pairProv = growUint8(this.#pairProv, p + 1);
      if (edge.columns === undefined) {
        this.#pairLinks[p] = edge.task;
        this.#pairProv[p] = provenanceCode(edge.provenance);
      } else {
        this.#pairLinks[p] = linkOf(edge);
        this.#pairProv[p] = 0;
      }
      this.#pairKeys.set(s, t, p);
      this.#pairCount++;
      this.#linkCount++;
      this.#touch(true);
      return this;
    }
    const link = linkOf(edge);
    const links = this.#unpackAt(p);
    const at = links.findIndex((l) => l.task === edge.task);
    if (at === -1) {
      links.push(link ?? BARE);
      this.#linkCount++;
    } else {
      links[at] = link ?? BARE;
    }
    this.#packAt(p, links);
    this.#touch(false);
    return this;
  }

  /**
   * Adds many edges.
   *
   * @param edges - the edges
   * @returns this graph
   * @throws {@link LineageError} with code INVALID_ARGUMENT when an edge is malformed
   * @example
   * ```ts
   * import { LineageGraph } from '@dataportal/lineage';
   * new LineageGraph().addEdges([{ source: 'a', target: 'b' }, { source: 'b', target: 'c' }]);
   * ```
   */
  addEdges(edges: Iterable<LineageEdge>): this {
    for (const e of edges) this.addEdge(e);
    return this;
  }

  /**
   * Removes an edge. Without `task`, removes every edge between the two tables; with it, only
   * the edge of that task.
   *
   * @param source - upstream table
   * @param target - downstream table
   * @param task - the task of the edge to remove
   * @returns true when something was removed
   * @example
   * ```ts
   * import { LineageGraph } from '@dataportal/lineage';
   * const g = LineageGraph.fromEdges([{ source: 'a', target: 'b', task: 't1' }]);
   * g.removeEdge('a', 'b', 't1'); // true
   * ```
   */
  removeEdge(source: string, target: string, task?: string): boolean {
    const s = this.#ids.get(source);
    const t = this.#ids.get(target);
    if (s === undefined || t === undefined) return false;
    const p = this.#pairKeys.get(s, t);
    if (p === -1) return false;
    if (task === undefined) {
      this.#dropPair(p);
      this.#touch(true);
      return true;
    }
    const links = this.#unpackAt(p);
    const at = links.findIndex((l) => l.task === task);
    if (at === -1) return false;
    if (links.length === 1) {
      this.#dropPair(p);
      this.#touch(true);
      return true;
    }
    links.splice(at, 1);
    this.#linkCount--;
    this.#packAt(p, links);
    this.#touch(false);
    return true;
  }

  /**
   * Tells whether a node exists.
   *
   * @param id - the table name
   * @returns true when present
   * @example
   * ```ts
   * import { LineageGraph } from '@dataportal/lineage';
   * LineageGraph.fromEdges([{ source: 'a', target: 'b' }]).hasNode('a'); // true
   * ```
   */
  hasNode(id: string): boolean {
    return this.#ids.has(id);
  }

  /**
   * Tells whether at least one edge goes from `source` to `target`.
   *
   * @param source - upstream table
   * @param target - downstream table
   * @returns true when connected directly
   * @example
   * ```ts
   * import { LineageGraph } from '@dataportal/lineage';
   * LineageGraph.fromEdges([{ source: 'a', target: 'b' }]).hasEdge('b', 'a'); // false
   * ```
   */
  hasEdge(source: string, target: string): boolean {
    const s = this.#ids.get(source);
    const t = this.#ids.get(target);
    if (s === undefined || t === undefined) return false;
    return this.#pairKeys.get(s, t) !== -1;
  }

  /**
   * Returns a node with its attributes.
   *
   * @param id - the table name
   * @returns the node, or undefined when absent
   * @example
   * ```ts
   * import { LineageGraph } from '@dataportal/lineage';
   * new LineageGraph().addNode('a', { layer: 'ODS' }).node('a'); // { id: 'a', layer: 'ODS' }
   * ```
   */
  node(id: string): LineageNode | undefined {
    const i = this.#ids.get(id);
    return i === undefined ? undefined : this.nodeAt(i);
  }

  /**
   * Lists node ids in insertion order.
   *
   * @returns a new array
   * @example
   * ```ts
   * import { LineageGraph } from '@dataportal/lineage';
   * LineageGraph.fromEdges([{ source: 'a', target: 'b' }]).nodes(); // ['a', 'b']
   * ```
   */
  nodes(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.#names.length; i++) {
      if (this.#alive[i] === 1) out.push(this.#names[i] as string);
    }
    return out;
  }

  /**
   * Lists every edge with its task, provenance and columns, in insertion order.
   *
   * @returns a new array
   * @example
   * ```ts
   * import { LineageGraph } from '@dataportal/lineage';
   * LineageGraph.fromEdges([{ source: 'a', target: 'b' }]).edges(); // [{ source: 'a', target: 'b' }]
   * ```
   */
  edges(): LineageEdge[] {
    const out: LineageEdge[] = [];
    for (let p = 0; p < this.#pairTotal; p++) this.#pushPairEdges(p, out);
    return out;
  }

  /**
   * Lists the edges between two tables (one per task).
   *
   * @param source - upstream table
   * @param target - downstream table
   * @returns a new array, empty when not connected
   * @example
   * ```ts
   * import { LineageGraph } from '@dataportal/lineage';
   * const g = LineageGraph.fromEdges([{ source: 'a', target: 'b', task: 't' }]);
   * g.edgesBetween('a', 'b'); // [{ source: 'a', target: 'b', task: 't' }]
   * ```
   */
  edgesBetween(source: string, target: string): LineageEdge[] {
    const s = this.#ids.get(source);
    const t = this.#ids.get(target);
    if (s === undefined || t === undefined) return [];
    const p = this.#pairKeys.get(s, t);
    const out: LineageEdge[] = [];
    if (p !== -1) this.#pushPairEdges(p, out);
    return out;
  }

  /**
   * Direct downstream tables of a node.
   *
   * @param id - the table name
   * @returns a new array
   * @throws {@link LineageError} with code NODE_NOT_FOUND when `id` is absent
   * @example
   * ```ts
   * import { LineageGraph } from '@dataportal/lineage';
   * LineageGraph.fromEdges([{ source: 'a', target: 'b' }]).successors('a'); // ['b']
   * ```
   */
  successors(id: string): string[] {
    const i = this.requireId(id, 'successors');
    const ix = this.index();
    const out: string[] = [];
    for (let k = ix.outOffsets[i] as number; k < (ix.outOffsets[i + 1] as number); k++) {
      out.push(this.#names[ix.outTargets[k] as number] as string);
    }
    return out;
  }

  /**
   * Direct upstream tables of a node.
   *
   * @param id - the table name
   * @returns a new array
   * @throws {@link LineageError} with code NODE_NOT_FOUND when `id` is absent
   * @example
   * ```ts
   * import { LineageGraph } from '@dataportal/lineage';
   * LineageGraph.fromEdges([{ source: 'a', target: 'b' }]).predecessors('b'); // ['a']
   * ```
   */
  predecessors(id: string): string[] {
    const i = this.requireId(id, 'predecessors');
    const ix = this.index();
    const out: string[] = [];
    for (let k = ix.inOffsets[i] as number; k < (ix.inOffsets[i + 1] as number); k++) {
      out.push(this.#names[ix.inSources[k] as number] as string);
    }
    return out;
  }

  /**
   * Serialises the graph to a JSON-safe value ({@link LineageGraph.fromJSON} reads it back).
   *
   * @returns nodes with attributes and edges
   * @example
   * ```ts
   * import { LineageGraph } from '@dataportal/lineage';
   * JSON.stringify(LineageGraph.fromEdges([{ source: 'a', target: 'b' }]));
   * ```
   */
  toJSON(): LineageGraphJson {
    const nodes: LineageNode[] = [];
    for (let i = 0; i < this.#names.length; i++)
      if (this.#alive[i] === 1) nodes.push(this.nodeAt(i));
    return { version: 1, nodes, edges: this.edges() };
  }

  /**
   * Copies the graph.
   *
   * @returns an independent graph with the same nodes, attributes and edges
   * @example
   * ```ts
   * import { LineageGraph } from '@dataportal/lineage';
   * const copy = LineageGraph.fromEdges([{ source: 'a', target: 'b' }]).clone();
   * ```
   */
  clone(): LineageGraph {
    const json = this.toJSON();
    return LineageGraph.fromEdges(json.edges, json.nodes);
  }

  /** @internal The CSR index, rebuilt when the graph changed since the last call. */
  index(): GraphIndex {
    if (this.#index === undefined) this.#index = this.#buildIndex();
    return this.#index;
  }

  /** @internal Integer id of a name, or undefined. */
  idOf(id: string): number | undefined {
    return this.#ids.get(id);
  }

  /** @internal Integer id of a name, or a NODE_NOT_FOUND error. */
  requireId(id: string, operation: string): number {
    if (typeof id !== 'string') {
      throw new LineageError(
        'INVALID_ARGUMENT',
        `lineage/${operation}: node must be a string, got ${describeValue(id)}`,
        { details: { argument: 'node' } },
      );
    }
    const i = this.#ids.get(id);
    if (i === undefined) {
      throw new LineageError(
        'NODE_NOT_FOUND',
        `lineage/${operation}: node ${describeValue(id)} is not in the graph`,
        { details: { node: id } },
      );
    }
    return i;
  }

  /** @internal Name of an integer id. */
  nameAt(i: number): string {
    return this.#names[i] as string;
  }

  /** @internal Layer of an integer id. */
  layerAt(i: number): string | undefined {
    return this.#layer[i];
  }

  /** @internal Owner of an integer id. */
  ownerAt(i: number): string | undefined {
    return this.#owner[i];
  }

  /** @internal Node (with attributes) of an integer id. */
  nodeAt(i: number): LineageNode {
    const n: { id: string; layer?: string; owner?: string; kind?: string } = {
      id: this.#names[i] as string,
    };
    const layer = this.#layer[i];
    const owner = this.#owner[i];
    const kind = this.#kind[i];
    if (layer !== undefined) n.layer = layer;
    if (owner !== undefined) n.owner = owner;
    if (kind !== undefined) n.kind = kind;
    return n;
  }

  /** @internal Tasks on the edges from integer id `s` to `t`. */
  tasksBetween(s: number, t: number): string[] {
    const p = this.#pairKeys.get(s, t);
    if (p === -1) return [];
    const packed = this.#pairLinks[p];
    if (packed === undefined) return [];
    if (typeof packed === 'string') return [packed];
    const out: string[] = [];
    for (const l of this.#unpackAt(p)) if (l.task !== undefined) out.push(l.task);
    return out;
  }

  /** @internal A value cached until the graph next changes. */
  cached<T>(key: string, compute: () => T): T {
    if (this.#cache.has(key)) return this.#cache.get(key) as T;
    const v = compute();
    this.#cache.set(key, v);
    return v;
  }

  /**
   * @internal Traversal buffers sized to the graph, with a fresh epoch: a node is visited
   * when `stamp[i] === epoch`. Valid until the next call; queries are synchronous.
   */
  visitBuffers(): VisitBuffers {
    const n = this.#names.length;
    let b = this.#buffers;
    if (b === undefined || b.stamp.length < n) {
      const size = Math.max(n, 16);
      b = {
        stamp: new Uint32Array(size),
        dist: new Int32Array(size),
        parent: new Int32Array(size),
        queue: new Int32Array(size),
        epoch: 0,
      };
      this.#buffers = b;
    }
    b.epoch++;
    if (b.epoch === 0xffffffff) {
      b.stamp.fill(0);
      b.epoch = 1;
    }
    return b;
  }

  /**
   * The bulk path of {@link LineageGraph.fromEdges}: new table pairs whose edge carries at most a
   * task are appended without the per-edge bookkeeping of addEdge (the common case when loading
   * a whole warehouse); anything else goes through addEdge.
   */
  #bulkAdd(edges: Iterable<LineageEdge>): void {
    const list = Array.isArray(edges) ? (edges as ReadonlyArray<LineageEdge>) : [...edges];
    const ids = this.#ids;
    const keys = this.#pairKeys;
    const links = this.#pairLinks;
    let pairSrc = this.#pairSrc;
    let pairDst = this.#pairDst;
    let pairAlive = this.#pairAlive;
    let pairProv = this.#pairProv;
    let total = this.#pairTotal;
    let lastTarget: string | undefined;
    let lastTargetId = -1;
    let added = 0;
    // Malformed edges, edges with metadata and repeated pairs take the careful path, in order.
    const careful = (e: LineageEdge): void => {
      this.#pairSrc = pairSrc;
      this.#pairDst = pairDst;
      this.#pairAlive = pairAlive;
      this.#pairProv = pairProv;
      this.#pairTotal = total;
      this.#pairCount += added;
      this.#linkCount += added;
      added = 0;
      this.addEdge(e);
      pairSrc = this.#pairSrc;
      pairDst = this.#pairDst;
      pairAlive = this.#pairAlive;
      pairProv = this.#pairProv;
      total = this.#pairTotal;
    };
    for (let k = 0; k < list.length; k++) {
      const fast = list[k] as Partial<LineageEdge> | null;
      if (
        fast === null ||
        typeof fast !== 'object' ||
        typeof fast.source !== 'string' ||
        fast.source.length === 0 ||
        typeof fast.target !== 'string' ||
        fast.target.length === 0 ||
        (fast.task !== undefined && typeof fast.task !== 'string') ||
        (fast.provenance !== undefined && !PROVENANCES.has(fast.provenance)) ||
        (fast.columns !== undefined && !validColumns(fast.columns))
      ) {
        careful(fast as LineageEdge);
        continue;
      }
      let s = ids.get(fast.source);
      if (s === undefined) s = this.#intern(fast.source);
      let t: number;
      if (fast.target === lastTarget) t = lastTargetId;
      else {
        const known = ids.get(fast.target);
        t = known === undefined ? this.#intern(fast.target) : known;
        lastTarget = fast.target;
        lastTargetId = t;
      }
      if (keys.getOrInsert(s, t, total) !== -1) {
        careful(fast as LineageEdge);
        continue;
      }
      if (total >= pairSrc.length) {
        pairSrc = growInt32(pairSrc, total + 1);
        pairDst = growInt32(pairDst, total + 1);
        pairAlive = growUint8(pairAlive, total + 1);
        pairProv = growUint8(pairProv, total + 1);
      }
      pairSrc[total] = s;
      pairDst[total] = t;
      pairAlive[total] = 1;
      if (fast.columns === undefined) {
        links.push(fast.task);
        pairProv[total] = provenanceCode(fast.provenance);
      } else {
        links.push(linkOf(fast as LineageEdge));
        pairProv[total] = 0;
      }
      total++;
      added++;
    }
    this.#pairSrc = pairSrc;
    this.#pairDst = pairDst;
    this.#pairAlive = pairAlive;
    this.#pairProv = pairProv;
    this.#pairTotal = total;
    this.#pairCount += added;
    this.#linkCount += added;
    this.#touch(true);
  }

  #unpackAt(p: number): EdgeLink[] {
    const v = this.#pairLinks[p];
    if (v === undefined || typeof v === 'string') {
      const provenance = PROVENANCE_CODES[this.#pairProv[p] as number];
      if (v === undefined && provenance === undefined) return [BARE];
      const link: { task?: string; provenance?: Provenance } = {};
      if (v !== undefined) link.task = v;
      if (provenance !== undefined) link.provenance = provenance;
      return [link];
    }
    return Array.isArray(v) ? [...v] : [v];
  }

  #packAt(p: number, links: EdgeLink[]): void {
    const only = links.length === 1 ? (links[0] as EdgeLink) : undefined;
    if (only !== undefined && only.columns === undefined) {
      this.#pairLinks[p] = only.task;
      this.#pairProv[p] = provenanceCode(only.provenance);
    } else {
      this.#pairLinks[p] = only ?? links;
      this.#pairProv[p] = 0;
    }
  }

  #reserve(pairs: number): void {
    this.#pairKeys = new PairTable(pairs);
    this.#pairSrc = new Int32Array(Math.max(16, pairs));
    this.#pairDst = new Int32Array(Math.max(16, pairs));
    this.#pairAlive = new Uint8Array(Math.max(16, pairs));
    this.#pairProv = new Uint8Array(Math.max(16, pairs));
  }

  #intern(name: string): number {
    let i = this.#ids.get(name);
    if (i !== undefined) return i;
    i = this.#names.length;
    this.#ids.set(name, i);
    this.#names.push(name);
    this.#alive = growUint8(this.#alive, i + 1);
    this.#alive[i] = 1;
    this.#layer.push(undefined);
    this.#owner.push(undefined);
    this.#kind.push(undefined);
    this.#nodeCount++;
    this.#touch(true);
    return i;
  }

  #dropPair(p: number): void {
    if (this.#pairAlive[p] !== 1) return;
    this.#pairAlive[p] = 0;
    this.#pairKeys.set(this.#pairSrc[p] as number, this.#pairDst[p] as number, -1);
    this.#linkCount -= packedCount(this.#pairLinks[p]);
    this.#pairLinks[p] = undefined;
    this.#pairProv[p] = 0;
    this.#pairCount--;
  }

  #pushPairEdges(p: number, out: LineageEdge[]): void {
    if (this.#pairAlive[p] !== 1) return;
    const source = this.#names[this.#pairSrc[p] as number] as string;
    const target = this.#names[this.#pairDst[p] as number] as string;
    for (const l of this.#unpackAt(p)) {
      const e: { -readonly [K in keyof LineageEdge]: LineageEdge[K] } = { source, target };
      if (l.task !== undefined) e.task = l.task;
      if (l.provenance !== undefined) e.provenance = l.provenance;
      if (l.columns !== undefined) e.columns = l.columns.map((c) => ({ ...c }));
      out.push(e);
    }
  }

  #touch(structural: boolean): void {
    this.#version++;
    if (this.#cache.size > 0) this.#cache.clear();
    if (structural) this.#index = undefined;
  }

  #buildIndex(): GraphIndex {
    const n = this.#names.length;
    const m = this.#pairCount;
    const outOffsets = new Int32Array(n + 1);
    const inOffsets = new Int32Array(n + 1);
    const src = this.#pairSrc;
    const dst = this.#pairDst;
    const alive = this.#pairAlive;
    const total = this.#pairTotal;
    for (let p = 0; p < total; p++) {
      if (alive[p] !== 1) continue;
      const so = (src[p] as number) + 1;
      const di = (dst[p] as number) + 1;
      outOffsets[so] = (outOffsets[so] as number) + 1;
      inOffsets[di] = (inOffsets[di] as number) + 1;
    }
    for (let i = 0; i < n; i++) {
      outOffsets[i + 1] = (outOffsets[i + 1] as number) + (outOffsets[i] as number);
      inOffsets[i + 1] = (inOffsets[i + 1] as number) + (inOffsets[i] as number);
    }
    const outTargets = new Int32Array(m);
    const inSources = new Int32Array(m);
    const outFill = outOffsets.slice(0, n);
    const inFill = inOffsets.slice(0, n);
    for (let p = 0; p < total; p++) {
      if (alive[p] !== 1) continue;
      const s = src[p] as number;
      const t = dst[p] as number;
      const o = outFill[s] as number;
      outTargets[o] = t;
      outFill[s] = o + 1;
      const r = inFill[t] as number;
      inSources[r] = s;
      inFill[t] = r + 1;
    }
    return {
      n,
      alive: this.#alive.slice(0, n),
      outOffsets,
      outTargets,
      inOffsets,
      inSources,
    };
  }
}
