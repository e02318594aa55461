import { describe, expect, it } from 'vitest';
import {
  checkLayerRules,
  diff,
  downstream,
  findCreatedCycle,
  findCycle,
  forEachInTopologicalOrder,
  fromPortalJson,
  hasCycle,
  impact,
  isLineageError,
  type LineageError,
  LineageGraph,
  paths,
  stronglyConnectedComponents,
  subgraph,
  toDot,
  toMermaid,
  toPortalJson,
  topologicalGenerations,
  topologicalSort,
  upstream,
  wouldCreateCycle,
} from '../src/index';

const E = (pairs: string): Array<{ source: string; target: string }> =>
  pairs
    .split(/\s+/)
    .filter(Boolean)
    .map((p) => {
      const [source, target] = p.split('>') as [string, string];
      return { source, target };
    });

const graphs = {
  empty: () => new LineageGraph(),
  single: () => new LineageGraph().addNode('a'),
  selfLoop: () => LineageGraph.fromEdges(E('a>a')),
  path: () => LineageGraph.fromEdges(E('a>b b>c c>d')),
  diamond: () => LineageGraph.fromEdges(E('a>b a>c b>d c>d')),
  disconnected: () => LineageGraph.fromEdges(E('a>b c>d')),
  cycle: () => LineageGraph.fromEdges(E('a>b b>c c>a c>d')),
};

function expectCode(fn: () => unknown, code: string): LineageError {
  try {
    fn();
  } catch (err) {
    expect(isLineageError(err)).toBe(true);
    expect((err as LineageError).code).toBe(code);
    return err as LineageError;
  }
  throw new Error('expected a LineageError');
}

describe('LineageGraph', () => {
  it('counts nodes and edges, keeping edges of different tasks apart', () => {
    const g = LineageGraph.fromEdges([
      { source: 'a', target: 'b', task: 't1' },
      { source: 'a', target: 'b', task: 't2' },
      { source: 'a', target: 'b', task: 't1', provenance: 'parsed' },
    ]);
    expect(g.order).toBe(2);
    expect(g.size).toBe(2);
    expect(g.successors('a')).toEqual(['b']);
    expect(g.edgesBetween('a', 'b')).toEqual([
      { source: 'a', target: 'b', task: 't1', provenance: 'parsed' },
      { source: 'a', target: 'b', task: 't2' },
    ]);
  });

  it('removes edges by task or all at once, and nodes with their edges', () => {
    const g = LineageGraph.fromEdges([
      { source: 'a', target: 'b', task: 't1' },
      { source: 'a', target: 'b', task: 't2' },
      { source: 'b', target: 'c' },
    ]);
    expect(g.removeEdge('a', 'b', 't1')).toBe(true);
    expect(g.hasEdge('a', 'b')).toBe(true);
    expect(g.removeEdge('a', 'b', 'nope')).toBe(false);
    expect(g.removeEdge('a', 'b')).toBe(true);
    expect(g.hasEdge('a', 'b')).toBe(false);
    expect(downstream(g, 'a').nodes).toEqual([]);
    expect(g.removeNode('b')).toBe(true);
    expect(g.size).toBe(0);
    expect(g.nodes()).toEqual(['a', 'c']);
    g.addEdge({ source: 'c', target: 'b' });
    expect(upstream(g, 'b').nodes.map((n) => n.id)).toEqual(['c']);
  });

  it('round-trips through JSON with attributes, tasks, provenance and columns', () => {
    const g = LineageGraph.fromEdges(
      [
        {
          source: 'ods.o',
          target: 'dwd.o',
          task: 'clean',
          provenance: 'declared',
          columns: [{ source: 'id', target: 'order_id' }],
        },
      ],
      [{ id: 'ods.o', layer: 'ODS', owner: 'al', kind: 'table' }, { id: 'lonely' }],
    );
    const back = LineageGraph.fromJSON(JSON.parse(JSON.stringify(g)));
    expect(back.toJSON()).toEqual(g.toJSON());
    expect(diff(g, back).equal).toBe(true);
  });

  it('rejects malformed input with INVALID_ARGUMENT', () => {
    expectCode(() => new LineageGraph().addEdge({ source: '', target: 'b' }), 'INVALID_ARGUMENT');
    expectCode(() => LineageGraph.fromJSON({ nodes: 3, edges: [] }), 'INVALID_ARGUMENT');
    expectCode(
      () => LineageGraph.fromJSON({ edges: [{ source: 'a', target: 'b', provenance: 'guess' }] }),
      'INVALID_ARGUMENT',
    );
    expectCode(() => downstream(graphs.path(), 'a', { depth: -1 }), 'INVALID_ARGUMENT');
    expectCode(() => downstream(graphs.path(), 'a', { perHopLimit: 0 }), 'INVALID_ARGUMENT');
  });

  it('copies any GraphLike', () => {
    const g = LineageGraph.from({
      nodes: () => ['x', 'y'],
      successors: (n) => (n === 'x' ? ['y'] : []),
    });
    expect(g.edges()).toEqual([{ source: 'x', target: 'y' }]);
  });
});

