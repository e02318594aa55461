import { createSqlAnalyzer } from '@dataportal/lineage';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ExecutionChange, PortalService } from '../src/index.js';
import { storeDialects } from './support/dialects.js';
import { caught, portalSuite, task } from './support/portal-suite.js';

const dialects = await storeDialects();

// The drift report reads the task's SQL; load the WASM parser once, outside the tests' time.
beforeAll(async () => {
  await createSqlAnalyzer();
}, 60_000);

describe.each(dialects)('lineage history on %s', (dialect) => {
  const suite = portalSuite(dialect);
  let clock: number;
  let portal: PortalService;
  beforeEach(async () => {
    clock = 1_800_000_000_000;
    portal = new PortalService({ store: suite.store, now: () => clock });
    for (const n of ['ods.a', 'ods.c', 'dwd.b', 'ads.r']) {
      await portal.registerTable({
        qualifiedName: n,
        layer: n.split('.')[0]?.toUpperCase() as 'ODS',
      });
    }
  });

  const pairs = (edges: ReadonlyArray<{ source: string; target: string }>) =>
    edges.map((e) => `${e.source}>${e.target}`).sort();

  it('answers as of any time exactly as the graph was then', async () => {
    const seen: Array<{ at: number; edges: string[] }> = [];
    const snap = async () => {
      seen.push({ at: clock, edges: pairs(await portal.listLineageEdges()) });
      clock += 1000;
    };
    await snap(); // empty
    const t = await portal.createTask(task('ab', ['ods.a'], ['dwd.b']));
    await snap();
    await portal.updateTask(t.id, {
      inputs: ['ods.c'],
      sql: 'INSERT INTO dwd.b SELECT * FROM ods.c',
      version: t.version,
    });
    await snap();
    const manual = await portal.addLineageEdge({ source: 'dwd.b', target: 'ads.r' });
    await snap();
    await portal.removeLineageEdge(manual.id);
    await snap();
    await portal.deleteTask(t.id);
    await snap();
    for (const s of seen) {
      expect(pairs(await portal.lineageAsOf({ asOf: new Date(s.at) }))).toEqual(s.edges);
      const g = await portal.lineageGraphAsOf(new Date(s.at));
      expect(pairs(g.edges())).toEqual(s.edges);
    }
    // The version carries the task version that made it.
    const v2 = await portal.lineageAsOf({ asOf: new Date(seen[2]?.at ?? 0) });
    expect(v2).toMatchObject([{ source: 'ods.c', target: 'dwd.b', taskId: t.id, taskVersion: 2 }]);
  });

  it('walks a neighbourhood as of a time, by direction and depth', async () => {
    await portal.createTask(task('ab', ['ods.a'], ['dwd.b']));
    await portal.addLineageEdge({ source: 'dwd.b', target: 'ads.r' });
    const at = new Date(clock);
    clock += 1000;
    await portal.createTask(task('cb', ['ods.c'], ['dwd.b']));
    expect(
      pairs(await portal.lineageAsOf({ asOf: at, table: 'dwd.b', direction: 'upstream' })),
    ).toEqual(['ods.a>dwd.b']);
    expect(
      pairs(
        await portal.lineageAsOf({ asOf: at, table: 'ods.a', direction: 'downstream', depth: 1 }),
      ),
    ).toEqual(['ods.a>dwd.b']);
    expect(
      pairs(await portal.lineageAsOf({ asOf: at, table: 'ods.a', direction: 'downstream' })),
    ).toEqual(['dwd.b>ads.r', 'ods.a>dwd.b']);
    expect(
      pairs(
        await portal.lineageAsOf({ asOf: new Date(clock), table: 'dwd.b', direction: 'upstream' }),
      ),
    ).toEqual(['ods.a>dwd.b', 'ods.c>dwd.b']);
  });

  it('diffs two times: added, removed and changed edges with their task version', async () => {
    const t = await portal.createTask(task('ab', ['ods.a'], ['dwd.b']));
    const t0 = new Date(clock);
    clock += 1000;
    await portal.updateTask(t.id, {
      inputs: ['ods.c'],
      sql: 'INSERT INTO dwd.b SELECT * FROM ods.c',
      version: t.version,
    });
    await portal.addLineageEdge({
      source: 'dwd.b',
      target: 'ads.r',
      columns: [{ source: 'x', target: 'y' }],
    });
    const t1 = new Date(clock);
    const d = await portal.lineageDiff(t0, t1);
    expect(pairs(d.added)).toEqual(['dwd.b>ads.r', 'ods.c>dwd.b']);
    expect(pairs(d.removed)).toEqual(['ods.a>dwd.b']);
    expect(d.removed[0]).toMatchObject({ taskId: t.id, taskVersion: 1 });
    expect(d.added.find((e) => e.source === 'ods.c')).toMatchObject({ taskVersion: 2 });
    expect(d.changed).toEqual([]);
    const none = await portal.lineageDiff(t1, t1);
    expect([none.added, none.removed, none.changed]).toEqual([[], [], []]);
    expect((await caught(portal.lineageDiff(t1, t0))).code).toBe('VALIDATION_FAILED');
  });

  it('reports declared vs parsed vs observed drift of a task', async () => {
    const t = await portal.createTask(
      task('ab', ['ods.a'], ['dwd.b'], {
        sql: 'INSERT INTO dwd.b SELECT * FROM ods.a JOIN ods.c USING (id)',
      }),
    );
    let drift = await portal.lineageDrift('ab');
    expect(drift.hasObservations).toBe(false);
    expect(pairs(drift.parsedNotDeclared)).toEqual(['ods.c>dwd.b']);
    await portal.addLineageEdge({
      source: 'ods.c',
      target: 'dwd.b',
      provenance: 'observed',
      taskId: t.id,
    });
    await portal.addLineageEdge({
      source: 'ods.a',
      target: 'ads.r',
      provenance: 'observed',
      taskId: t.id,
    });
    drift = await portal.lineageDrift(t.id);
    expect(drift.hasObservations).toBe(true);
    expect(pairs(drift.observedNotDeclared)).toEqual(['ods.a>ads.r', 'ods.c>dwd.b']);
    expect(pairs(drift.declaredNotObserved)).toEqual(['ods.a>dwd.b']);
    expect(drift.consistent).toBe(false);
    expect(drift.edges.find((e) => e.source === 'ods.c')).toEqual({
      source: 'ods.c',
      target: 'dwd.b',
      declared: false,
      parsed: true,
      observed: true,
    });
  });
});

