import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createLocalEngine,
  type LocalEngine,
  openSqliteWarehouse,
  openStore,
  PortalService,
  type SqliteWarehouse,
  type Store,
} from '../src/index.js';

describe('local engine', () => {
  let store: Store;
  let warehouse: SqliteWarehouse;
  let engine: LocalEngine;
  let portal: PortalService;
  const executed: string[] = [];

  beforeEach(async () => {
    executed.length = 0;
    store = await openStore({ url: 'sqlite::memory:', migrate: true });
    warehouse = await openSqliteWarehouse({ schemas: ['ods', 'dwd', 'dws'] });
    const spy: SqliteWarehouse = {
      ...warehouse,
      execute: (sql) => {
        executed.push(sql);
        return warehouse.execute(sql);
      },
    };
    engine = createLocalEngine({
      warehouse: spy,
      onRun: async (taskId, run) => {
        await portal.recordExecution({ taskId, engine: 'local', ...run });
      },
    });
    portal = new PortalService({ store, batchEngines: { local: engine } });
    await warehouse.execute('CREATE TABLE ods.orders (id INTEGER, amount REAL, dt TEXT)');
    await warehouse.execute('CREATE TABLE dwd.orders (id INTEGER, amount REAL, dt TEXT)');
    await warehouse.execute('CREATE TABLE dws.daily (dt TEXT, total REAL)');
    await warehouse.execute(
      "INSERT INTO ods.orders VALUES (1, 10, '20260101'), (2, -1, '20260101'), (3, 5.5, '20260102')",
    );
    for (const [n, l] of [
      ['ods.orders', 'ODS'],
      ['dwd.orders', 'DWD'],
      ['dws.daily', 'DWS'],
    ] as const) {
      await portal.registerTable({ qualifiedName: n, layer: l });
    }
  });

  afterEach(async () => {
    await engine.close();
    await warehouse.close();
    await store.close();
  });

  it('runs a published task, records the run with rows and keeps its log', async () => {
    const t = await portal.createTask({
      name: 'clean_orders',
      taskType: 'batch',
      engine: 'local',
      sql: 'INSERT OVERWRITE TABLE dwd.orders SELECT * FROM ods.orders WHERE amount > 0',
      inputs: ['ods.orders'],
      outputs: ['dwd.orders'],
    });
    const published = await portal.publishTask(t.id);
    expect(published.status).toBe('online');
    expect(published.engineRef).toMatchObject({ unit: 'clean_orders', taskId: t.id });
    const submitted = await portal.triggerTask(t.id);
    await engine.idle();
    const exec = await portal.getExecution(submitted.id);
    expect(exec.status).toBe('SUCCESS');
    expect(exec.rowsOutput).toBe(2);
    expect(exec.durationMs).not.toBeNull();
    expect(await warehouse.query('SELECT count(*) AS n FROM dwd.orders')).toEqual([{ n: 2 }]);
    const log = await portal.getExecutionLog(exec.id);
    expect(log.complete).toBe(true);
    expect(log.text).toContain('DELETE FROM dwd.orders');
    expect(log.text).toContain('success');
  });

  it('records a failure with the database message after the retries', async () => {
    const t = await portal.createTask({
      name: 'broken',
      taskType: 'batch',
      engine: 'local',
      sql: 'INSERT INTO dwd.orders SELECT nope FROM ods.orders',
      inputs: ['ods.orders'],
      outputs: ['dwd.orders'],
      retries: 1,
    });
    await portal.publishTask(t.id);
    const run = await portal.triggerTask(t.id);
    await engine.idle();
    const exec = await portal.getExecution(run.id);
    expect(exec.status).toBe('FAILED');
    expect(exec.message).toMatch(/nope/);
    expect((await portal.getExecutionLog(exec.id)).text).toContain('retry 1/1');
  });

  // The attack: a task's SQL `ATTACH DATABASE '/any/path'` created a file at a caller-chosen
  // path (the server ran as root).
  it('refuses ATTACH and friends: the run fails and no file appears', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dp-attach-'));
    const target = join(dir, 'owned.db');
    const t = await portal.createTask({
      name: 'sneaky',
      taskType: 'batch',
      engine: 'local',
      sql: `ATTACH DATABASE '${target}' AS pwn; CREATE TABLE pwn.x (a INTEGER)`,
      inputs: ['ods.orders'],
      outputs: ['dwd.orders'],
    });
    await portal.publishTask(t.id);
    const run = await portal.triggerTask(t.id);
    await engine.idle();
    const exec = await portal.getExecution(run.id);
    expect(exec.status).toBe('FAILED');
    expect(exec.message).toMatch(/statement refused: ATTACH is not allowed/);
    expect(existsSync(target)).toBe(false);
    expect(executed.some((s) => /attach/i.test(s))).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs queued tasks in dependency order and substitutes scheduler variables', async () => {
    const up = await portal.createTask({
      name: 'up',
      taskType: 'batch',
      engine: 'local',
      sql: "INSERT INTO dwd.orders SELECT * FROM ods.orders WHERE dt <> '${bizdate}'",
      inputs: ['ods.orders'],
      outputs: ['dwd.orders'],
    });
    const down = await portal.createTask({
      name: 'down',
      taskType: 'batch',
      engine: 'local',
      sql: 'INSERT INTO dws.daily SELECT dt, sum(amount) FROM dwd.orders GROUP BY dt',
      inputs: ['dwd.orders'],
      outputs: ['dws.daily'],
    });
    await portal.publishTasks([up.id, down.id], { unitName: 'orders_flow' });
    // Downstream triggered first, in the same tick: the engine still runs upstream first.
    const [d, u] = await Promise.all([portal.getTask(down.id), portal.getTask(up.id)]);
    await Promise.all([engine.trigger(d), engine.trigger(u)]);
    await engine.idle();
    const writes = executed.filter((s) => s.startsWith('INSERT'));
    expect(writes[0]).toContain('INTO dwd.orders');
    expect(writes[0]).not.toContain('${bizdate}');
    expect(writes[1]).toContain('INTO dws.daily');
    const daily = await warehouse.query('SELECT count(*) AS n FROM dws.daily');
    expect(Number(daily[0]?.['n'])).toBeGreaterThan(0);
  });

  it('arms and disarms the schedule with online/offline', async () => {
    const t = await portal.createTask({
      name: 'nightly',
      taskType: 'batch',
      engine: 'local',
      sql: 'INSERT INTO dwd.orders SELECT * FROM ods.orders',
      inputs: ['ods.orders'],
      outputs: ['dwd.orders'],
      schedule: '0 2 * * *',
    });
    const p = await portal.publishTask(t.id);
    expect(p.engineRef?.['scheduled']).toBe(true);
    const off = await portal.setTaskOnline(t.id, false);
    expect(off.status).toBe('offline');
    expect(off.engineRef?.['scheduled']).toBe(false);
  });

  it('refuses to trigger an unpublished task', async () => {
    const t = await portal.createTask({
      name: 'never',
      taskType: 'batch',
      engine: 'local',
      sql: 'INSERT INTO dwd.orders SELECT * FROM ods.orders',
      inputs: ['ods.orders'],
      outputs: ['dwd.orders'],
    });
    await expect(portal.triggerTask(t.id)).rejects.toMatchObject({ code: 'INVALID_STATE' });
  });

  it('answers ENGINE_NOT_CONFIGURED for an engine the portal lacks', async () => {
    const t = await portal.createTask({
      name: 'on_dolphin',
      taskType: 'batch',
      engine: 'dolphin',
      sql: 'INSERT INTO dwd.orders SELECT * FROM ods.orders',
      inputs: ['ods.orders'],
      outputs: ['dwd.orders'],
    });
    await expect(portal.publishTask(t.id)).rejects.toMatchObject({ code: 'ENGINE_NOT_CONFIGURED' });
  });
});
