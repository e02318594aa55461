import type { Task } from '@dataportal/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createDinkyEngine,
  type DinkyEngineConfig,
  type DinkyError,
  isDinkyError,
  mapDinkyJobStatus,
} from '../src';
import { createFakeDinky, type FakeDinky } from '../src/testing';
import { streamTask } from './helpers';

let fake: FakeDinky | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

const T0 = Date.UTC(2024, 6, 29, 6, 0, 0);
const LOGIN = { username: 'admin', password: 'admin' };
const TEMPLATE_SQL = Array.from({ length: 5 }, (_, i) => `\${dp_sql_${i + 1}};`).join('\n');

async function caught(p: Promise<unknown>): Promise<DinkyError> {
  try {
    await p;
  } catch (err) {
    if (isDinkyError(err)) return err;
    throw err;
  }
  throw new Error('expected a DinkyError');
}

async function setup(
  fakeOptions: Parameters<typeof createFakeDinky>[0] = {},
  engine: Partial<DinkyEngineConfig> = {},
) {
  fake = await createFakeDinky({ timeZone: 'Asia/Shanghai', now: () => T0, ...fakeOptions });
  const f = fake;
  const e = createDinkyEngine({
    url: f.url,
    timeZone: 'Asia/Shanghai',
    now: f.now,
    sleep: async (ms) => f.advance(ms),
    ...engine,
  });
  return { fake: f, engine: e };
}

describe('mapDinkyJobStatus', () => {
  it.each([
    ['RUNNING', 'running'],
    ['INITIALIZING', 'starting'],
    ['RECONNECTING', 'starting'],
    ['CANCELLING', 'starting'],
    ['FINISHED', 'finished'],
    ['CANCELED', 'stopped'],
    ['FAILED', 'failed'],
    ['UNKNOWN', 'unknown'],
    ['weird', 'unknown'],
  ])('maps %s to %s', (status, state) => {
    expect(mapDinkyJobStatus(status)).toBe(state);
  });
});

describe('createDinkyEngine publish', () => {
  it('creates a published Dinky task with the SQL, then updates the same task', async () => {
    const { fake, engine } = await setup({}, { login: LOGIN });
    expect(engine.capabilities.publish).toBe(true);
    const task = streamTask({ preStatements: ["SET 'parallelism.default' = '2'"] });
    const ref = await engine.publish?.(task);
    const dinky = fake.taskByName('dataportal_orders_agg');
    expect(ref).toMatchObject({ mode: 'managed', dinkyTaskId: dinky?.id, dinkyVersion: '1.1.0' });
    expect(dinky?.statement).toBe(`SET 'parallelism.default' = '2';\n${task.sql};`);
    expect(dinky?.step).toBe(2);
    const again = await engine.publish?.({
      ...task,
      sql: 'INSERT INTO b SELECT 1',
      engineRef: ref ?? null,
    });
    expect(again?.['dinkyTaskId']).toBe(dinky?.id);
    expect(fake.task(dinky?.id ?? 0)?.statement).toContain('INSERT INTO b SELECT 1');
    expect(fake.task(dinky?.id ?? 0)?.step).toBe(2);
  });

  it('binds to the template task when no login is configured', async () => {
    const { fake, engine } = await setup({}, {});
    const tpl = fake.addTask({ name: 'tpl', fragment: true, statement: TEMPLATE_SQL });
    const e = createDinkyEngine({ url: fake.url, template: { taskId: tpl.id, slots: 5 } });
    expect(engine.publish).toBeUndefined();
    expect(engine.capabilities.publish).toBe(false);
    const ref = await e.publish?.(streamTask());
    expect(ref).toMatchObject({ mode: 'template', dinkyTaskId: tpl.id });
    const tooMany = streamTask({
      sql: 'SELECT 1; SELECT 2; SELECT 3; SELECT 4; SELECT 5; SELECT 6',
    });
    expect((await caught(e.publish?.(tooMany) ?? Promise.resolve())).code).toBe('INVALID_ARGUMENT');
    const missing = createDinkyEngine({ url: fake.url, template: { taskId: 999 } });
    expect((await caught(missing.publish?.(streamTask()) ?? Promise.resolve())).code).toBe(
      'ENGINE_REJECTED',
    );
  });
});

