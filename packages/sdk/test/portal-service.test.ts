import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isSdkError, PortalService, type SdkError, type TaskInput } from '../src/index.js';
import type { TestStore } from '../src/testing/index.js';
import { openTestStore, storeDialects } from './support/dialects.js';

const dialects = await storeDialects();

async function caught(p: Promise<unknown>): Promise<SdkError> {
  try {
    await p;
  } catch (err) {
    if (isSdkError(err)) return err;
    throw err;
  }
  throw new Error('expected an SdkError, got success');
}

function task(
  name: string,
  inputs: string[],
  outputs: string[],
  extra: Partial<TaskInput> = {},
): TaskInput {
  return {
    name,
    taskType: 'batch',
    engine: 'local',
    sql: `INSERT INTO ${outputs[0] ?? 'x.y'} SELECT * FROM ${inputs[0] ?? 'x.z'}`,
    inputs,
    outputs,
    ...extra,
  };
}

describe.each(dialects)('PortalService on %s', (dialect) => {
  let store: TestStore;
  let portal: PortalService;
  let clock = 1_700_000_000_000;

  beforeAll(async () => {
    store = await openTestStore(dialect);
  });
  afterAll(async () => {
    await store?.drop();
  });
  beforeEach(async () => {
    for (const t of [
      'task_execution_log',
      'data_lineage',
      'data_task',
      'data_field',
      'data_table',
    ] as const) {
      await store.db.deleteFrom(t).execute();
    }
    portal = new PortalService({ store, now: () => clock++ });
  });

  async function tables(...names: string[]): Promise<void> {
    for (const n of names) {
      const layer = n.split('.')[0]?.toUpperCase() as 'ODS';
      await portal.registerTable({ qualifiedName: n, layer });
    }
  }

  describe('migrations', () => {
    it('are idempotent', async () => {
      expect(await store.migrate()).toEqual([]);
    });
  });

  describe('tables', () => {
    it('registers a table with fields and reads it by id and by name', async () => {
      const t = await portal.registerTable({
        qualifiedName: 'ODS.Orders',
        layer: 'ODS',
        owner: 'alice',
        tags: ['finance'],
        fields: [
          { name: 'id', type: 'bigint', nullable: false, key: 'primary' },
          { name: 'amount', type: 'decimal(10,2)' },
        ],
      });
      expect(t.qualifiedName).toBe('ods.orders');
      expect(t.database).toBe('ods');
      expect(t.name).toBe('orders');
      expect(t.version).toBe(1);
      expect((await portal.getTable(t.id)).qualifiedName).toBe('ods.orders');
      expect((await portal.getTable('ods.ORDERS')).id).toBe(t.id);
      const fields = await portal.getFields(t.id);
      expect(fields.map((f) => [f.name, f.ordinal, f.nullable, f.key])).toEqual([
        ['id', 0, false, 'primary'],
        ['amount', 1, true, 'none'],
      ]);
    });

    it('rejects a duplicate name with CONFLICT and leaves the first intact', async () => {
      await portal.registerTable({ qualifiedName: 'ods.a', layer: 'ODS', owner: 'x' });
      const err = await caught(portal.registerTable({ qualifiedName: 'ods.a', layer: 'DWD' }));
      expect(err.code).toBe('CONFLICT');
      expect((await portal.getTable('ods.a')).layer).toBe('ODS');
    });

    it('names the offending field on bad input', async () => {
      const err = await caught(portal.registerTable({ qualifiedName: 'noschema', layer: 'ODS' }));
      expect(err.code).toBe('VALIDATION_FAILED');
      expect(err.issues[0]?.path).toEqual(['qualifiedName']);
      const err2 = await caught(
        portal.registerTable({ qualifiedName: 'a.b', layer: 'XXX' as 'ODS' }),
      );
      expect(err2.issues[0]?.path).toEqual(['layer']);
    });

    it('rejects duplicate field names without writing any field', async () => {
      const err = await caught(
        portal.registerTable({
          qualifiedName: 'ods.f',
          layer: 'ODS',
          fields: [
            { name: 'a', type: 'int' },
            { name: 'A', type: 'int' },
          ],
        }),
      );
      expect(err.code).toBe('VALIDATION_FAILED');
      expect(await portal.findTable('ods.f')).toBeNull();
    });

    it('lists with filters and cursor pagination', async () => {
      for (let i = 0; i < 7; i++) {
        await portal.registerTable({
          qualifiedName: `${i % 2 ? 'dwd' : 'ods'}.t${i}`,
          layer: i % 2 ? 'DWD' : 'ODS',
          owner: i < 3 ? 'alice' : 'bob',
        });
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await portal.listTables({ limit: 2, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((t) => t.qualifiedName));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toHaveLength(7);
      expect(new Set(seen).size).toBe(7);
      const ods = await portal.listTables({ layer: 'ODS' });
      expect(ods.items.map((t) => t.qualifiedName).sort()).toEqual([
        'ods.t0',
        'ods.t2',
        'ods.t4',
        'ods.t6',
      ]);
      const alice = await portal.listTables({ owner: 'alice', prefix: 'dwd.' });
      expect(alice.items.map((t) => t.qualifiedName)).toEqual(['dwd.t1']);
      const err = await caught(portal.listTables({ cursor: 'garbage' }));
      expect(err.code).toBe('VALIDATION_FAILED');
    });

    it('treats LIKE wildcards in a prefix literally', async () => {
      await tables('ods.a_b', 'ods.axb');
      const page = await portal.listTables({ prefix: 'ods.a_' });
      expect(page.items.map((t) => t.qualifiedName)).toEqual(['ods.a_b']);
    });

    it('updates with optimistic locking and deprecates', async () => {
      const t = await portal.registerTable({ qualifiedName: 'ods.u', layer: 'ODS' });
      const u = await portal.updateTable(t.id, { owner: 'carol', version: 1 });
      expect(u.owner).toBe('carol');
      expect(u.version).toBe(2);
      const err = await caught(portal.updateTable(t.id, { owner: 'dave', version: 1 }));
      expect(err.code).toBe('CONFLICT');
      const d = await portal.deprecateTable('ods.u');
      expect(d.status).toBe('deprecated');
      expect((await caught(portal.getTable('ods.nope'))).code).toBe('NOT_FOUND');
    });

    it('stores synced stats and drift', async () => {
      await tables('ods.s');
      const t = await portal.recordTableSync('ods.s', {
        stats: { rowCount: 42, dataSize: 4096, lastModified: new Date(1_600_000_000_000) },
        drift: {
          columnsAdded: ['x'],
          columnsRemoved: [],
          typeChanged: [],
          missingInWarehouse: false,
        },
      });
      expect(t.stats.rowCount).toBe(42);
      expect(t.version).toBe(1);
      expect(t.stats.lastModified?.getTime()).toBe(1_600_000_000_000);
      expect(t.stats.drift?.columnsAdded).toEqual(['x']);
      expect(t.stats.syncedAt).not.toBeNull();
    });
  });

  describe('datasources', () => {
    beforeEach(async () => {
      await store.db.deleteFrom('dp_datasource').execute();
    });

    it('creates, reads, updates with locking and deletes; stores only a password reference', async () => {
      const d = await portal.createDatasource({
        name: 'doris_prod',
        kind: 'doris',
        host: 'fe.internal',
        port: 9030,
        user: 'etl',
        passwordRef: 'env:DORIS_PASSWORD',
        dolphinDatasource: 'doris-prod',
      });
      expect(d).toMatchObject({ name: 'doris_prod', kind: 'doris', port: 9030, version: 1 });
      expect((await portal.getDatasource('doris_prod')).id).toBe(d.id);
      const stored = await store.db.selectFrom('dp_datasource').selectAll().execute();
      expect(JSON.stringify(stored)).not.toMatch(/password"\s*:\s*"[^e]/);
      expect(
        (await caught(portal.createDatasource({ name: 'doris_prod', kind: 'mysql' }))).code,
      ).toBe('CONFLICT');
      const err = await caught(
        portal.createDatasource({ name: 'x', kind: 'doris', passwordRef: 'hunter2' }),
      );
      expect(err.issues[0]?.path).toEqual(['passwordRef']);
      const u = await portal.updateDatasource(d.id, {
        name: 'doris_prod',
        kind: 'doris',
        port: 9031,
        version: 1,
      });
      expect(u.port).toBe(9031);
      expect(u.host).toBeUndefined();
      expect(
        (
          await caught(
            portal.updateDatasource(d.id, { name: 'doris_prod', kind: 'doris', version: 1 }),
          )
        ).code,
      ).toBe('CONFLICT');
      expect((await portal.listDatasources()).map((x) => x.name)).toEqual(['doris_prod']);
      await portal.deleteDatasource('doris_prod');
      expect((await caught(portal.getDatasource(d.id))).code).toBe('NOT_FOUND');
    });
  });

  describe('tasks and lineage', () => {
    it('stores a task and its edges in one go', async () => {
      await tables('ods.a', 'ods.b', 'dwd.c');
      const t = await portal.createTask(
        task('load_c', ['ods.a', 'ods.b'], ['dwd.c'], { schedule: '0  2 * * *' }),
      );
      expect(t.status).toBe('draft');
      expect(t.schedule).toBe('0 2 * * *');
      const edges = await portal.listLineageEdges();
      expect(edges.map((e) => [e.source, e.target, e.taskId, e.provenance])).toEqual([
        ['ods.a', 'dwd.c', t.id, 'declared'],
        ['ods.b', 'dwd.c', t.id, 'declared'],
      ]);
      expect((await portal.getTask('load_c')).id).toBe(t.id);
    });

    it('rejects unknown tables listing them, and writes nothing', async () => {
      await tables('ods.a');
      const err = await caught(portal.createTask(task('t', ['ods.a', 'ods.zz'], ['dwd.yy'])));
      expect(err.code).toBe('UNKNOWN_TABLES');
      expect(err.details['tables']).toEqual(['ods.zz', 'dwd.yy']);
      expect((await portal.listTasks()).items).toEqual([]);
      expect(await portal.listLineageEdges()).toEqual([]);
    });

    it('registers unknown tables as drafts when asked', async () => {
      const t = await portal.createTask(task('t', ['ods.src'], ['dwd.dst']), {
        registerMissingTables: true,
      });
      const dst = await portal.getTable('dwd.dst');
      expect(dst.status).toBe('draft');
      expect(dst.layer).toBe('DWD');
      expect(t.outputs).toEqual(['dwd.dst']);
      const err = await caught(
        portal.createTask(task('t2', ['misc.x'], ['dwd.dst2']), { registerMissingTables: true }),
      );
      expect(err.code).toBe('UNKNOWN_TABLES');
      expect(err.details['tables']).toEqual(['misc.x']);
    });

    it('rejects a task closing a cycle, with the cycle path', async () => {
      await tables('ods.a', 'dwd.b', 'dws.c');
      await portal.createTask(task('ab', ['ods.a'], ['dwd.b']));
      await portal.createTask(task('bc', ['dwd.b'], ['dws.c']));
      const err = await caught(portal.createTask(task('ca', ['dws.c'], ['ods.a'])));
      expect(err.code).toBe('CYCLE_DETECTED');
      expect(err.details['cycle']).toEqual(['dws.c', 'ods.a', 'dwd.b', 'dws.c']);
      expect((await portal.listTasks()).items).toHaveLength(2);
    });

    it('validates model rules with the field named', async () => {
      await tables('ods.a', 'dwd.b');
      const e1 = await caught(
        portal.createTask(
          task('s', ['ods.a'], ['dwd.b'], { taskType: 'stream', engine: 'dolphin' }),
        ),
      );
      expect(e1.issues.map((i) => i.path.join('.'))).toContain('engine');
      const e2 = await caught(portal.createTask(task('s', ['ods.a'], [])));
      expect(e2.issues.map((i) => i.path.join('.'))).toContain('outputs');
      const e3 = await caught(
        portal.createTask(task('s', ['ods.a'], ['dwd.b'], { schedule: '0 2 * *' })),
      );
      expect(e3.issues[0]?.message).toMatch(/5 fields/);
      const e4 = await caught(portal.createTask(task('s', ['dwd.b'], ['dwd.b'])));
      expect(e4.issues[0]?.message).toMatch(/self-loop/);
    });

    it('rejects a duplicate task name with CONFLICT', async () => {
      await tables('ods.a', 'dwd.b');
      await portal.createTask(task('same', ['ods.a'], ['dwd.b']));
      expect((await caught(portal.createTask(task('same', ['ods.a'], ['dwd.b'])))).code).toBe(
        'CONFLICT',
      );
    });

    it('replaces edges on update, and a cycle-closing update changes nothing', async () => {
      await tables('ods.a', 'ods.x', 'dwd.b', 'dws.c');
      const ab = await portal.createTask(task('ab', ['ods.a'], ['dwd.b']));
      await portal.createTask(task('bc', ['dwd.b'], ['dws.c']));
      const u = await portal.updateTask(ab.id, { inputs: ['ods.x'], version: ab.version });
      expect(u.version).toBe(ab.version + 1);
      const mine = (await portal.listLineageEdges()).filter((e) => e.taskId === ab.id);
      expect(mine.map((e) => e.source)).toEqual(['ods.x']);
      const err = await caught(portal.updateTask(ab.id, { inputs: ['dws.c'] }));
      expect(err.code).toBe('CYCLE_DETECTED');
      const after = await portal.getTask(ab.id);
      expect(after.inputs).toEqual(['ods.x']);
      expect(after.version).toBe(u.version);
    });

    it('gives exactly one CONFLICT for two concurrent updates of one task', async () => {
      await tables('ods.a', 'dwd.b');
      const t = await portal.createTask(task('c', ['ods.a'], ['dwd.b']));
      const results = await Promise.allSettled([
        portal.updateTask(t.id, { description: 'one', version: t.version }),
        portal.updateTask(t.id, { description: 'two', version: t.version }),
      ]);
      const rejected = results.filter((r) => r.status === 'rejected');
      expect(rejected).toHaveLength(1);
      expect(isSdkError((rejected[0] as PromiseRejectedResult).reason, 'CONFLICT')).toBe(true);
      expect((await portal.getTask(t.id)).version).toBe(t.version + 1);
    });

    it('deletes a task with its edges and lists with filters', async () => {
      await tables('ods.a', 'dwd.b', 'dwd.c');
      const t1 = await portal.createTask(task('x1', ['ods.a'], ['dwd.b'], { owner: 'o1' }));
      await portal.createTask(task('x2', ['ods.a'], ['dwd.c'], { owner: 'o2' }));
      expect((await portal.listTasks({ owner: 'o2' })).items.map((t) => t.name)).toEqual(['x2']);
      expect((await portal.listTasks({ table: 'dwd.b' })).items.map((t) => t.name)).toEqual(['x1']);
      await portal.deleteTask(t1.id);
      expect((await caught(portal.getTask(t1.id))).code).toBe('NOT_FOUND');
      expect((await portal.listLineageEdges()).every((e) => e.taskId !== t1.id)).toBe(true);
    });

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

    it('reports how declared lineage differs from the SQL', async () => {
      await tables('ods.a', 'ods.b', 'dwd.c', 'dwd.d');
      const t = await portal.createTask(
        task('mismatch', ['ods.a', 'ods.b'], ['dwd.c'], {
          sql: 'INSERT INTO dwd.c SELECT * FROM ods.a JOIN ods.x ON 1 = 1; INSERT INTO dwd.d SELECT 1',
        }),
      );
      const check = await portal.checkTaskLineage(t.id);
      expect(check.consistent).toBe(false);
      expect(check.undeclaredInputs).toEqual(['ods.x']);
      expect(check.unusedInputs).toEqual(['ods.b']);
      expect(check.undeclaredOutputs).toEqual(['dwd.d']);
      expect(check.unwrittenOutputs).toEqual([]);
      const ok = await portal.createTask(task('fine', ['ods.a'], ['dwd.d']));
      expect((await portal.checkTaskLineage(ok.id)).consistent).toBe(true);
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
      await other.updateTable('dws.c', { owner: 'zed' });
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
    });
  });

  describe('executions', () => {
    let taskId: number;
    beforeEach(async () => {
      await tables('ods.a', 'dwd.b');
      taskId = (await portal.createTask(task('run_me', ['ods.a'], ['dwd.b']))).id;
    });

    it('is idempotent and forward-only', async () => {
      const base = { taskId, engine: 'local' as const, externalRunId: 'r1' };
      const a = await portal.recordExecution({
        ...base,
        status: 'RUNNING',
        startTime: '2026-01-01T00:00:00Z',
      });
      expect(a.changed).toBe(true);
      const b = await portal.recordExecution({
        ...base,
        status: 'SUCCESS',
        endTime: '2026-01-01T00:01:30Z',
        rowsOutput: 10,
      });
      expect(b.execution.status).toBe('SUCCESS');
      expect(b.execution.durationMs).toBe(90_000);
      const late = await portal.recordExecution({ ...base, status: 'RUNNING' });
      expect(late.changed).toBe(false);
      expect(late.execution.status).toBe('SUCCESS');
      const dup = await portal.recordExecution({ ...base, status: 'FAILED' });
      expect(dup.execution.status).toBe('SUCCESS');
      expect((await portal.listExecutions({ taskId })).items).toHaveLength(1);
    });

    it('converges to one row with the final status whatever the order', async () => {
      const reports: {
        status: 'SUBMITTED' | 'RUNNING' | 'FAILED';
        startTime?: string;
        endTime?: string;
        message?: string;
      }[] = [
        { status: 'SUBMITTED' as const },
        { status: 'RUNNING' as const, startTime: '2026-01-01T00:00:00Z' },
        { status: 'FAILED' as const, endTime: '2026-01-01T00:00:05Z', message: 'boom' },
      ];
      await fc.assert(
        fc.asyncProperty(
          fc.shuffledSubarray([0, 1, 2, 2, 1, 0], { minLength: 6, maxLength: 6 }),
          async (order) => {
            await store.db.deleteFrom('task_execution_log').execute();
            for (const i of order) {
              await portal.recordExecution({
                taskId,
                engine: 'local',
                externalRunId: 'x',
                ...(reports[i] as (typeof reports)[number]),
              });
            }
            const rows = (await portal.listExecutions({ taskId })).items;
            expect(rows).toHaveLength(1);
            expect(rows[0]?.status).toBe('FAILED');
            expect(rows[0]?.message).toBe('boom');
            expect(rows[0]?.durationMs).toBe(5000);
          },
        ),
        { numRuns: dialect === 'mysql' ? 5 : 20 },
      );
    });

    it("takes the engine's real start over the submit time", async () => {
      const base = { taskId, engine: 'local' as const, externalRunId: 'q' };
      await portal.recordExecution({
        ...base,
        status: 'SUBMITTED',
        startTime: '2026-01-01T00:00:00Z',
      });
      await portal.recordExecution({
        ...base,
        status: 'RUNNING',
        startTime: '2026-01-01T00:10:00Z',
      });
      const done = await portal.recordExecution({
        ...base,
        status: 'SUCCESS',
        startTime: '2026-01-01T00:20:00Z',
        endTime: '2026-01-01T00:11:00Z',
      });
      expect(done.execution.startTime?.toISOString()).toBe('2026-01-01T00:10:00.000Z');
      expect(done.execution.durationMs).toBe(60_000);
    });

    it('survives concurrent duplicate reports', async () => {
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          portal.recordExecution({
            taskId,
            engine: 'local',
            externalRunId: 'same',
            status: i % 2 ? 'SUCCESS' : 'RUNNING',
          }),
        ),
      );
      const rows = (await portal.listExecutions({ taskId })).items;
      expect(rows).toHaveLength(1);
      expect(rows[0]?.status).toBe('SUCCESS');
    });

    it('rejects unknown tasks and bad statuses', async () => {
      expect(
        (
          await caught(
            portal.recordExecution({
              taskId: 999999,
              engine: 'local',
              externalRunId: 'a',
              status: 'SUCCESS',
            }),
          )
        ).code,
      ).toBe('NOT_FOUND');
      const err = await caught(
        portal.recordExecution({
          taskId,
          engine: 'local',
          externalRunId: 'a',
          status: 'DONE' as 'SUCCESS',
        }),
      );
      expect(err.issues[0]?.path).toEqual(['status']);
    });

    it('filters, paginates and computes statistics', async () => {
      const t0 = Date.parse('2026-01-01T00:00:00Z');
      for (let i = 0; i < 10; i++) {
        await portal.recordExecution({
          taskId,
          engine: 'local',
          externalRunId: `run${i}`,
          status: i === 3 ? 'FAILED' : 'SUCCESS',
          startTime: new Date(t0 + i * 60_000),
          endTime: new Date(t0 + i * 60_000 + (i + 1) * 1000),
          rowsOutput: i === 3 ? null : 100,
        });
      }
      const failed = await portal.listExecutions({ taskId, status: 'FAILED' });
      expect(failed.items.map((e) => e.externalRunId)).toEqual(['run3']);
      const p1 = await portal.listExecutions({ taskId, limit: 4 });
      expect(p1.items.map((e) => e.externalRunId)).toEqual(['run9', 'run8', 'run7', 'run6']);
      const p2 = await portal.listExecutions({ taskId, limit: 4, cursor: p1.nextCursor ?? '' });
      expect(p2.items[0]?.externalRunId).toBe('run5');
      const stats = await portal.executionStats(taskId);
      expect(stats.runs).toBe(10);
      expect(stats.successes).toBe(9);
      expect(stats.successRate).toBeCloseTo(0.9);
      expect(stats.p50DurationMs).toBe(5000);
      expect(stats.p95DurationMs).toBe(10000);
      expect(stats.lastSuccessAt?.getTime()).toBe(t0 + 9 * 60_000 + 10_000);
      expect(stats.avgRowsOutput).toBe(100);
    });
  });
});
