import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSdkError, listAudit, PortalService, runAs, SYSTEM_ACTOR } from '../src/index.js';
import type { TestStore } from '../src/testing/index.js';
import { openTestStore, storeDialects } from './support/dialects.js';

const dialects = await storeDialects();

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (isSdkError(err)) return err.code;
    throw err;
  }
  return 'OK';
}

// Every write use case takes an actor (portal.as, or runAs around the call), checks it, and
// appends an audit row in the transaction of the change.
describe.each(dialects)('actors and the audit log on %s', (dialect) => {
  let store: TestStore;
  let portal: PortalService;
  const ann = { name: 'ann', role: 'developer', requestId: 'r-1', sourceIp: '10.0.0.1' } as const;
  const bob = { name: 'bob', role: 'developer' } as const;
  const vic = { name: 'vic', role: 'viewer' } as const;
  beforeAll(async () => {
    store = await openTestStore(dialect);
    portal = new PortalService({ store });
  });
  afterAll(async () => {
    await store?.drop();
  });

  it('makes the creator the owner, lets only owners and admins change, and audits each write', async () => {
    const a = portal.as(ann);
    const t1 = await a.registerTable({ qualifiedName: 'ods.a', layer: 'ODS' });
    expect(t1.owner).toBe('ann');
    await a.registerTable({ qualifiedName: 'dwd.b', layer: 'DWD' });
    const task = await a.createTask({
      name: 't_ab',
      taskType: 'batch',
      engine: 'local',
      sql: 'INSERT INTO dwd.b SELECT * FROM ods.a',
      inputs: ['ods.a'],
      outputs: ['dwd.b'],
    });
    expect(task.owner).toBe('ann');
    expect(await code(portal.as(bob).updateTask(task.id, { description: 'x', version: 1 }))).toBe(
      'FORBIDDEN',
    );
    expect(await code(portal.as(bob).deleteTask(task.id))).toBe('FORBIDDEN');
    expect(await code(portal.as(vic).registerTable({ qualifiedName: 'x.y', layer: 'ODS' }))).toBe(
      'FORBIDDEN',
    );
    expect(await code(portal.as(ann).createDatasource({ name: 'd', kind: 'mysql' }))).toBe(
      'FORBIDDEN',
    );
    expect(await code(portal.as(bob).publishTask(task.id))).toBe('FORBIDDEN');
    await a.updateTask(task.id, { owner: 'bob', version: 1 });
    await runAs(bob, () => portal.updateTask(task.id, { description: 'now bob’s', version: 2 }));
    await portal.as(SYSTEM_ACTOR).createDatasource({ name: 'wh', kind: 'mysql' });

    const rows = await listAudit(store.db);
    expect(rows.map((r) => `${r.actor} ${r.action} ${r.entity}`).reverse()).toEqual([
      'ann table.create table',
      'ann table.create table',
      'ann task.create task',
      'ann task.update task',
      'bob task.update task',
      'system datasource.create datasource',
    ]);
    const handOver = rows.find((r) => r.actor === 'ann' && r.action === 'task.update');
    expect(handOver).toMatchObject({
      entityId: String(task.id),
      versionBefore: 1,
      versionAfter: 2,
      requestId: 'r-1',
      sourceIp: '10.0.0.1',
      details: { owner: 'bob' },
    });
  });

  it('writes no audit row when the change fails', async () => {
    const before = (await listAudit(store.db)).length;
    expect(await code(portal.as(ann).registerTable({ qualifiedName: 'ods.a', layer: 'ODS' }))).toBe(
      'CONFLICT',
    );
    expect(await listAudit(store.db)).toHaveLength(before);
  });
});
