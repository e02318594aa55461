import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  downstream,
  findCreatedCycle,
  findCycle,
  LineageGraph,
  paths,
  stronglyConnectedComponents,
  topologicalGenerations,
  topologicalSort,
  upstream,
} from '../src/index';

type Pair = [number, number];

/** Random DAG edges: i -> j only when i < j. */
const dagEdges = fc
  .integer({ min: 1, max: 25 })
  .chain((n) =>
    fc.array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 })), {
      maxLength: 60,
    }),
  )
  .map((pairs) => pairs.filter(([a, b]) => a < b) as Pair[]);

/** Random directed edges, cycles and self loops allowed. */
const anyEdges = fc.array(
  fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 12 })),
  { maxLength: 40 },
) as fc.Arbitrary<Pair[]>;

const build = (pairs: Pair[]): LineageGraph =>
  LineageGraph.fromEdges(pairs.map(([a, b]) => ({ source: `n${a}`, target: `n${b}` })));

/** Brute force reachability by repeated relaxation (no shared code with the library). */
function reach(pairs: Pair[], from: number): Map<number, number> {
  const dist = new Map<number, number>([[from, 0]]);
  let changed = true;
  while (changed) {
    changed = false;
    for (const [a, b] of pairs) {
      const da = dist.get(a);
      if (da === undefined) continue;
      const db = dist.get(b);
      if (db === undefined || db > da + 1) {
        dist.set(b, da + 1);
        changed = true;
      }
    }
  }
  return dist;
}

function bruteHasCycle(pairs: Pair[]): boolean {
  const nodes = new Set(pairs.flat());
  for (const v of nodes) {
    for (const [a, b] of pairs) if (a === v && reach(pairs, b).has(v)) return true;
  }
  return false;
}

describe('properties', () => {
  it('topological order respects every edge of a DAG', () => {
    fc.assert(
      fc.property(dagEdges, (pairs) => {
        const g = build(pairs);
        const order = topologicalSort(g);
        const pos = new Map(order.map((n, i) => [n, i]));
        expect(order).toHaveLength(g.order);
        for (const [a, b] of pairs)
          expect(pos.get(`n${a}`)).toBeLessThan(pos.get(`n${b}`) as number);
        const gens = topologicalGenerations(g);
        const level = new Map(gens.flatMap((gen, i) => gen.map((n) => [n, i] as const)));
        for (const [a, b] of pairs) {
          expect(level.get(`n${a}`)).toBeLessThan(level.get(`n${b}`) as number);
        }
      }),
    );
  });

  it('findCycle agrees with a brute-force check and returns a real closed path', () => {
    fc.assert(
      fc.property(anyEdges, (pairs) => {
        const g = build(pairs);
        const cycle = findCycle(g);
        expect(cycle !== null).toBe(bruteHasCycle(pairs));
        if (cycle !== null) {
          expect(cycle[0]).toBe(cycle[cycle.length - 1]);
          for (let i = 0; i + 1 < cycle.length; i++) {
            expect(g.hasEdge(cycle[i] as string, cycle[i + 1] as string)).toBe(true);
          }
        }
        const cyclicComponents = stronglyConnectedComponents(g, { cyclicOnly: true });
        expect(cyclicComponents.length > 0).toBe(cycle !== null);
      }),
    );
  });

  it('wouldCreateCycle agrees with adding the edges and brute-force checking', () => {
    fc.assert(
      fc.property(dagEdges, anyEdges, (base, extra) => {
        const add = extra.slice(0, 3);
        const g = build(base);
        const created = findCreatedCycle(
          g,
          add.map(([a, b]) => ({ source: `n${a}`, target: `n${b}` })),
        );
        expect(created !== null).toBe(bruteHasCycle([...base, ...add]));
        if (created !== null) {
          const g2 = build([...base, ...add]);
          for (let i = 0; i + 1 < created.length; i++) {
            expect(g2.hasEdge(created[i] as string, created[i + 1] as string)).toBe(true);
          }
        }
        expect(g.size).toBe(build(base).size);
      }),
    );
  });

  it('downstream and upstream match brute-force distances at every depth', () => {
    fc.assert(
      fc.property(
        anyEdges,
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 5 }),
        (pairs, start, depth) => {
          const g = build(pairs);
          if (!g.hasNode(`n${start}`)) return;
          const expected = [...reach(pairs, start)]
            .filter(([n, d]) => n !== start && d <= depth)
            .map(([n, d]) => `n${n}:${d}`)
            .sort();
          const got = downstream(g, `n${start}`, { depth })
            .nodes.map((n) => `${n.id}:${n.distance}`)
            .sort();
          expect(got).toEqual(expected);
          const reversed = pairs.map(([a, b]) => [b, a] as Pair);
          const expectedUp = [...reach(reversed, start)]
            .filter(([n]) => n !== start)
            .map(([n, d]) => `n${n}:${d}`)
            .sort();
          expect(
            upstream(g, `n${start}`)
              .nodes.map((n) => `${n.id}:${n.distance}`)
              .sort(),
          ).toEqual(expectedUp);
        },
      ),
    );
  });

  it('every returned path is a real simple path and the shortest is shortest', () => {
    fc.assert(
      fc.property(
        anyEdges,
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 12 }),
        (pairs, a, b) => {
          const g = build(pairs);
          if (!g.hasNode(`n${a}`) || !g.hasNode(`n${b}`)) return;
          const r = paths(g, `n${a}`, `n${b}`, { max: 50 });
          const d = reach(pairs, a).get(b);
          expect(r.shortest === null).toBe(d === undefined);
          if (r.shortest !== null) expect(r.shortest.length - 1).toBe(d);
          for (const p of r.paths) {
            expect(new Set(p).size).toBe(p.length);
            for (let i = 0; i + 1 < p.length; i++)
              expect(g.hasEdge(p[i] as string, p[i + 1] as string)).toBe(true);
          }
        },
      ),
    );
  });

  it('bulk loading equals adding the same edges one by one', () => {
    const edge = fc.record(
      {
        source: fc.constantFrom('a', 'b', 'c', 'd'),
        target: fc.constantFrom('a', 'b', 'c', 'd'),
        task: fc.constantFrom('t1', 't2'),
        provenance: fc.constantFrom('declared' as const, 'parsed' as const),
      },
      { requiredKeys: ['source', 'target'] },
    );
    fc.assert(
      fc.property(fc.array(edge, { maxLength: 30 }), (edges) => {
        const bulk = LineageGraph.fromEdges(edges);
        const one = new LineageGraph();
        for (const e of edges) one.addEdge(e);
        expect(bulk.toJSON()).toEqual(one.toJSON());
        expect(bulk.size).toBe(one.size);
        expect(LineageGraph.fromJSON(JSON.parse(JSON.stringify(bulk))).toJSON()).toEqual(
          bulk.toJSON(),
        );
      }),
    );
  });
});