describe('downstream / upstream', () => {
  it('throws NODE_NOT_FOUND for an unknown table', () => {
    const err = expectCode(() => downstream(graphs.empty(), 'nope'), 'NODE_NOT_FOUND');
    expect(err.details.node).toBe('nope');
  });

  it.each([
    ['single', 'a', []],
    ['selfLoop', 'a', []],
    [
      'path',
      'a',
      [
        ['b', 1],
        ['c', 2],
        ['d', 3],
      ],
    ],
    [
      'diamond',
      'a',
      [
        ['b', 1],
        ['c', 1],
        ['d', 2],
      ],
    ],
    ['disconnected', 'a', [['b', 1]]],
    [
      'cycle',
      'a',
      [
        ['b', 1],
        ['c', 2],
        ['d', 3],
      ],
    ],
  ] as const)('walks the %s graph from %s', (name, start, expected) => {
    const r = downstream(graphs[name](), start);
    expect(r.nodes.map((n) => [n.id, n.distance])).toEqual(expected);
    expect(r.truncated).toBe(false);
  });

  it('reports cycles only when a visited table lies on one', () => {
    expect(downstream(graphs.cycle(), 'a').cycleDetected).toBe(true);
    expect(downstream(graphs.selfLoop(), 'a').cycleDetected).toBe(true);
    expect(downstream(graphs.cycle(), 'd').cycleDetected).toBe(false);
    expect(downstream(graphs.diamond(), 'a').cycleDetected).toBe(false);
  });

  it('has exact depth semantics', () => {
    const g = graphs.path();
    expect(downstream(g, 'a', { depth: 0 }).nodes).toEqual([]);
    expect(downstream(g, 'a', { depth: 0 }).depthLimited).toBe(true);
    const one = downstream(g, 'a', { depth: 1 });
    expect(one.nodes.map((n) => n.id)).toEqual(['b']);
    expect(one.depthLimited).toBe(true);
    expect(one.maxDistance).toBe(1);
    const three = downstream(g, 'a', { depth: 3 });
    expect(three.nodes.map((n) => n.id)).toEqual(['b', 'c', 'd']);
    expect(three.depthLimited).toBe(false);
    expect(upstream(g, 'd', { depth: 2 }).nodes.map((n) => [n.id, n.distance])).toEqual([
      ['c', 1],
      ['b', 2],
    ]);
  });

  it('caps total nodes and fan-out per hop and says so', () => {
    const g = LineageGraph.fromEdges(E('r>a r>b r>c a>d b>e c>f'));
    const capped = downstream(g, 'r', { maxNodes: 4 });
    expect(capped.nodes).toHaveLength(4);
    expect(capped.truncated).toBe(true);
    expect(capped.truncatedBy).toEqual(['maxNodes']);
    const hop = downstream(g, 'r', { perHopLimit: 2 });
    expect(hop.nodes.map((n) => n.id)).toEqual(['a', 'b', 'd', 'e']);
    expect(hop.truncatedBy).toEqual(['perHopLimit']);
    expect(downstream(g, 'r', { maxNodes: 6 }).truncated).toBe(false);
  });

  it('never reports a node dropped by perHopLimit at a longer distance', () => {
    const g = LineageGraph.fromEdges(E('r>a r>b a>b'));
    const r = downstream(g, 'r', { perHopLimit: 1 });
    expect(r.nodes).toEqual([{ id: 'a', distance: 1 }]);
    expect(r.truncated).toBe(true);
  });

  it('filters by layer without changing distances', () => {
    const g = LineageGraph.fromEdges(E('o>w w>s s>x'), [
      { id: 'o', layer: 'ODS' },
      { id: 'w', layer: 'DWD' },
      { id: 's', layer: 'DWS' },
      { id: 'x', layer: 'ADS' },
    ]);
    const r = downstream(g, 'o', { layers: ['DWS', 'ADS'] });
    expect(r.nodes).toEqual([
      { id: 's', distance: 2, layer: 'DWS' },
      { id: 'x', distance: 3, layer: 'ADS' },
    ]);
  });

  it('never mutates the graph', () => {
    const g = graphs.cycle();
    const before = JSON.stringify(g);
    downstream(g, 'a');
    upstream(g, 'd', { depth: 1 });
    impact(g, 'a');
    paths(g, 'a', 'd');
    findCycle(g);
    stronglyConnectedComponents(g);
    checkLayerRules(g);
    subgraph(g, ['a', 'b']);
    toMermaid(g);
    expect(JSON.stringify(g)).toBe(before);
  });
});

