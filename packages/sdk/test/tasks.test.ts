import { analyzeSql } from '@dataportal/lineage';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isSdkError, type PortalService } from '../src/index.js';
import { storeDialects } from './support/dialects.js';
import { caught, portalSuite, task } from './support/portal-suite.js';

const dialects = await storeDialects();

// The SQL parser loads on first use (seconds on a busy machine); load it before the tests so a
// lineage check is timed for what it does, not for the import.
beforeAll(async () => {
  await analyzeSql('select 1', { dialect: 'doris' });
}, 60_000);

describe.each(dialects)('tasks on %s', (dialect) => {
  const suite = portalSuite(dialect);
  const { tables } = suite;
  let portal: PortalService;
  beforeEach(() => {
    ({ portal } = suite);
  });

  describe('tasks', () => {
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
      const err = await caught(portal.updateTask(ab.id, { inputs: ['dws.c'], version: u.version }));
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
  });
});
