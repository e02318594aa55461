import { createStreamPoller, PortalService } from '@dataportal/sdk';
import { createTestStore, type TestStore } from '@dataportal/sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createDinkyEngine } from '../src';
import { createFakeDinky, type FakeDinky } from '../src/testing';

let fake: FakeDinky | null = null;
let store: TestStore | null = null;
afterEach(async () => {
  await fake?.close();
  await store?.drop();
  fake = null;
  store = null;
});

const T0 = Date.UTC(2024, 6, 29, 1, 0, 0);

describe('Dinky stream task through PortalService and the stream poller', () => {
  it('starts, reports uptime and throughput, records the failure, restarts and stops with a savepoint', async () => {
    fake = await createFakeDinky({ version: '1.1.0', timeZone: 'Asia/Shanghai', now: () => T0 });
    const f = fake;
    store = await createTestStore({ dialect: 'sqlite' });
    const engine = createDinkyEngine({
      url: f.url,
      login: { username: 'admin', password: 'admin' },
      timeZone: 'Asia/Shanghai',
      now: f.now,
    });
    const portal = new PortalService({ store, streamEngines: { dinky: engine }, now: f.now });
    const errors: unknown[] = [];
    const poller = createStreamPoller({
      portal,
      engine,
      intervalMs: 15_000,
      onError: (e) => errors.push(e),
    });

    // create → publish (a Dinky task holding the SQL) → start
    const created = await portal.createTask(
      {
        name: 'orders_agg',
        sql: 'INSERT INTO dws.orders_agg SELECT id, count(*) FROM ods.orders GROUP BY id',
        taskType: 'stream',
        engine: 'dinky',
        inputs: ['ods.orders'],
        outputs: ['dws.orders_agg'],
      },
      { registerMissingTables: true },
    );
    const published = await portal.publishTask(created.id);
    expect(published.engineRef).toMatchObject({ mode: 'managed', dinkyTaskId: 1 });
    expect(f.task(1)?.statement).toContain('INSERT INTO dws.orders_agg');
    const started = await portal.startStream(created.id);
    expect(started).toMatchObject({ state: 'starting', externalRunId: '1' });
    await expect(portal.startStream(created.id)).rejects.toMatchObject({ code: 'ENGINE_FAILED' });
    expect(f.instances()).toHaveLength(1);

    // the job runs for 5h 23m
    f.setJobState(1, 'RUNNING');
    f.setRecordRate(1, 40);
    f.advance((5 * 60 + 23) * 60_000);
    await poller.pollNow();
    const running = await portal.streamStatus(created.id);
    expect(running).toMatchObject({
      state: 'running',
      engineState: 'RUNNING',
      externalRunId: '1',
      uptimeMs: (5 * 60 + 23) * 60_000,
      throughput: 40,
      lastError: null,
    });
    f.addRecords(1, 3000);
    f.advance(60_000);
    expect((await portal.streamStatus(created.id)).throughput).toBe(50);

    // the job fails in Dinky; the poller records it
    f.setJobState(1, 'FAILED', { error: 'org.apache.kafka.common.errors.TimeoutException' });
    const pass = await poller.pollNow();
    expect(pass.recorded).toBe(1);
    const failedRuns = await portal.listExecutions({ taskId: created.id });
    expect(failedRuns.items.map((e) => [e.externalRunId, e.status])).toEqual([['1', 'FAILED']]);
    expect(failedRuns.items[0]?.message).toContain('TimeoutException');
    // the task is marked failed with the engine's message, so the poller stops following it
    expect(await portal.getTask(created.id)).toMatchObject({ status: 'failed' });
    expect((await portal.getTask(created.id)).lastError).toContain('TimeoutException');
    expect((await poller.pollNow()).tasks).toBe(0);

    // restart → a new job instance, followed by the poller
    const restarted = await portal.restartStream(created.id);
    expect(restarted.externalRunId).toBe('2');
    f.setJobState(2, 'RUNNING');
    await poller.pollNow();
    expect((await portal.streamStatus(created.id)).state).toBe('running');

    // stop with a savepoint
    const stopped = await portal.stopStream(created.id, { savepoint: true });
    expect(stopped).toMatchObject({ state: 'stopped', externalRunId: '2' });
    expect(f.savepoints(1)).toHaveLength(1);
    expect(f.savepoints(1)[0]).toMatchObject({ type: 'cancel', instanceId: 2 });
    expect((await poller.pollNow()).tasks).toBe(0);

    const runs = await portal.listExecutions({ taskId: created.id });
    expect(
      runs.items
        .map((e) => [e.externalRunId, e.status])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    ).toEqual([
      ['1', 'FAILED'],
      ['2', 'KILLED'],
    ]);
    expect((await portal.getTask(created.id)).status).toBe('offline');
    expect(errors).toEqual([]);
  });
});