describe('impact', () => {
  it('groups affected tables by layer and distance with tasks and owners', () => {
    const g = LineageGraph.fromEdges(
      [
        { source: 'ods.o', target: 'dwd.o', task: 'clean_o' },
        { source: 'dwd.o', target: 'dws.s', task: 'agg_s' },
        { source: 'dim.c', target: 'dws.s', task: 'agg_s_dim' },
        { source: 'dws.s', target: 'ads.r', task: 'report' },
        { source: 'dwd.o', target: 'ads.r', task: 'report' },
      ],
      [
        { id: 'dwd.o', layer: 'DWD', owner: 'ann' },
        { id: 'dws.s', layer: 'DWS', owner: 'bob' },
        { id: 'ads.r', layer: 'ADS', owner: 'ann' },
      ],
    );
    const r = impact(g, 'ods.o');
    expect(r.tables.map((t) => [t.id, t.distance, t.tasks])).toEqual([
      ['dwd.o', 1, ['clean_o']],
      ['dws.s', 2, ['agg_s']],
      ['ads.r', 2, ['report']],
    ]);
    expect(r.groups).toEqual([
      { layer: 'DWD', distance: 1, tables: ['dwd.o'] },
      { layer: 'DWS', distance: 2, tables: ['dws.s'] },
      { layer: 'ADS', distance: 2, tables: ['ads.r'] },
    ]);
    expect(r.tasks).toEqual([
      { task: 'agg_s', tables: ['dws.s'] },
      { task: 'clean_o', tables: ['dwd.o'] },
      { task: 'report', tables: ['ads.r'] },
    ]);
    expect(r.owners).toEqual([
      { owner: 'ann', tables: ['dwd.o', 'ads.r'] },
      { owner: 'bob', tables: ['dws.s'] },
    ]);
  });
});

describe('paths', () => {
  it('finds the shortest path and every simple path', () => {
    const r = paths(graphs.diamond(), 'a', 'd');
    expect(r.shortest).toEqual(['a', 'b', 'd']);
    expect(r.paths).toEqual([
      ['a', 'b', 'd'],
      ['a', 'c', 'd'],
    ]);
    expect(r.complete).toBe(true);
  });

  it('handles unreachable targets, the same node, bounds and cycles', () => {
    expect(paths(graphs.disconnected(), 'a', 'd')).toMatchObject({ shortest: null, paths: [] });
    expect(paths(graphs.path(), 'b', 'b').paths).toEqual([['b']]);
    const bounded = paths(graphs.diamond(), 'a', 'd', { max: 1 });
    expect(bounded.paths).toHaveLength(1);
    expect(bounded.complete).toBe(false);
    const short = paths(graphs.path(), 'a', 'd', { maxLength: 2 });
    expect(short.paths).toEqual([]);
    expect(short.complete).toBe(false);
    expect(paths(graphs.cycle(), 'a', 'd').paths).toEqual([['a', 'b', 'c', 'd']]);
    expect(paths(graphs.cycle(), 'b', 'a').shortest).toEqual(['b', 'c', 'a']);
  });
});

