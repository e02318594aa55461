// Issue 18: the adapter and its fake behave the way Dinky's source (and a real Flink 1.20) says,
// on every version line. Each rule names the Dinky source it follows; see the README section
// "How the fake follows Dinky".
import type { Task } from '@dataportal/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createDinkyEngine,
  DinkyClient,
  type DinkyEngineConfig,
  type DinkyError,
  isDinkyError,
} from '../src';
import { createFakeDinky, type FakeDinky, type FakeDinkyOptions } from '../src/testing';
import { streamTask } from './helpers';

const fakes: FakeDinky[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

const T0 = Date.UTC(2024, 6, 29, 6, 0, 0);
const LOGIN = { username: 'admin', password: 'admin' };
const LINES = ['0.7', '1.0.3', '1.1.0', '1.2.0'] as const;
const LINES_1X = ['1.0.3', '1.1.0', '1.2.0'] as const;

async function fakeDinky(options: FakeDinkyOptions = {}): Promise<FakeDinky> {
  const f = await createFakeDinky({ now: () => T0, language: 'en', ...options });
  fakes.push(f);
  return f;
}

function engineOn(f: FakeDinky, config: Partial<DinkyEngineConfig> = {}) {
  return createDinkyEngine({
    url: f.url,
    timeZone: 'Asia/Shanghai',
    now: f.now,
    sleep: async (ms) => f.advance(ms),
    ...config,
  });
}

async function caught(p: Promise<unknown>): Promise<DinkyError> {
  try {
    await p;
  } catch (err) {
    if (isDinkyError(err)) return err;
    throw err;
  }
  throw new Error('expected a DinkyError');
}

async function get(f: FakeDinky, path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${f.url}${path}`, { headers });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A running job of a Dinky task bound to a portal task (managed mode), started through the engine. */
async function runningJob(
  f: FakeDinky,
  engine: ReturnType<typeof createDinkyEngine>,
  graph: 'chained' | 'unchained' = 'unchained',
  parallelism = 1,
): Promise<Task> {
  const t = f.addTask({ name: `job_${f.instances().length}_${graph}`, graph, parallelism });
  const task = streamTask({ engineRef: { mode: 'managed', dinkyTaskId: t.id } });
  const started = await engine.start(task);
  f.setJobState(Number(started.externalRunId), 'RUNNING');
  return { ...task, engineRef: started.engineRef };
}

describe('a missing job instance (JobInstanceServiceImpl.initTenantByJobInstanceId → Asserts.checkNull)', () => {
  it.each(LINES)('is code 1 "Job Instance Not Exist" on %s, never data: null', async (version) => {
    const f = await fakeDinky({ version });
    const r = await get(f, '/openapi/getJobInstance?id=42');
    expect(r.status).toBe(200);
    expect(r.body['code']).toBe(1);
    expect(r.body['msg']).toBe('Job Instance Not Exist');
  });

  it.each(LINES)(
    'reads as null in the client and as failed in the engine on %s',
    async (version) => {
      const f = await fakeDinky({ version });
      expect(await new DinkyClient({ url: f.url }).getJobInstance(42)).toBeNull();
      const engine = engineOn(f);
      const task = await runningJob(f, engine);
      f.deleteInstance(1);
      expect(await engine.status(task)).toMatchObject({
        state: 'failed',
        engineState: null,
        externalRunId: '1',
      });
    },
  );

  it('keeps "unknown task" an error for getJobInstanceByTaskId (initTenantByTaskId), null for a task that never ran', async () => {
    const f = await fakeDinky();
    expect((await get(f, '/openapi/getJobInstanceByTaskId?id=9')).body['code']).toBe(1);
    const t = f.addTask({ name: 'never_ran' });
    const client = new DinkyClient({ url: f.url });
    expect(await client.getLatestJobInstance(t.id)).toBeNull();
    expect((await caught(client.getLatestJobInstance(9))).code).toBe('ENGINE_REJECTED');
  });
});

describe('0.7 ping (no /openapi/version; getJobInstance?id=0 answers code 1)', () => {
  it('succeeds on a healthy 0.7 and fails when nothing answers', async () => {
    const f = await fakeDinky({ version: '0.7' });
    await expect(new DinkyClient({ url: f.url }).ping()).resolves.toBeUndefined();
    const url = f.url;
    await f.close();
    fakes.splice(fakes.indexOf(f), 1);
    const err = await caught(new DinkyClient({ url, version: '0.7', retry: { limit: 0 } }).ping());
    expect(err.code).toBe('NETWORK_ERROR');
  });
});

describe('stop is confirmed by polling within a bounded wait', () => {
  it.each(LINES)(
    'waits on %s until Dinky shows the job ended (clock moves 2 s per read)',
    async (version) => {
      const f = await fakeDinky({ version });
      const engine = engineOn(f);
      const task = await runningJob(f, engine);
      const before = f.now();
      const stopped = await engine.stop(task);
      expect(stopped.state).toBe('stopped');
      // 0.7 never refreshes on cancel and 1.x reads CANCELLING right after it: the row changes on
      // the next 5 s refresh, seen by the read at +6 s.
      expect(f.now() - before).toBe(6000);
    },
  );

  it.each(LINES_1X)('with a savepoint on %s, waits for the refresh too', async (version) => {
    const f = await fakeDinky({ version });
    const engine = engineOn(f);
    const task = await runningJob(f, engine);
    const before = f.now();
    expect((await engine.stop(task, { savepoint: true })).state).toBe('stopped');
    expect(f.now() - before).toBe(6000);
    expect(f.savepoints()).toHaveLength(1);
  });

  it('forces a refresh first when logged in, so no wait is needed', async () => {
    const f = await fakeDinky({ version: '1.2.0' });
    const engine = engineOn(f, { login: LOGIN });
    const task = await runningJob(f, engine);
    const before = f.now();
    expect((await engine.stop(task)).state).toBe('stopped');
    expect(f.now() - before).toBe(0);
    expect(
      f.requests.some(
        (r) => r.path === '/api/jobInstance/refreshJobInfoDetail' && r.query['isForce'] === 'true',
      ),
    ).toBe(true);
  });

  it.each(LINES)(
    'gives up after 30 s by default on %s with STOP_NOT_CONFIRMED',
    async (version) => {
      const f = await fakeDinky({ version });
      const engine = engineOn(f);
      const task = await runningJob(f, engine);
      f.setStuckOnStop(Number(task.engineRef?.['dinkyTaskId']), true);
      const before = f.now();
      const err = await caught(engine.stop(task));
      expect(err.code).toBe('STOP_NOT_CONFIRMED');
      expect(f.now() - before).toBe(30_000);
      expect(err.details).toMatchObject({ jobInstanceId: 1 });
    },
  );

  it('takes its bound from stopTimeoutMs', async () => {
    const f = await fakeDinky({ version: '1.1.0' });
    const engine = engineOn(f, { stopTimeoutMs: 5000, stopPollMs: 1000 });
    const task = await runningJob(f, engine);
    f.setStuckOnStop(Number(task.engineRef?.['dinkyTaskId']), true);
    const before = f.now();
    expect((await caught(engine.stop(task))).code).toBe('STOP_NOT_CONFIRMED');
    expect(f.now() - before).toBe(5000);
  });

  it.each(LINES)(
    'checks the cancel answer on %s: false is STOP_FAILED, the job still runs',
    async (version) => {
      const f = await fakeDinky({ version });
      const engine = engineOn(f);
      const task = await runningJob(f, engine);
      f.setCancelRefused(true);
      expect((await caught(engine.stop(task))).code).toBe('STOP_FAILED');
      expect(f.instance(1)?.status).toBe('RUNNING');
    },
  );
});

describe('throughput of chained and unchained graphs (Flink 1.20 per-vertex metric names)', () => {
  it('the fake answers a chained vertex like Flink: zeros at vertex and task scope, records per operator', async () => {
    const f = await fakeDinky({ version: '1.1.0' });
    const engine = engineOn(f, { login: LOGIN });
    await runningJob(f, engine, 'chained');
    f.setRecordRate(1, 50);
    f.addRecords(1, 4900);
    const client = new DinkyClient({ url: f.url, login: LOGIN });
    const detail = await client.getJobDetail(1);
    const job = detail.jobDataDto?.job;
    expect(job?.vertices.map((v) => v.name)).toEqual(['Source: source_t[1] -> Sink: sink_t[2]']);
    expect(job?.vertices[0]?.metrics).toMatchObject({ 'read-records': 0, 'write-records': 0 });
    const q = {
      address: '127.0.0.1:8081',
      jobId: job?.jid ?? '',
      vertexId: job?.vertices[0]?.id ?? '',
    };
    const ids = await client.getVertexMetricIds(q);
    expect(ids).toContain('0.Source__source_t[1].numRecordsOutPerSecond');
    expect(ids).toContain('0.Sink__sink_t[2].numRecordsInPerSecond');
    const values = await client.getVertexMetrics({
      ...q,
      metrics: [
        '0.numRecordsOutPerSecond',
        '0.Source__source_t[1].numRecordsOutPerSecond',
        '0.Source__source_t[1].numRecordsOut',
        'numRecordsOutPerSecond',
      ],
    });
    expect(values).toEqual([
      { id: '0.numRecordsOutPerSecond', value: '0.0' },
      { id: '0.Source__source_t[1].numRecordsOutPerSecond', value: '50.0' },
      { id: '0.Source__source_t[1].numRecordsOut', value: '4900' },
    ]);
  });

  it('measures a chained job from the operator metrics: the rate first, then counter differences', async () => {
    const f = await fakeDinky({ version: '1.2.0' });
    const engine = engineOn(f, { login: LOGIN });
    const task = await runningJob(f, engine, 'chained', 2);
    f.setRecordRate(1, 50);
    expect((await engine.status(task)).throughput).toBe(50);
    f.addRecords(1, 6000);
    f.advance(60_000);
    expect((await engine.status(task)).throughput).toBe(100);
  });

  it('measures an unchained job from the vertex counters as before', async () => {
    const f = await fakeDinky({ version: '1.0.3' });
    const engine = engineOn(f, { login: LOGIN });
    const task = await runningJob(f, engine, 'unchained', 2);
    f.setRecordRate(1, 50);
    expect((await engine.status(task)).throughput).toBe(50);
    f.addRecords(1, 3000);
    f.advance(60_000);
    expect((await engine.status(task)).throughput).toBe(50);
  });
});

describe('two portal replicas sharing one Dinky user (sa-token is-concurrent: false)', () => {
  it('do not log each other out in a loop: each logs in once, later kick-outs wait for the cooldown', async () => {
    const f = await fakeDinky({ version: '1.1.0' });
    const a = engineOn(f, { login: LOGIN });
    const b = engineOn(f, { login: LOGIN });
    const task = await runningJob(f, a);
    for (let i = 0; i < 10; i++) {
      await expect(a.status(task)).resolves.toMatchObject({ state: 'running' });
      await expect(b.status(task)).resolves.toMatchObject({ state: 'running' });
      f.advance(5000);
    }
    // 50 s of polling: A and B each logged in once, plus at most one re-login after the cooldown.
    expect(f.requests.filter((r) => r.path === '/api/login').length).toBeLessThanOrEqual(3);
  });

  it('share one login through a token store, and both keep their metrics', async () => {
    const f = await fakeDinky({ version: '1.2.0' });
    let shared: string | null = null;
    const tokenStore = {
      get: async () => shared,
      set: async (token: string) => {
        shared = token;
      },
    };
    const a = engineOn(f, { login: LOGIN, tokenStore });
    const b = engineOn(f, { login: LOGIN, tokenStore });
    const task = await runningJob(f, a);
    f.setRecordRate(1, 20);
    for (let i = 0; i < 5; i++) {
      expect((await a.status(task)).throughput).not.toBeNull();
      expect((await b.status(task)).throughput).not.toBeNull();
      f.addRecords(1, 100);
      f.advance(5000);
    }
    expect(f.requests.filter((r) => r.path === '/api/login')).toHaveLength(1);
    expect(f.activeTokens()).toEqual([shared]);
  });

  it('adopts a newer shared token after a kick-out instead of logging in again', async () => {
    const f = await fakeDinky({ version: '1.1.0' });
    let shared: string | null = null;
    const tokenStore = {
      get: async () => shared,
      set: async (token: string) => {
        shared = token;
      },
    };
    const a = new DinkyClient({ url: f.url, login: LOGIN, tokenStore, now: f.now });
    const t = f.addTask({ name: 't' });
    await a.getTask(t.id);
    // Another replica (or a person) logs in with the same user and publishes its token.
    const res = await fetch(`${f.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(LOGIN),
    });
    shared = res.headers.get('token');
    expect((await a.getTask(t.id)).id).toBe(t.id);
    expect(f.requests.filter((r) => r.path === '/api/login')).toHaveLength(2);
  });
});

