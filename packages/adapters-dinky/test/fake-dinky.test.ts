import { afterEach, describe, expect, it } from 'vitest';
import { createFakeDinky, type FakeDinky } from '../src/testing';

let fake: FakeDinky | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

async function call(
  f: FakeDinky,
  method: string,
  path: string,
  init: { json?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${f.url}${path}`, {
    method,
    headers: {
      ...(init.json === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
  });
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown>,
    headers: res.headers,
  };
}

async function login(f: FakeDinky): Promise<string> {
  const r = await call(f, 'POST', '/api/login', { json: { username: 'admin', password: 'admin' } });
  return r.headers.get(f.tokenName) ?? '';
}

describe('createFakeDinky (1.x)', () => {
  it('listens on a random loopback port and answers the version in the 1.x envelope', async () => {
    fake = await createFakeDinky({ version: '1.1.0' });
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const r = await call(fake, 'GET', '/openapi/version');
    expect(r.body).toMatchObject({ code: 0, data: '1.1.0', success: true });
    expect(r.body['time']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(r.body).not.toHaveProperty('datas');
  });

  it('answers msg in both languages over many calls', async () => {
    fake = await createFakeDinky();
    const msgs = new Set<unknown>();
    for (let i = 0; i < 12; i++)
      msgs.add((await call(fake, 'GET', '/openapi/version')).body['msg']);
    expect([...msgs].some((m) => /^[\x20-\x7e]+$/.test(String(m)))).toBe(true);
    expect([...msgs].some((m) => /[^\x20-\x7e]/.test(String(m)))).toBe(true);
  });

  it('reports an unknown task as code 1 in HTTP 200 with null data', async () => {
    fake = await createFakeDinky();
    const r = await call(fake, 'POST', '/openapi/submitTask', { json: { id: 99 } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ code: 1, data: null, success: false });
  });

  it('rejects GET /openapi/submitTask (POST only in 1.x) with an error envelope', async () => {
    fake = await createFakeDinky();
    const t = fake.addTask({ name: 't' });
    const r = await call(fake, 'GET', `/openapi/submitTask?id=${t.id}`);
    expect(r.body['code']).toBe(5);
    expect(fake.instances()).toHaveLength(0);
  });

  it('answers unknown routes with HTTP 404 and no envelope', async () => {
    fake = await createFakeDinky();
    const r = await call(fake, 'GET', '/openapi/nothing');
    expect(r.status).toBe(404);
    expect(r.body).not.toHaveProperty('code');
  });

  it('fails a scripted submit with code 5 and a stack trace string as data', async () => {
    fake = await createFakeDinky();
    const t = fake.addTask({ name: 't' });
    fake.failNextSubmit('boom');
    const r = await call(fake, 'POST', '/openapi/submitTask', { json: { id: t.id } });
    expect(r.body['code']).toBe(5);
    expect(typeof r.body['data']).toBe('string');
    expect(String(r.body['data']).split('\n').length).toBeGreaterThan(20);
  });

  it('accepts /openapi calls without a token and does not block duplicate submits', async () => {
    fake = await createFakeDinky();
    const t = fake.addTask({ name: 't' });
    const a = await call(fake, 'POST', '/openapi/submitTask', { json: { id: t.id } });
    const b = await call(fake, 'POST', '/openapi/submitTask', {
      json: { id: t.id },
      headers: { token: 'wrong' },
    });
    expect(a.body['code']).toBe(0);
    expect(b.body['code']).toBe(0);
    expect(fake.instances(t.id)).toHaveLength(2);
    expect((a.body['data'] as Record<string, unknown>)['jobInstanceId']).toBe(1);
    expect(fake.instance(1)?.status).toBe('INITIALIZING');
  });

  it('substitutes variables per statement only when fragment is on', async () => {
    fake = await createFakeDinky();
    const on = fake.addTask({ name: 'on', fragment: true, statement: `\${a};\n\${b}` });
    const off = fake.addTask({ name: 'off', statement: `select \${a}` });
    await call(fake, 'POST', '/openapi/submitTask', {
      json: { id: on.id, variables: { a: 'set x = 1', b: 'insert into t select 1' } },
    });
    await call(fake, 'POST', '/openapi/submitTask', {
      json: { id: off.id, variables: { a: '1' } },
    });
    expect(fake.instances(on.id)[0]?.statements).toEqual(['set x = 1', 'insert into t select 1']);
    expect(fake.instances(off.id)[0]?.statements).toEqual([`select \${a}`]);
  });

  it('requires a login on /api with the version token header (401, code 7)', async () => {
    fake = await createFakeDinky({ version: '1.1.0' });
    const t = fake.addTask({ name: 't' });
    const anon = await call(fake, 'GET', `/api/task?id=${t.id}`);
    expect(anon.status).toBe(401);
    expect(anon.body['code']).toBe(7);
    const token = await login(fake);
    expect(token).not.toBe('');
    const ok = await call(fake, 'GET', `/api/task?id=${t.id}`, { headers: { token } });
    expect(ok.body['code']).toBe(0);
    const wrongName = await call(fake, 'GET', `/api/task?id=${t.id}`, {
      headers: { 'dinky-token': token },
    });
    expect(wrongName.status).toBe(401);
  });

  it('uses the dinky-token header from 1.2', async () => {
    fake = await createFakeDinky({ version: '1.2.0' });
    const t = fake.addTask({ name: 't' });
    const token = await login(fake);
    const r = await call(fake, 'GET', `/api/task?id=${t.id}`, {
      headers: { 'dinky-token': token },
    });
    expect(r.body['code']).toBe(0);
  });

  it('invalidates the first token when the same user logs in again', async () => {
    fake = await createFakeDinky();
    const t = fake.addTask({ name: 't' });
    const first = await login(fake);
    const second = await login(fake);
    expect(
      (await call(fake, 'GET', `/api/task?id=${t.id}`, { headers: { token: first } })).status,
    ).toBe(401);
    expect(
      (await call(fake, 'GET', `/api/task?id=${t.id}`, { headers: { token: second } })).status,
    ).toBe(200);
  });

  it('refuses to edit a published task and requires name and enabled', async () => {
    fake = await createFakeDinky();
    const t = fake.addTask({ name: 't', step: 2 });
    const token = await login(fake);
    const headers = { token };
    const online = await call(fake, 'PUT', '/api/task', {
      json: { id: t.id, name: 't', enabled: true, statement: 'x' },
      headers,
    });
    expect(online.body['code']).toBe(1);
    const invalid = await call(fake, 'PUT', '/api/task', { json: { id: t.id }, headers });
    expect(invalid.status).toBe(400);
    expect(invalid.body['code']).toBe(6);
    await call(fake, 'GET', `/api/task/changeTaskLife?taskId=${t.id}&lifeCycle=1`, { headers });
    const saved = await call(fake, 'PUT', '/api/task', {
      json: { id: t.id, name: 't', enabled: true, statement: 'x' },
      headers,
    });
    expect(saved.body['code']).toBe(0);
    expect(fake.task(t.id)?.statement).toBe('x');
  });

  it('rejects a duplicate catalogue name with code 1', async () => {
    fake = await createFakeDinky();
    fake.addTask({ name: 'dup' });
    const token = await login(fake);
    const r = await call(fake, 'PUT', '/api/catalogue/saveOrUpdateCatalogueAndTask', {
      json: { name: 'dup', type: 'FlinkSql', parentId: 0 },
      headers: { token },
    });
    expect(r.body['code']).toBe(1);
  });

  it('keeps the stored duration stale until the row is written, and finishTime in 1970 while running', async () => {
    const at = Date.UTC(2024, 6, 29, 14, 0, 0);
    fake = await createFakeDinky({ timeZone: 'UTC', now: () => at });
    const t = fake.addTask({ name: 't' });
    await call(fake, 'POST', '/openapi/submitTask', { json: { id: t.id } });
    fake.setJobState(1, 'RUNNING');
    fake.advance(600_000);
    const stale = (await call(fake, 'GET', '/openapi/getJobInstance?id=1')).body['data'] as Record<
      string,
      unknown
    >;
    expect(stale['duration']).toBe(0);
    expect(String(stale['finishTime'])).toMatch(/^1969-12-31|^1970-01-01/);
    fake.persistInstance(1);
    const fresh = (await call(fake, 'GET', '/openapi/getJobInstance?id=1')).body['data'] as Record<
      string,
      unknown
    >;
    expect(fresh['duration']).toBe(600_000);
  });

  it('renders times in the configured server zone', async () => {
    const at = Date.UTC(2024, 6, 29, 14, 0, 0);
    fake = await createFakeDinky({ timeZone: 'Asia/Shanghai', now: () => at });
    const t = fake.addTask({ name: 't' });
    await call(fake, 'POST', '/openapi/submitTask', { json: { id: t.id } });
    const inst = (await call(fake, 'GET', '/openapi/getJobInstance?id=1')).body['data'] as Record<
      string,
      unknown
    >;
    expect(inst['createTime']).toBe('2024-07-29 22:00:00');
  });

  it('cancels with forceCancel=true by default and lies when the cluster is down', async () => {
    fake = await createFakeDinky();
    const t = fake.addTask({ name: 't' });
    await call(fake, 'POST', '/openapi/submitTask', { json: { id: t.id } });
    fake.setJobState(1, 'RUNNING');
    fake.setClusterDown(true);
    const strict = await call(fake, 'GET', `/openapi/cancel?id=${t.id}&forceCancel=false`);
    expect(strict.body['code']).toBe(5);
    const lie = await call(fake, 'GET', `/openapi/cancel?id=${t.id}`);
    expect(lie.body).toMatchObject({ code: 0, data: true });
    expect(fake.instance(1)?.status).toBe('UNKNOWN');
  });

  it('answers code 1 for cancel without any job instance', async () => {
    fake = await createFakeDinky();
    const t = fake.addTask({ name: 't' });
    expect((await call(fake, 'GET', `/openapi/cancel?id=${t.id}`)).body['code']).toBe(1);
  });

  it('treats an unknown savepointTask type as trigger and ends the job for stop/cancel', async () => {
    fake = await createFakeDinky();
    const t = fake.addTask({ name: 't' });
    await call(fake, 'POST', '/openapi/submitTask', { json: { id: t.id } });
    fake.setJobState(1, 'RUNNING');
    const typo = await call(fake, 'POST', '/openapi/savepointTask', {
      json: { taskId: t.id, type: 'canceljob' },
    });
    expect(typo.body['code']).toBe(0);
    expect(fake.instance(1)?.status).toBe('RUNNING');
    expect(fake.savepoints(t.id)[0]?.type).toBe('trigger');
    await call(fake, 'POST', '/openapi/savepointTask', { json: { taskId: t.id, type: 'stop' } });
    // Dinky notices the stop only on its next refresh.
    expect(fake.instance(1)?.status).toBe('RUNNING');
    fake.refreshJobs();
    expect(fake.instance(1)?.status).toBe('FINISHED');
  });

  it('takes /openapi/savepoint parameters from the query and rejects unknown types with code 5', async () => {
    fake = await createFakeDinky();
    const t = fake.addTask({ name: 't' });
    await call(fake, 'POST', '/openapi/submitTask', { json: { id: t.id } });
    const bad = await call(fake, 'POST', `/openapi/savepoint?taskId=${t.id}&savePointType=nope`);
    expect(bad.body['code']).toBe(5);
    const good = await call(
      fake,
      'POST',
      `/openapi/savepoint?taskId=${t.id}&savePointType=TRIGGER`,
    );
    expect(good.body['code']).toBe(0);
  });

  it('restarts with a savepoint after the delay, or fails with code 1 when the stop hangs', async () => {
    fake = await createFakeDinky({ restartDelayMs: 20 });
    const t = fake.addTask({ name: 't' });
    await call(fake, 'POST', '/openapi/submitTask', { json: { id: t.id } });
    fake.setJobState(1, 'RUNNING');
    const r = await call(fake, 'GET', `/openapi/restartTask?id=${t.id}`);
    expect(r.body['code']).toBe(0);
    expect(fake.instance(1)?.status).toBe('CANCELED');
    expect(fake.instance(2)?.savePointPath).toBe(fake.savepoints(t.id)[0]?.path);
    fake.setJobState(2, 'RUNNING');
    fake.setStuckOnStop(t.id, true);
    const hung = await call(fake, 'GET', `/openapi/restartTask?id=${t.id}`);
    // TaskServiceImpl.restartTask: BusException "stop job failed" after 11 waits of 2 s → code 1.
    expect(hung.body['code']).toBe(1);
    expect(fake.instances(t.id)).toHaveLength(2);
  });

  it('answers null task lineage for Flink SQL (1.x bug) but gives the instance lineage via /api', async () => {
    fake = await createFakeDinky();
    const t = fake.addTask({ name: 't' });
    fake.setTaskLineage(t.id, { tables: [{ id: '2', name: 'c.d.t', columns: [] }], relations: [] });
    const r = await call(fake, 'GET', `/openapi/getTaskLineage?id=${t.id}`);
    expect(r.body).toMatchObject({ code: 0, data: null });
    await call(fake, 'POST', '/openapi/submitTask', { json: { id: t.id } });
    const token = await login(fake);
    const li = await call(fake, 'GET', '/api/jobInstance/getLineage?id=1', { headers: { token } });
    expect((li.body['data'] as { tables: unknown[] }).tables).toHaveLength(1);
  });

  it('grows vertex counters as the test adds records', async () => {
    fake = await createFakeDinky();
    const t = fake.addTask({ name: 't' });
    await call(fake, 'POST', '/openapi/submitTask', { json: { id: t.id } });
    fake.setJobState(1, 'RUNNING');
    fake.addRecords(1, 500);
    const token = await login(fake);
    const d = await call(fake, 'GET', '/api/jobInstance/refreshJobInfoDetail?id=1&isForce=false', {
      headers: { token },
    });
    const job = (d.body['data'] as { jobDataDto: { job: Record<string, unknown> } }).jobDataDto.job;
    expect(
      (job['vertices'] as { metrics: Record<string, number> }[])[0]?.metrics['write-records'],
    ).toBe(500);
    expect(typeof job['start-time']).toBe('number');
  });
});

describe('createFakeDinky savepoint failures', () => {
  it('cancels without a savepoint but answers true, while savepointTask fails with code 5', async () => {
    fake = await createFakeDinky();
    const t = fake.addTask({ name: 't' });
    await call(fake, 'POST', '/openapi/submitTask', { json: { id: t.id } });
    fake.setJobState(1, 'RUNNING');
    fake.setSavepointFails(true);
    const sp = await call(fake, 'POST', '/openapi/savepointTask', {
      json: { taskId: t.id, type: 'cancel' },
    });
    expect(sp.body['code']).toBe(5);
    const cancel = await call(
      fake,
      'GET',
      `/openapi/cancel?id=${t.id}&withSavePoint=true&forceCancel=false`,
    );
    expect(cancel.body).toMatchObject({ code: 0, data: true });
    expect(fake.savepoints()).toHaveLength(0);
    expect(fake.instance(1)?.status).toBe('CANCELLING');
  });

  it('applies a savepoint stop after the refresh period or a forced refresh', async () => {
    const at = Date.UTC(2024, 6, 29);
    fake = await createFakeDinky({ now: () => at });
    const t = fake.addTask({ name: 't' });
    await call(fake, 'POST', '/openapi/submitTask', { json: { id: t.id } });
    fake.setJobState(1, 'RUNNING');
    await call(fake, 'POST', '/openapi/savepointTask', { json: { taskId: t.id, type: 'cancel' } });
    const before = await call(fake, 'GET', '/openapi/getJobInstance?id=1');
    expect((before.body['data'] as { status: string }).status).toBe('RUNNING');
    fake.advance(5000);
    const after = await call(fake, 'GET', '/openapi/getJobInstance?id=1');
    expect((after.body['data'] as { status: string }).status).toBe('CANCELED');
  });
});

describe('createFakeDinky (0.7)', () => {
  it('has no /openapi/version and uses the datas envelope without success', async () => {
    fake = await createFakeDinky({ version: '0.7' });
    expect((await call(fake, 'GET', '/openapi/version')).status).toBe(404);
    const t = fake.addTask({ name: 't' });
    const r = await call(fake, 'GET', `/openapi/submitTask?id=${t.id}`);
    expect(r.body).toMatchObject({ code: 0 });
    expect(r.body).toHaveProperty('datas');
    expect(r.body).not.toHaveProperty('success');
    expect(r.body).not.toHaveProperty('data');
  });

  it('cancels through savepointTask canceljob and reports failures as code 1', async () => {
    fake = await createFakeDinky({ version: '0.7' });
    const t = fake.addTask({ name: 't' });
    await call(fake, 'GET', `/openapi/submitTask?id=${t.id}`);
    fake.setJobState(1, 'RUNNING');
    const r = await call(fake, 'POST', '/openapi/savepointTask', {
      json: { taskId: t.id, type: 'canceljob' },
    });
    expect(r.body).toMatchObject({ code: 0, datas: true });
    // 0.7's savepointJobInstance does not refresh the row: RUNNING until the next 5 s refresh.
    expect(fake.instance(1)?.status).toBe('RUNNING');
    fake.advance(5000);
    await call(fake, 'GET', '/openapi/getJobInstance?id=1');
    expect(fake.instance(1)?.status).toBe('CANCELED');
    expect(fake.savepoints()).toHaveLength(0);
    fake.failNextSubmit();
    expect((await call(fake, 'GET', `/openapi/submitTask?id=${t.id}`)).body['code']).toBe(1);
  });

  it('gives task lineage (no 1.x bug) and refuses /api with 401', async () => {
    fake = await createFakeDinky({ version: '0.7' });
    const t = fake.addTask({ name: 't' });
    fake.setTaskLineage(t.id, { tables: [], relations: [] });
    expect((await call(fake, 'GET', `/openapi/getTaskLineage?id=${t.id}`)).body['datas']).toEqual({
      tables: [],
      relations: [],
    });
    const api = await call(fake, 'GET', `/api/task?id=${t.id}`);
    expect(api.status).toBe(401);
    expect(api.body['code']).toBe(401);
  });
});