describe('cycles', () => {
  it.each([
    ['empty', null],
    ['single', null],
    ['selfLoop', ['a', 'a']],
    ['path', null],
    ['diamond', null],
    ['disconnected', null],
    ['cycle', ['a', 'b', 'c', 'a']],
  ] as const)('findCycle on %s', (name, expected) => {
    expect(findCycle(graphs[name]())).toEqual(expected);
    expect(hasCycle(graphs[name]())).toBe(expected !== null);
  });

  it('finds a cycle through a given node', () => {
    expect(findCycle(graphs.cycle(), 'c')).toEqual(['c', 'a', 'b', 'c']);
    expect(findCycle(graphs.cycle(), 'd')).toBeNull();
  });

  it('labels strongly connected components', () => {
    expect(stronglyConnectedComponents(graphs.cycle())).toEqual([['a', 'b', 'c'], ['d']]);
    expect(stronglyConnectedComponents(graphs.selfLoop(), { cyclicOnly: true })).toEqual([['a']]);
    expect(stronglyConnectedComponents(graphs.diamond(), { cyclicOnly: true })).toEqual([]);
    expect(stronglyConnectedComponents(graphs.empty())).toEqual([]);
  });

  it('checks new edges incrementally, also edges between new tables', () => {
    const g = graphs.path();
    expect(findCreatedCycle(g, E('d>a'))).toEqual(['d', 'a', 'b', 'c', 'd']);
    expect(wouldCreateCycle(g, E('a>d'))).toBe(false);
    expect(findCreatedCycle(g, E('x>x'))).toEqual(['x', 'x']);
    expect(findCreatedCycle(g, E('d>x x>a'))).toEqual(['d', 'x', 'a', 'b', 'c', 'd']);
    expect(wouldCreateCycle(g, E('x>y y>z'))).toBe(false);
    expect(g.hasNode('x')).toBe(false);
  });
});

describe('topological order', () => {
  it('orders and groups a DAG', () => {
    expect(topologicalSort(graphs.diamond())).toEqual(['a', 'b', 'c', 'd']);
    expect(topologicalGenerations(graphs.diamond())).toEqual([['a'], ['b', 'c'], ['d']]);
    expect(topologicalGenerations(graphs.disconnected())).toEqual([
      ['a', 'c'],
      ['b', 'd'],
    ]);
    expect(topologicalSort(graphs.empty())).toEqual([]);
    const seen: string[] = [];
    forEachInTopologicalOrder(graphs.path(), (n, i) => seen.push(`${i}:${n}`));
    expect(seen).toEqual(['0:a', '1:b', '2:c', '3:d']);
  });

  it.each(['cycle', 'selfLoop'] as const)('throws CYCLE_DETECTED with the path on %s', (name) => {
    const err = expectCode(() => topologicalSort(graphs[name]()), 'CYCLE_DETECTED');
    const cycle = err.details.cycle ?? [];
    expect(cycle.length).toBeGreaterThan(1);
    expect(cycle[0]).toBe(cycle[cycle.length - 1]);
    expectCode(() => topologicalGenerations(graphs[name]()), 'CYCLE_DETECTED');
  });
});

describe('checkLayerRules', () => {
  const layered = () =>
    LineageGraph.fromEdges(
      [
        { source: 'ods.a', target: 'dwd.a' },
        { source: 'dwd.a', target: 'dim.a' },
        { source: 'dim.a', target: 'dws.a' },
        { source: 'dws.a', target: 'ads.a' },
        { source: 'dws.a', target: 'dwd.b', task: 'oops' },
        { source: 'ods.a', target: 'ads.b' },
        { source: 'dwd.a', target: 'dwd.b' },
        { source: 'x', target: 'ads.a' },
      ],
      [
        { id: 'ods.a', layer: 'ODS' },
        { id: 'dwd.a', layer: 'DWD' },
        { id: 'dwd.b', layer: 'DWD' },
        { id: 'dim.a', layer: 'DIM' },
        { id: 'dws.a', layer: 'DWS' },
        { id: 'ads.a', layer: 'ADS' },
        { id: 'ads.b', layer: 'ADS' },
      ],
    );

  it('reports backward edges and ODS to ADS shortcuts by default', () => {
    const r = checkLayerRules(layered());
    expect(r.ok).toBe(false);
    expect(r.violations.map((v) => [v.source, v.target, v.rule, v.tasks])).toEqual([
      ['ods.a', 'ads.b', 'FORBIDDEN', []],
      ['dws.a', 'dwd.b', 'BACKWARD', ['oops']],
    ]);
    expect(r.violations.every((v) => v.reason.length > 0)).toBe(true);
    expect(r.checkedEdges).toBe(8);
  });

  it('applies a custom policy', () => {
    const r = checkLayerRules(layered(), {
      ranks: { ODS: 0, DWD: 1, DIM: 2, DWS: 3, ADS: 4 },
      noSameLayer: ['DWD'],
      requireLayers: true,
    });
    expect(r.violations.map((v) => v.rule).sort()).toEqual([
      'BACKWARD',
      'SAME_LAYER',
      'UNKNOWN_LAYER',
    ]);
  });
});

