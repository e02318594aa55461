import { describe, expect, it } from 'vitest';
import { isSdkError, openStore, PortalService } from '../src/index.js';

// The sdk's update methods refuse a blind write: without the version read they answer
// PRECONDITION_REQUIRED with the current version (before, last writer won silently).
describe('updates need the version read', () => {
  it('refuses updateTask, updateTable and updateDatasource without a version', async () => {
    const store = await openStore({ url: 'sqlite::memory:', migrate: true });
    try {
      const portal = new PortalService({ store });
      const t = await portal.registerTable({ qualifiedName: 'ods.a', layer: 'ODS' });
      await portal.registerTable({ qualifiedName: 'dwd.b', layer: 'DWD' });
      const task = await portal.createTask({
        name: 'a_to_b',
        taskType: 'batch',
        engine: 'local',
        sql: 'insert into dwd.b select * from ods.a',
        inputs: ['ods.a'],
        outputs: ['dwd.b'],
      });
      const ds = await portal.createDatasource({ name: 'wh', kind: 'mysql', host: 'db' });
      for (const attempt of [
        portal.updateTask(task.id, { description: 'x' }),
        portal.updateTable(t.id, { owner: 'x' }),
        portal.updateDatasource(ds.id, { name: 'wh', kind: 'mysql', host: 'db2' }),
      ]) {
        const err = await attempt.then(
          () => null,
          (e: unknown) => e,
        );
        expect(isSdkError(err, 'PRECONDITION_REQUIRED')).toBe(true);
        expect((err as { details: Record<string, unknown> }).details['currentVersion']).toBe(1);
      }
      const ok = await portal.updateTask(task.id, { description: 'x', version: task.version });
      expect(ok.version).toBe(task.version + 1);
      // Deprecating is a state change, not an overwrite: it applies to the current version.
      expect((await portal.deprecateTable('ods.a')).status).toBe('deprecated');
    } finally {
      await store.close();
    }
  });
});