describe('login and tokens (sa-token settings in application.yml, AdminController.login)', () => {
  it.each([
    ['1.1.0', 'token', 'dinky-token'],
    ['1.2.0', 'dinky-token', 'token'],
  ])('Dinky %s reads the token from %s and ignores %s', async (version, right, wrong) => {
    const f = await fakeDinky({ version });
    const res = await fetch(`${f.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(LOGIN),
    });
    const token = res.headers.get(right) ?? '';
    expect(token).not.toBe('');
    const t = f.addTask({ name: 't' });
    expect((await get(f, `/api/task?id=${t.id}`, { [wrong]: token })).status).toBe(401);
    expect((await get(f, `/api/task?id=${t.id}`, { [right]: token })).body['code']).toBe(0);
  });

  it('answers wrong credentials with code 7 in HTTP 200 (Result.authorizeFailed), which the client reports as UNAUTHORIZED', async () => {
    const f = await fakeDinky({ version: '1.1.0' });
    const res = await fetch(`${f.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'nope' }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { code: number }).code).toBe(7);
    const client = new DinkyClient({ url: f.url, login: { username: 'admin', password: 'nope' } });
    expect((await caught(client.login())).code).toBe('UNAUTHORIZED');
  });
});

describe('PUT /api/task validation (TaskController.saveOrUpdateTask, @Validated since 1.1)', () => {
  async function putTask(f: FakeDinky, body: unknown) {
    const login = await fetch(`${f.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(LOGIN),
    });
    const token = login.headers.get(f.tokenName) ?? '';
    const res = await fetch(`${f.url}/api/task`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', [f.tokenName]: token },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it.each(['1.1.0', '1.2.0'])(
    '%s answers HTTP 400 code 6 without name or enabled',
    async (version) => {
      const f = await fakeDinky({ version });
      const t = f.addTask({ name: 't' });
      const r = await putTask(f, { id: t.id, statement: 'SELECT 1' });
      expect(r).toMatchObject({ status: 400, body: { code: 6, data: null } });
      expect(f.task(t.id)?.statement).not.toBe('SELECT 1');
    },
  );

  it('1.0 has no validation and saves the non-null fields', async () => {
    const f = await fakeDinky({ version: '1.0.3' });
    const t = f.addTask({ name: 't' });
    const r = await putTask(f, { id: t.id, statement: 'SELECT 1' });
    expect(r).toMatchObject({ status: 200, body: { code: 0 } });
    expect(f.task(t.id)).toMatchObject({ name: 't', statement: 'SELECT 1' });
  });
});

describe('0.7 savepointTask (TaskServiceImpl.savepointJobInstance)', () => {
  it('answers true for a task without a job instance, and canceljob leaves the row RUNNING until the refresh', async () => {
    const f = await fakeDinky({ version: '0.7' });
    const t = f.addTask({ name: 't' });
    const post = (type: string) =>
      fetch(`${f.url}/openapi/savepointTask`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ taskId: t.id, type }),
      }).then(async (r) => (await r.json()) as Record<string, unknown>);
    expect(await post('canceljob')).toMatchObject({ code: 0, datas: true });
    await fetch(`${f.url}/openapi/submitTask?id=${t.id}`);
    f.setJobState(1, 'RUNNING');
    expect(await post('canceljob')).toMatchObject({ code: 0, datas: true });
    f.advance(4999);
    expect((await get(f, '/openapi/getJobInstance?id=1')).body['datas']).toMatchObject({
      status: 'RUNNING',
    });
    f.advance(1);
    expect((await get(f, '/openapi/getJobInstance?id=1')).body['datas']).toMatchObject({
      status: 'CANCELED',
    });
  });
});

describe('restart reports the savepoint it resumes from (TaskServiceImpl.restartTask)', () => {
  it.each(LINES_1X)('on %s', async (version) => {
    const f = await fakeDinky({ version });
    const engine = engineOn(f);
    const task = await runningJob(f, engine);
    const restarted = await engine.restart?.(task);
    expect(restarted?.savepointPath).toMatch(/^file:\/\/\/tmp\/dinky\/savepoints\//);
    expect(restarted?.savepointPath).toBe(f.savepoints()[0]?.path);
    expect(f.instance(2)?.savePointPath).toBe(restarted?.savepointPath);
  });
});