describe('subgraph and diff', () => {
  it('extracts an induced subgraph with attributes', () => {
    const g = LineageGraph.fromEdges(
      [
        { source: 'a', target: 'b', task: 't' },
        { source: 'b', target: 'c' },
      ],
      [{ id: 'b', layer: 'DWD' }],
    );
    const s = subgraph(g, ['a', 'b', 'zzz']);
    expect(s.toJSON()).toEqual({
      version: 1,
      nodes: [{ id: 'b', layer: 'DWD' }, { id: 'a' }],
      edges: [{ source: 'a', target: 'b', task: 't' }],
    });
    expect(subgraph(g, (n) => n.layer === 'DWD').nodes()).toEqual(['b']);
  });

  it('diffs nodes and edges', () => {
    const a = LineageGraph.fromEdges(
      [
        { source: 'a', target: 'b' },
        { source: 'b', target: 'c', provenance: 'declared' },
      ],
      [{ id: 'a', layer: 'ODS' }],
    );
    const b = LineageGraph.fromEdges(
      [
        { source: 'b', target: 'c', provenance: 'parsed' },
        { source: 'c', target: 'd' },
      ],
      [{ id: 'a', layer: 'DWD' }],
    );
    const d = diff(a, b);
    expect(d.addedNodes).toEqual([{ id: 'd' }]);
    expect(d.removedNodes).toEqual([]);
    expect(d.changedNodes).toEqual([
      { before: { id: 'a', layer: 'ODS' }, after: { id: 'a', layer: 'DWD' } },
    ]);
    expect(d.addedEdges).toEqual([{ source: 'c', target: 'd' }]);
    expect(d.removedEdges).toEqual([{ source: 'a', target: 'b' }]);
    expect(d.changedEdges).toHaveLength(1);
    expect(d.equal).toBe(false);
  });
});

describe('exports', () => {
  const g = () =>
    LineageGraph.fromEdges(
      [{ source: 'ods."o"', target: 'dwd.o', task: 't' }],
      [{ id: 'ods."o"', layer: 'ODS' }],
    );

  it('round-trips the portal JSON shape', () => {
    const json = toPortalJson(g());
    expect(json).toEqual({
      nodes: [
        { id: 'ods."o"', layer: 'ODS' },
        { id: 'dwd.o', layer: null },
      ],
      edges: [{ source: 'ods."o"', target: 'dwd.o' }],
    });
    expect(toPortalJson(fromPortalJson(JSON.parse(JSON.stringify(json))))).toEqual(json);
    expectCode(() => fromPortalJson({ nodes: 'x' }), 'INVALID_ARGUMENT');
  });

  it('renders Mermaid with safe ids and escaped labels', () => {
    expect(toMermaid(g(), { edgeLabels: true })).toBe(
      ['flowchart LR', '  n0["ods.#quot;o#quot;"]', '  n1["dwd.o"]', '  n0 -->|"t"| n1'].join('\n'),
    );
    expect(toMermaid(g(), { groupByLayer: true })).toContain('subgraph L0["ODS"]');
  });

  it('renders DOT with quoted names', () => {
    const dot = toDot(g());
    expect(dot).toContain('"ods.\\"o\\"" -> "dwd.o";');
    expect(dot.startsWith('digraph "lineage" {')).toBe(true);
    expect(toDot(g(), { clusterByLayer: true })).toContain('subgraph "cluster_ODS"');
  });
});