describe('createDinkyEngine start', () => {
  it('submits each statement as a template variable and records the job instance id', async () => {
    const { fake } = await setup();
    const tpl = fake.addTask({ name: 'tpl', fragment: true, statement: TEMPLATE_SQL });
    const e = createDinkyEngine({ url: fake.url, template: { taskId: tpl.id, slots: 5 } });
    const task = streamTask({ preStatements: ["SET 'a' = 'b'"] });
    const started = await e.start({ ...task, engineRef: (await e.publish?.(task)) ?? null });
    expect(started.externalRunId).toBe('1');
    expect(started.engineRef).toMatchObject({
      mode: 'template',
      dinkyTaskId: tpl.id,
      jobInstanceId: 1,
    });
    expect(fake.instance(1)?.statements).toEqual(["SET 'a' = 'b'", task.sql]);
  });

  it('refuses a second start while the job runs (Dinky has no guard), and allows it after a failure', async () => {
    const { fake, engine } = await setup({}, { login: LOGIN });
    const task = streamTask();
    const ref = await engine.publish?.(task);
    const first = await engine.start({ ...task, engineRef: ref ?? null });
    const running = { ...task, engineRef: first.engineRef };
    const err = await caught(engine.start(running));
    expect(err.code).toBe('ALREADY_RUNNING');
    expect(err.details).toMatchObject({ jobInstanceId: 1, status: 'INITIALIZING' });
    expect(fake.instances()).toHaveLength(1);
    fake.setJobState(1, 'FAILED');
    expect((await engine.start(running)).externalRunId).toBe('2');
  });

  it('refuses to start when the Dinky task was started from Dinky itself', async () => {
    const { fake, engine } = await setup({}, { login: LOGIN });
    const task = streamTask();
    const ref = await engine.publish?.(task);
    await fetch(`${fake.url}/openapi/submitTask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: ref?.['dinkyTaskId'] }),
    });
    expect((await caught(engine.start({ ...task, engineRef: ref ?? null }))).code).toBe(
      'ALREADY_RUNNING',
    );
  });

  it('surfaces a failed submit (code 5) as ENGINE_EXCEPTION', async () => {
    const { fake, engine } = await setup({}, { login: LOGIN });
    const task = streamTask();
    const ref = await engine.publish?.(task);
    fake.failNextSubmit();
    const err = await caught(engine.start({ ...task, engineRef: ref ?? null }));
    expect(err.code).toBe('ENGINE_EXCEPTION');
    expect(err.engineDetail).toContain('ValidationException');
  });
});

async function startedTask(
  fake: FakeDinky,
  engine: ReturnType<typeof createDinkyEngine>,
): Promise<Task> {
  const task = streamTask();
  const ref = await engine.publish?.(task);
  const started = await engine.start({ ...task, engineRef: ref ?? null });
  expect(fake.instances()).toHaveLength(1);
  return { ...task, engineRef: started.engineRef };
}

describe('createDinkyEngine status', () => {
  it('reports starting without uptime while the job initialises', async () => {
    const { fake, engine } = await setup({}, { login: LOGIN });
    const task = await startedTask(fake, engine);
    const s = await engine.status(task);
    expect(s).toMatchObject({
      state: 'starting',
      engineState: 'INITIALIZING',
      externalRunId: '1',
      uptimeMs: null,
    });
  });

  it('computes uptime from the start time read in the server zone, not the stale duration', async () => {
    const { fake } = await setup();
    const t = fake.addTask({ name: 'bound' });
    const engine = createDinkyEngine({ url: fake.url, timeZone: 'Asia/Shanghai', now: fake.now });
    const task = streamTask({ engineRef: { mode: 'managed', dinkyTaskId: t.id } });
    const started = await engine.start(task);
    fake.setJobState(1, 'RUNNING');
    fake.advance((5 * 60 + 23) * 60_000);
    const s = await engine.status({ ...task, engineRef: started.engineRef });
    expect(s.state).toBe('running');
    expect(s.uptimeMs).toBe((5 * 60 + 23) * 60_000);
    expect(s.startedAt?.getTime()).toBe(T0);
    expect(fake.instance(1)?.storedDuration).toBe(0);
    // The same wall clock read as UTC would start eight hours late (and show no uptime at all).
    const utc = createDinkyEngine({ url: fake.url, timeZone: 'UTC', now: fake.now });
    const wrong = await utc.status({ ...task, engineRef: started.engineRef });
    expect((wrong.startedAt?.getTime() ?? 0) - T0).toBe(8 * 3600_000);
    expect(wrong.uptimeMs).toBe(0);
  });

  it('measures throughput from the rate metric first, then from two counter samples', async () => {
    const { fake, engine } = await setup({}, { login: LOGIN });
    const task = await startedTask(fake, engine);
    fake.setJobState(1, 'RUNNING');
    fake.setRecordRate(1, 12.5);
    const first = await engine.status(task);
    expect(first.throughput).toBe(12.5);
    fake.addRecords(1, 6000);
    fake.advance(60_000);
    const second = await engine.status(task);
    expect(second.throughput).toBe(100);
    expect(second.uptimeMs).toBe(60_000);
  });

  it('gives null throughput on the first sample in counters mode and without a login', async () => {
    const { fake, engine } = await setup({}, { login: LOGIN, throughput: 'counters' });
    const task = await startedTask(fake, engine);
    fake.setJobState(1, 'RUNNING');
    fake.setRecordRate(1, 5);
    expect((await engine.status(task)).throughput).toBeNull();
    const anon = createDinkyEngine({ url: fake.url, timeZone: 'Asia/Shanghai', now: fake.now });
    expect((await anon.status(task)).throughput).toBeNull();
  });

  it('reports a failed job with its error and uptime until the end', async () => {
    const { fake, engine } = await setup({}, { login: LOGIN });
    const task = await startedTask(fake, engine);
    fake.setJobState(1, 'RUNNING');
    fake.advance(90_000);
    fake.setJobState(1, 'FAILED', { error: 'java.io.IOException: kafka unreachable' });
    fake.advance(30_000);
    const s = await engine.status(task);
    expect(s).toMatchObject({ state: 'failed', engineState: 'FAILED', uptimeMs: 90_000 });
    expect(s.lastError).toContain('kafka unreachable');
  });

  it('reports a vanished job instance as failed', async () => {
    const { fake, engine } = await setup({}, { login: LOGIN });
    const task = await startedTask(fake, engine);
    fake.deleteInstance(1);
    const s = await engine.status(task);
    expect(s).toMatchObject({ state: 'failed', engineState: null, externalRunId: '1' });
    expect(s.lastError).toContain('vanished');
  });

  it('reports a never-started task as stopped without a run id', async () => {
    const { engine } = await setup({}, { login: LOGIN });
    expect(await engine.status(streamTask())).toMatchObject({
      state: 'stopped',
      externalRunId: null,
    });
  });
});

describe('createDinkyEngine stop and restart', () => {
  it('stops with a savepoint through savepointTask cancel and forces Dinky to see it', async () => {
    const { fake, engine } = await setup({}, { login: LOGIN });
    const task = await startedTask(fake, engine);
    fake.setJobState(1, 'RUNNING');
    const s = await engine.stop(task, { savepoint: true });
    expect(s).toMatchObject({ state: 'stopped', engineState: 'CANCELED', externalRunId: '1' });
    expect(fake.savepoints()).toEqual([expect.objectContaining({ type: 'cancel', instanceId: 1 })]);
    expect(fake.requests.find((q) => q.path === '/openapi/savepointTask')?.body).toEqual({
      taskId: 1,
      type: 'cancel',
    });
    expect(fake.requests.some((q) => q.path === '/openapi/cancel')).toBe(false);
    expect(
      fake.requests.find((q) => q.path === '/api/jobInstance/refreshJobInfoDetail')?.query[
        'isForce'
      ],
    ).toBe('true');
  });

  it('waits for Dinky to notice a savepoint stop when there is no login', async () => {
    const { fake } = await setup();
    const t = fake.addTask({ name: 'bound' });
    const engine = createDinkyEngine({
      url: fake.url,
      now: fake.now,
      sleep: async (ms) => fake.advance(ms),
    });
    const task = streamTask({ engineRef: { mode: 'managed', dinkyTaskId: t.id } });
    const started = await engine.start(task);
    fake.setJobState(1, 'RUNNING');
    const s = await engine.stop({ ...task, engineRef: started.engineRef }, { savepoint: true });
    expect(s.state).toBe('stopped');
    expect(fake.savepoints()).toHaveLength(1);
  });

  it('refuses to pretend a savepoint was taken when it fails (Dinky would cancel without one)', async () => {
    const { fake, engine } = await setup({}, { login: LOGIN });
    const task = await startedTask(fake, engine);
    fake.setJobState(1, 'RUNNING');
    fake.setSavepointFails(true);
    expect((await caught(engine.stop(task, { savepoint: true }))).code).toBe('ENGINE_EXCEPTION');
    expect(fake.instance(1)?.status).toBe('RUNNING');
  });

  it('stops without a savepoint through cancel with forceCancel=false', async () => {
    const { fake, engine } = await setup({}, { login: LOGIN });
    const task = await startedTask(fake, engine);
    fake.setJobState(1, 'RUNNING');
    expect((await engine.stop(task)).state).toBe('stopped');
    const cancel = fake.requests.find((q) => q.path === '/openapi/cancel');
    expect(cancel?.query).toMatchObject({ withSavePoint: 'false', forceCancel: 'false' });
    expect(fake.savepoints()).toHaveLength(0);
  });

  it('fails loudly instead of trusting a cancel Dinky cannot deliver', async () => {
    const { fake, engine } = await setup({}, { login: LOGIN });
    const task = await startedTask(fake, engine);
    fake.setJobState(1, 'RUNNING');
    fake.setClusterDown(true);
    expect((await caught(engine.stop(task))).code).toBe('ENGINE_EXCEPTION');
    expect(fake.instance(1)?.status).toBe('RUNNING');
  });

  it('does not cancel a job that already ended', async () => {
    const { fake, engine } = await setup({}, { login: LOGIN });
    const task = await startedTask(fake, engine);
    fake.setJobState(1, 'FINISHED');
    expect((await engine.stop(task)).state).toBe('finished');
    expect(fake.requests.some((q) => q.path === '/openapi/cancel')).toBe(false);
  });

  it("refuses to stop a shared template's job that another portal task started", async () => {
    const { fake } = await setup();
    const tpl = fake.addTask({ name: 'tpl', fragment: true, statement: TEMPLATE_SQL });
    const e = createDinkyEngine({ url: fake.url, template: { taskId: tpl.id, slots: 5 } });
    const a = streamTask({ id: 1, name: 'a' });
    const b = streamTask({ id: 2, name: 'b' });
    const ra = await e.start(a);
    await e.start(b);
    const err = await caught(e.stop({ ...a, engineRef: ra.engineRef }));
    expect(err.code).toBe('INSTANCE_MISMATCH');
    expect(err.details).toMatchObject({ expected: 1, actual: 2 });
  });

  it("restarts through Dinky's slow restart path and returns the new instance", async () => {
    const { fake, engine } = await setup({ restartDelayMs: 30 }, { login: LOGIN });
    const task = await startedTask(fake, engine);
    fake.setJobState(1, 'RUNNING');
    const r = await engine.restart?.(task);
    expect(r?.externalRunId).toBe('2');
    expect(r?.engineRef['jobInstanceId']).toBe(2);
    expect(fake.instance(1)?.status).toBe('CANCELED');
  });

  it('restarts a template job from a cancel savepoint with its variables', async () => {
    const { fake } = await setup();
    const tpl = fake.addTask({ name: 'tpl', fragment: true, statement: TEMPLATE_SQL });
    const e = createDinkyEngine({ url: fake.url, template: { taskId: tpl.id, slots: 5 } });
    const task = streamTask();
    const started = await e.start(task);
    fake.setJobState(1, 'RUNNING');
    const r = await e.restart?.({ ...task, engineRef: started.engineRef });
    expect(r?.externalRunId).toBe('2');
    expect(fake.instance(2)?.savePointPath).toBe(fake.savepoints()[0]?.path);
    expect(fake.instance(2)?.statements).toEqual([task.sql]);
  });
});

describe('createDinkyEngine on 0.7', () => {
  it('starts, reads status and stops a bound task', async () => {
    const { fake } = await setup({ version: '0.7' });
    const t = fake.addTask({ name: 'bound' });
    const e = createDinkyEngine({
      url: fake.url,
      timeZone: 'Asia/Shanghai',
      now: fake.now,
      sleep: async (ms) => fake.advance(ms),
    });
    const task = streamTask({ engineRef: { mode: 'managed', dinkyTaskId: t.id } });
    const started = await e.start(task);
    const running = { ...task, engineRef: started.engineRef };
    fake.setJobState(1, 'RUNNING');
    fake.advance(60_000);
    expect(await e.status(running)).toMatchObject({ state: 'running', uptimeMs: 60_000 });
    const before = fake.now();
    // 0.7's canceljob does not refresh the row: the stop is confirmed by polling, not assumed.
    expect((await e.stop(running)).state).toBe('stopped');
    expect(fake.now() - before).toBe(6000);
    expect(fake.requests.find((r) => r.path === '/openapi/savepointTask')?.body).toEqual({
      taskId: t.id,
      type: 'canceljob',
    });
  });

  it('refuses template publishing (0.7 submits without variables)', async () => {
    const { fake } = await setup({ version: '0.7' });
    const e = createDinkyEngine({ url: fake.url, template: { taskId: 1 } });
    expect((await caught(e.publish?.(streamTask()) ?? Promise.resolve())).code).toBe(
      'NOT_SUPPORTED',
    );
  });

  it('pings', async () => {
    const { engine } = await setup({ version: '0.7' });
    await expect(engine.ping?.()).resolves.toBeUndefined();
  });
});
