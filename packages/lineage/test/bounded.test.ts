import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  downstream,
  impact,
  LineageGraph,
  type PathsOptions,
  paths,
  type TraversalOptions,
  upstream,
} from '../src/index';

type Pair = [number, number];

/** Shortest hop counts from `from` by plain BFS over an adjacency list (no library code). */
function bfs(pairs: ReadonlyArray<Pair>, from: number, reverse = false): Map<number, number> {
  const adj = new Map<number, number[]>();
  for (const [a, b] of pairs) {
    const [x, y] = reverse ? [b, a] : [a, b];
    const list = adj.get(x);
    if (list === undefined) adj.set(x, [y]);
    else list.push(y);
  }
  const dist = new Map<number, number>([[from, 0]]);
  const queue = [from];
  for (let h = 0; h < queue.length; h++) {
    const v = queue[h] as number;
    for (const w of adj.get(v) ?? []) {
      if (dist.has(w)) continue;
      dist.set(w, (dist.get(v) as number) + 1);
      queue.push(w);
    }
  }
  return dist;
}

const build = (pairs: ReadonlyArray<Pair>, n: number): LineageGraph =>
  LineageGraph.fromEdges(
    pairs.map(([a, b]) => ({ source: `n${a}`, target: `n${b}` })),
    Array.from({ length: n }, (_, i) => ({ id: `n${i}`, layer: i % 3 === 0 ? 'DWS' : 'DWD' })),
  );

/**
 * A graph with a large strongly connected group: a cycle through `core` of the `n` tables, dense
 * chords inside it, a few tables outside feeding in and out, self loops and duplicate edges.
 */
const sccGraph = fc
  .record({
    n: fc.integer({ min: 30, max: 300 }),
    coreShare: fc.double({ min: 0.5, max: 0.9, noNaN: true }),
    chords: fc.integer({ min: 1, max: 4 }),
    seed: fc.integer(),
  })
  .map(({ n, coreShare, chords, seed }) => {
    let x = seed >>> 0 || 1;
    const rnd = (k: number): number => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) % k;
    };
    const core = Math.max(3, Math.floor(n * coreShare));
    const pairs: Pair[] = [];
    for (let i = 0; i < core; i++) pairs.push([i, (i + 1) % core]);
    for (let i = 0; i < core * chords; i++) pairs.push([rnd(core), rnd(core)]);
    for (let i = core; i < n; i++) {
      pairs.push(rnd(2) === 0 ? [i, rnd(core)] : [rnd(core), i]);
      if (rnd(4) === 0) pairs.push([i, rnd(n)]);
    }
    pairs.push([0, 0], [1, 2], [1, 2]);
    return { n, pairs };
  });

const pathsOptions: fc.Arbitrary<PathsOptions> = fc.record(
  {
    max: fc.constantFrom(0, 1, 5, 100),
    maxLength: fc.constantFrom(1, 3, 8, 40, Number.POSITIVE_INFINITY),
    budget: fc.constantFrom(0, 50, 1_000, 20_000, 200_000),
  },
  { requiredKeys: [] },
);

describe('bounded path search', () => {
  it('answers the large-cycle case of the issue at once: default bounds, shortest intact', () => {
    // 300 tables, 212 of them in one strongly connected group; the shortest path is 2 hops.
    const pairs: Pair[] = [];
    for (let i = 0; i < 212; i++) {
      pairs.push([i, (i + 1) % 212], [i, (i * 7 + 3) % 212], [i, (i * 13 + 5) % 212]);
    }
    for (let i = 212; i < 300; i++) pairs.push([i % 212, i], [i, (i * 3) % 212]);
    pairs.push([0, 250], [250, 299]);
    const g = build(pairs, 300);
    for (const opts of [{}, { max: 1 }, { max: 1000 }] as PathsOptions[]) {
      const r = paths(g, 'n0', 'n299', opts);
      expect(r.shortest).toHaveLength(3);
      expect(r.expansions).toBeLessThanOrEqual(1_000_000);
      expect(r.truncated).toBe(true);
      expect(r.complete).toBe(false);
    }
    // Unbounded length and count: exponentially many simple paths, so the budget stops it.
    for (const budget of [5_000, undefined]) {
      const r = paths(g, 'n0', 'n299', {
        max: 1_000_000_000,
        maxLength: Number.POSITIVE_INFINITY,
        ...(budget === undefined ? {} : { budget }),
      });
      expect(r.expansions).toBeLessThanOrEqual(budget ?? 1_000_000);
      expect(r.truncatedBy).toEqual(['budget']);
      expect(r.shortest).toHaveLength(3);
    }
  });

  it('on random graphs with large strongly connected groups, every call stays within its budget', () => {
    fc.assert(
      fc.property(sccGraph, pathsOptions, fc.nat(), fc.nat(), ({ n, pairs }, opts, a, b) => {
        const g = build(pairs, n);
        const s = a % n;
        const t = b % n;
        const r = paths(g, `n${s}`, `n${t}`, opts);
        const budget = opts.budget ?? 1_000_000;
        const max = opts.max ?? 100;
        const maxLength = opts.maxLength ?? 20;
        expect(r.expansions).toBeLessThanOrEqual(budget);
        expect(r.paths.length).toBeLessThanOrEqual(max);
        expect(r.truncated).toBe(!r.complete);
        expect(r.truncated).toBe(r.truncatedBy.length > 0);
        for (const p of r.paths) {
          expect(p.length - 1).toBeLessThanOrEqual(maxLength);
          expect(new Set(p).size).toBe(p.length);
          for (let i = 0; i + 1 < p.length; i++) {
            expect(g.hasEdge(p[i] as string, p[i + 1] as string)).toBe(true);
          }
        }
        const d = bfs(pairs, s).get(t);
        if (r.shortest !== null) {
          expect(r.shortest.length - 1).toBe(d);
        } else if (!r.truncatedBy.includes('budget')) {
          expect(d).toBeUndefined();
        }
      }),
      { numRuns: 150 },
    );
  });

  it('finds every simple path when no bound cuts the search', () => {
    const small = fc.array(
      fc.tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 7 })),
      { maxLength: 20 },
    ) as fc.Arbitrary<Pair[]>;
    fc.assert(
      fc.property(small, fc.nat(7), fc.nat(7), (pairs, s, t) => {
        const g = build(pairs, 8);
        const r = paths(g, `n${s}`, `n${t}`, { max: 10_000, maxLength: Number.POSITIVE_INFINITY });
        expect(r.complete).toBe(true);
        // Brute force: every simple path by recursion over a tiny graph.
        const edges = [...new Set(pairs.map(([x, y]) => `${x},${y}`))].map(
          (k) => k.split(',').map(Number) as Pair,
        );
        const all: string[] = [];
        const walk = (path: number[]): void => {
          const v = path[path.length - 1] as number;
          if (v === t) {
            all.push(path.join('>'));
            return;
          }
          for (const [x, y] of edges) if (x === v && !path.includes(y)) walk([...path, y]);
        };
        walk([s]);
        expect(r.paths.map((p) => p.map((x) => x.slice(1)).join('>')).sort()).toEqual(all.sort());
      }),
    );
  });

  it('rejects a malformed budget', () => {
    const g = build([[0, 1]], 2);
    expect(() => paths(g, 'n0', 'n1', { budget: -1 })).toThrow(/budget/);
    expect(() => downstream(g, 'n0', { budget: 1.5 })).toThrow(/budget/);
  });
});

