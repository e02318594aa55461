import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { isSdkError, PortalService } from '../src/index.js';
import type { TestStore } from '../src/testing/index.js';
import { storeDialects } from './support/dialects.js';
import { caught, portalSuite, task } from './support/portal-suite.js';

const dialects = await storeDialects();

describe.each(dialects)('lineage on %s', (dialect) => {
  const suite = portalSuite(dialect);
  const { tables } = suite;
  let store: TestStore;
  let portal: PortalService;
  beforeEach(() => {
    ({ store, portal } = suite);
  });

  describe('lineage', () => {
    it('adds and removes manual edges, rejecting cycles', async () => {
      await tables('ods.a', 'dwd.b');
      await portal.createTask(task('ab', ['ods.a'], ['dwd.b']));
      const err = await caught(portal.addLineageEdge({ source: 'dwd.b', target: 'ods.a' }));
      expect(err.code).toBe('CYCLE_DETECTED');
      await tables('ads.r');
      const e = await portal.addLineageEdge({ source: 'dwd.b', target: 'ads.r' });
      expect(e.provenance).toBe('manual');
      expect(e.taskId).toBeNull();
      await portal.removeLineageEdge(e.id);
      const snap = await portal.lineageSnapshot();
      expect(snap.edges).toHaveLength(1);
      expect(snap.nodes.map((n) => n.id).sort()).toEqual(['ads.r', 'dwd.b', 'ods.a']);
    });

    it('serves a cached lineage graph that follows every write', async () => {
      await tables('ods.a', 'dwd.b', 'dws.c');
      await portal.createTask(task('ab', ['ods.a'], ['dwd.b'], { owner: 'ann' }));
      const g1 = await portal.lineageGraph();
      expect(g1.successors('ods.a')).toEqual(['dwd.b']);
      expect(g1.edgesBetween('ods.a', 'dwd.b')[0]?.task).toBe('ab');
      expect(g1.node('dwd.b')?.layer).toBe('DWD');
      expect(await portal.lineageGraph()).toBe(g1);
      await portal.createTask(task('bc', ['dwd.b'], ['dws.c']));
      const g2 = await portal.lineageGraph();
      expect(g2).not.toBe(g1);
      expect(g2.successors('dwd.b')).toEqual(['dws.c']);
      // A second service on the same store (another process) sees the change too.
      const other = new PortalService({ store });
      await other.updateTable('dws.c', {
        owner: 'zed',
        version: (await other.getTable('dws.c')).version,
      });
      expect((await portal.lineageGraph()).node('dws.c')?.owner).toBe('zed');
    });

    it('property: every acyclic insert is accepted, every cycle-closing insert rejected', async () => {
      const runs = dialect === 'mysql' ? 6 : 25;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 7 })), {
            minLength: 1,
            maxLength: 14,
          }),
          async (pairs) => {
            for (const t of ['data_lineage', 'data_task', 'data_table'] as const) {
              await store.db.deleteFrom(t).execute();
            }
            for (let i = 0; i < 8; i++)
              await portal.registerTable({ qualifiedName: `ods.n${i}`, layer: 'ODS' });
            const adj = new Map<number, Set<number>>();
            const reach = (from: number, to: number): boolean => {
              const stack = [from];
              const seen = new Set<number>();
              while (stack.length) {
                const n = stack.pop() as number;
                if (n === to) return true;
                if (seen.has(n)) continue;
                seen.add(n);
                for (const m of adj.get(n) ?? []) stack.push(m);
              }
              return false;
            };
            let k = 0;
            for (const [a, b] of pairs) {
              if (a === b) continue;
              const closes = reach(b, a);
              const r = await portal.createTask(task(`t${k++}`, [`ods.n${a}`], [`ods.n${b}`])).then(
                () => 'ok' as const,
                (e: unknown) =>
                  isSdkError(e, 'CYCLE_DETECTED') ? ('cycle' as const) : Promise.reject(e),
              );
              expect(r).toBe(closes ? 'cycle' : 'ok');
              if (!closes) adj.set(a, new Set([...(adj.get(a) ?? []), b]));
            }
          },
        ),
        { numRuns: runs },
      );
      // Hundreds of store round trips (each a message to the SQLite worker thread).
    }, 60_000);
  });
});
