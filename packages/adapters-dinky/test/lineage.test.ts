import { afterEach, describe, expect, it } from 'vitest';
import {
  DinkyClient,
  type DinkyLineage,
  normalizeFlinkTable,
  reconcileStreamLineage,
} from '../src';
import { createFakeDinky, type FakeDinky } from '../src/testing';
import { streamTask } from './helpers';

let fake: FakeDinky | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

const DINKY_LINEAGE: DinkyLineage = {
  tables: [
    { id: '2', name: 'default_catalog.ods.orders', columns: [{ name: 'id', title: 'id' }] },
    { id: '3', name: 'default_catalog.dws.orders_agg', columns: [{ name: 'id', title: 'id' }] },
  ],
  relations: [
    { id: '1', srcTableId: '2', tgtTableId: '3', srcTableColName: 'id', tgtTableColName: 'id' },
  ],
};

describe('normalizeFlinkTable', () => {
  it.each([
    ['default_catalog.ods.orders', 'ods.orders'],
    ['default_catalog.default_database.orders', 'orders'],
    ['`ODS`.`Orders`', 'ods.orders'],
    ['hive.ods.orders', 'hive.ods.orders'],
  ])('normalises %s to %s', (input, out) => {
    expect(normalizeFlinkTable(input)).toBe(out);
  });

  it('strips configured catalogs', () => {
    expect(normalizeFlinkTable('hive.ods.orders', ['hive'])).toBe('ods.orders');
  });
});

describe('reconcileStreamLineage', () => {
  it('agrees when declared, parsed (analyzeSql) and Dinky name the same tables', async () => {
    fake = await createFakeDinky();
    const t = fake.addTask({ name: 't' });
    fake.setTaskLineage(t.id, DINKY_LINEAGE);
    const client = new DinkyClient({
      url: fake.url,
      login: { username: 'admin', password: 'admin' },
    });
    await client.submitTask(t.id);
    const task = streamTask({
      engineRef: { mode: 'managed', dinkyTaskId: t.id, jobInstanceId: 1 },
    });
    const report = await reconcileStreamLineage(task, { client });
    expect(report.parsed).toEqual({ inputs: ['ods.orders'], outputs: ['dws.orders_agg'] });
    expect(report.dinky?.via).toBe('job-instance');
    expect(report.dinky?.columns).toEqual([
      {
        source: { table: 'ods.orders', column: 'id' },
        target: { table: 'dws.orders_agg', column: 'id' },
      },
    ]);
    expect(report.differences).toEqual([]);
    expect(report.inputs).toEqual(['ods.orders']);
    expect(report.warnings[0]).toMatch(/no lineage for task/);
  }, 30_000); // the first analyzeSql call loads the SQL parser: seconds on a busy machine

  it('reports tables only some sources know, instead of dropping them', async () => {
    fake = await createFakeDinky({ version: '0.7' });
    const t = fake.addTask({ name: 't' });
    fake.setTaskLineage(t.id, DINKY_LINEAGE);
    const client = new DinkyClient({ url: fake.url });
    const task = streamTask({
      inputs: ['ods.orders', 'dim.users'],
      engineRef: { mode: 'managed', dinkyTaskId: t.id },
    });
    const report = await reconcileStreamLineage(task, {
      client,
      analyze: async () => ({ inputs: ['ods.orders', 'ods.refunds'], outputs: ['dws.orders_agg'] }),
    });
    expect(report.dinky?.via).toBe('task');
    expect(report.differences).toEqual([
      {
        table: 'dim.users',
        role: 'input',
        foundBy: ['declared'],
        missingFrom: ['parsed', 'dinky'],
      },
      {
        table: 'ods.refunds',
        role: 'input',
        foundBy: ['parsed'],
        missingFrom: ['declared', 'dinky'],
      },
    ]);
    expect(report.inputs).toEqual(['dim.users', 'ods.orders', 'ods.refunds']);
  });

  it('keeps going with a warning when the parser or Dinky fail', async () => {
    fake = await createFakeDinky();
    const client = new DinkyClient({ url: fake.url });
    const task = streamTask({ engineRef: { mode: 'managed', dinkyTaskId: 99, jobInstanceId: 1 } });
    const report = await reconcileStreamLineage(task, {
      client,
      analyze: async () => {
        throw new Error('parse error');
      },
    });
    expect(report.parsed).toBeNull();
    expect(report.dinky).toBeNull();
    expect(report.warnings).toHaveLength(2);
    expect(report.differences).toEqual([]);
    expect(report.outputs).toEqual(['dws.orders_agg']);
  });
});