describe.each(dialects)('column lineage on edges on %s', (dialect) => {
  const suite = portalSuite(dialect);

  it('stores column pairs composed through temp tables on the declared edges', async () => {
    const portal = new PortalService({ store: suite.store, columnLineage: true });
    await suite.tables('ods.a', 'dwd.b');
    await portal.setFields('ods.a', [
      { name: 'id', type: 'BIGINT' },
      { name: 'amount', type: 'DECIMAL' },
    ]);
    const sql = `CREATE TEMPORARY TABLE tmp.t1 AS SELECT id, amount FROM ods.a;
CREATE TEMPORARY TABLE tmp.t2 AS SELECT id, amount * 100 AS cents FROM tmp.t1;
INSERT INTO dwd.b SELECT id AS order_id, cents FROM tmp.t2;`;
    const t = await portal.createTask(task('ab', ['ods.a'], ['dwd.b'], { sql }));
    const [edge] = await portal.listLineageEdges({ table: 'dwd.b' });
    expect(edge?.columns).toEqual([
      { source: 'amount', target: 'cents' },
      { source: 'id', target: 'order_id' },
    ]);
    await portal.updateTask(t.id, {
      sql: 'INSERT INTO dwd.b SELECT id AS order_id FROM ods.a',
      version: t.version,
    });
    const [after] = await portal.listLineageEdges({ table: 'dwd.b' });
    expect(after?.columns).toEqual([{ source: 'id', target: 'order_id' }]);
  });
});

describe.each(dialects)('execution listener on %s', (dialect) => {
  const suite = portalSuite(dialect);

  it('tells listeners about new runs and status moves, not about duplicates', async () => {
    const portal = suite.portal;
    await suite.tables('ods.a', 'dwd.b');
    const t = await portal.createTask(task('ab', ['ods.a'], ['dwd.b']));
    const changes: ExecutionChange[] = [];
    const off = portal.onExecutionChange((c) => changes.push(c));
    const run = { taskId: t.id, engine: 'local' as const, externalRunId: 'r1' };
    await portal.recordExecution({ ...run, status: 'RUNNING' });
    await portal.recordExecution({ ...run, status: 'RUNNING' });
    await portal.recordExecution({ ...run, status: 'SUCCESS', rowsOutput: 5 });
    off();
    await portal.recordExecution({ ...run, externalRunId: 'r2', status: 'RUNNING' });
    expect(changes.map((c) => [c.previousStatus, c.execution.status])).toEqual([
      [null, 'RUNNING'],
      ['RUNNING', 'SUCCESS'],
    ]);
  });
});
