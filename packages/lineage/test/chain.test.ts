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

// A chain of 1,000,000 tables proves that no query recurses. The generous timeout is room for a
// loaded CI machine, not a performance assertion.
const N = 1_000_000;
const ROOM = 120_000;
const name = (i: number): string => `t${i}`;

describe('a 1,000,000-table chain', () => {
  const g = new LineageGraph();
  for (let i = 1; i < N; i++) g.addEdge({ source: name(i - 1), target: name(i) });

  it(
    'walks the whole chain both ways',
    () => {
      const down = downstream(g, name(0));
      expect(down.nodes).toHaveLength(N - 1);
      expect(down.nodes[N - 2]).toEqual({ id: name(N - 1), distance: N - 1 });
      expect(down.cycleDetected).toBe(false);
      expect(upstream(g, name(N - 1), { depth: 10 }).nodes).toHaveLength(10);
    },
    ROOM,
  );

  it(
    'sorts, finds no cycle, and checks a closing edge',
    () => {
      const order = topologicalSort(g);
      expect(order[0]).toBe(name(0));
      expect(order[N - 1]).toBe(name(N - 1));
      expect(topologicalGenerations(g)).toHaveLength(N);
      expect(findCycle(g)).toBeNull();
      expect(stronglyConnectedComponents(g, { cyclicOnly: true })).toEqual([]);
      const cycle = findCreatedCycle(g, [{ source: name(N - 1), target: name(0) }]);
      expect(cycle).toHaveLength(N + 1);
      expect(paths(g, name(0), name(N - 1)).shortest).toHaveLength(N);
    },
    ROOM,
  );

  it(
    'finds the cycle once the chain is closed',
    () => {
      const closed = g.clone().addEdge({ source: name(N - 1), target: name(0) });
      const cycle = findCycle(closed);
      expect(cycle).toHaveLength(N + 1);
      expect(downstream(closed, name(5)).cycleDetected).toBe(true);
    },
    ROOM,
  );
});