describe('traversal distances and budgets', () => {
  it('reports true shortest distances under perHopLimit (the issue example)', () => {
    const g = LineageGraph.fromEdges(
      ['root>a', 'root>b', 'b>c', 'a>d', 'd>c'].map((e) => {
        const [source, target] = e.split('>') as [string, string];
        return { source, target };
      }),
    );
    const all = downstream(g, 'root');
    expect(all.nodes.find((x) => x.id === 'c')?.distance).toBe(2);
    for (const perHopLimit of [1, 2, 3]) {
      const r = downstream(g, 'root', { perHopLimit });
      for (const node of r.nodes) {
        expect(node.distance).toBe(all.nodes.find((x) => x.id === node.id)?.distance);
      }
    }
    expect(downstream(g, 'root', { perHopLimit: 1 }).truncatedBy).toEqual(['perHopLimit']);
  });

  const options: fc.Arbitrary<TraversalOptions> = fc.record(
    {
      depth: fc.constantFrom(0, 1, 2, 4, Number.POSITIVE_INFINITY),
      maxNodes: fc.constantFrom(0, 1, 3, 10, 1000),
      perHopLimit: fc.constantFrom(1, 2, 5, 1000),
      layers: fc.constantFrom(['DWS'], ['DWD', 'DWS']),
      budget: fc.constantFrom(0, 5, 40, 500, 100_000),
    },
    { requiredKeys: [] },
  );

  it('every returned distance is the true shortest hop count, and every bound holds', () => {
    fc.assert(
      fc.property(sccGraph, options, fc.nat(), fc.boolean(), ({ n, pairs }, opts, a, up) => {
        const g = build(pairs, n);
        const root = a % n;
        const r = up ? upstream(g, `n${root}`, opts) : downstream(g, `n${root}`, opts);
        const truth = bfs(pairs, root, up);
        const perLevel = new Map<number, number>();
        for (const node of r.nodes) {
          const i = Number(node.id.slice(1));
          expect(node.distance).toBe(truth.get(i));
          expect(node.distance).toBeLessThanOrEqual(opts.depth ?? Number.POSITIVE_INFINITY);
          if (opts.layers !== undefined) expect(opts.layers).toContain(node.layer);
          perLevel.set(node.distance, (perLevel.get(node.distance) ?? 0) + 1);
        }
        for (const count of perLevel.values()) {
          expect(count).toBeLessThanOrEqual(opts.perHopLimit ?? Number.POSITIVE_INFINITY);
        }
        expect(r.nodes.length).toBeLessThanOrEqual(opts.maxNodes ?? Number.POSITIVE_INFINITY);
        expect(r.expansions).toBeLessThanOrEqual(opts.budget ?? Number.POSITIVE_INFINITY);
        if (!r.truncated) {
          // Nothing left out: every table within depth (and of the layers) is returned.
          const want = [...truth.entries()].filter(
            ([i, d]) =>
              i !== root &&
              d <= (opts.depth ?? Number.POSITIVE_INFINITY) &&
              (opts.layers === undefined || opts.layers.includes(i % 3 === 0 ? 'DWS' : 'DWD')),
          );
          expect(r.nodes.length).toBe(want.length);
        }
        if (!up) {
          const imp = impact(g, `n${root}`, opts);
          expect(imp.tables.map((t) => [t.id, t.distance])).toEqual(
            r.nodes.map((x) => [x.id, x.distance]),
          );
          expect(imp.expansions).toBe(r.expansions);
        }
      }),
      { numRuns: 200 },
    );
  });
});
