import { afterEach, describe, expect, it } from 'vitest';
import { DinkyClient, type DinkyError, isDinkyError } from '../src';
import { createFakeDinky, type FakeDinky } from '../src/testing';

let fake: FakeDinky | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

async function caught(p: Promise<unknown>): Promise<DinkyError> {
  try {
    await p;
  } catch (err) {
    if (isDinkyError(err)) return err;
    throw err;
  }
  throw new Error('expected a DinkyError');
}

function jsonFetch(status: number, body: unknown, counter?: { n: number }): typeof fetch {
  return (async () => {
    if (counter) counter.n++;
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), {
      status,
      headers: { 'content-type': typeof body === 'string' ? 'text/html' : 'application/json' },
    });
  }) as typeof fetch;
}

describe('DinkyClient.version', () => {
  it('reads the 1.x version and picks the token header by line', async () => {
    fake = await createFakeDinky({ version: '1.1.0' });
    const v = await new DinkyClient({ url: fake.url }).version();
    expect(v).toMatchObject({
      raw: '1.1.0',
      major: 1,
      minor: 1,
      legacy: false,
      tokenName: 'token',
    });
    await fake.close();
    fake = await createFakeDinky({ version: '1.2.0' });
    const v12 = await new DinkyClient({ url: fake.url }).version();
    expect(v12.tokenName).toBe('dinky-token');
  });

  it('treats a missing /openapi/version as 0.7', async () => {
    fake = await createFakeDinky({ version: '0.7' });
    const v = await new DinkyClient({ url: fake.url }).version();
    expect(v.legacy).toBe(true);
    expect(v.raw).toBeNull();
  });

  it('treats an HTML answer as 0.7 but a network failure as an error', async () => {
    const html = new DinkyClient({ url: 'http://dinky.invalid', fetch: jsonFetch(200, '<html>') });
    expect((await html.version()).legacy).toBe(true);
    fake = await createFakeDinky();
    const url = fake.url;
    await fake.close();
    fake = null;
    const down = new DinkyClient({ url, retry: { limit: 0 } });
    expect((await caught(down.version())).code).toBe('NETWORK_ERROR');
  });
});

describe('DinkyClient.submitTask', () => {
  it('POSTs in 1.x and returns the job instance id without the job config', async () => {
    fake = await createFakeDinky();
    const t = fake.addTask({ name: 't' });
    const client = new DinkyClient({ url: fake.url });
    const r = await client.submitTask(t.id);
    expect(r.jobInstanceId).toBe(1);
    expect(r.success).toBe(true);
    expect(JSON.stringify(r)).not.toContain('userJarParas');
    const req = fake.requests.find((q) => q.path === '/openapi/submitTask');
    expect(req?.method).toBe('POST');
    expect(req?.body).toEqual({ id: t.id });
  });

  it('GETs with ?id= in 0.7 and reads the datas envelope', async () => {
    fake = await createFakeDinky({ version: '0.7' });
    const t = fake.addTask({ name: 't' });
    const client = new DinkyClient({ url: fake.url });
    const r = await client.submitTask(t.id);
    expect(r.jobInstanceId).toBe(1);
    expect(fake.requests.find((q) => q.path === '/openapi/submitTask')?.method).toBe('GET');
    expect((await caught(client.submitTask(t.id, { variables: { a: 'b' } }))).code).toBe(
      'NOT_SUPPORTED',
    );
  });

  it('turns a failed submit (code 5 with a stack trace) into ENGINE_EXCEPTION with a short detail', async () => {
    fake = await createFakeDinky();
    const t = fake.addTask({ name: 't' });
    fake.failNextSubmit('org.apache.flink.table.api.ValidationException: bad sql');
    const err = await caught(new DinkyClient({ url: fake.url }).submitTask(t.id));
    expect(err.code).toBe('ENGINE_EXCEPTION');
    expect(err.engineCode).toBe(5);
    expect(err.httpStatus).toBe(200);
    expect(err.path).toBe('openapi/submitTask');
    expect(err.engineDetail).toMatch(/^java\.lang\.RuntimeException: /);
    expect(err.engineDetail?.length).toBeLessThanOrEqual(300);
    expect(err.message).not.toContain('\tat org.dinky');
    expect(err.message.length).toBeLessThan(400);
  });

  it('gives the same code whatever language msg is in', async () => {
    fake = await createFakeDinky({ language: 'random', seed: 7 });
    const client = new DinkyClient({ url: fake.url });
    const messages = new Set<string | null>();
    for (let i = 0; i < 8; i++) {
      const err = await caught(client.submitTask(999));
      expect(err.code).toBe('ENGINE_REJECTED');
      expect(err.engineCode).toBe(1);
      messages.add(err.engineMessage);
    }
    expect(messages.size).toBe(2);
  });

  it('does not guard duplicate submits itself (the engine does)', async () => {
    fake = await createFakeDinky();
    const t = fake.addTask({ name: 't' });
    const client = new DinkyClient({ url: fake.url });
    await client.submitTask(t.id);
    await client.submitTask(t.id);
    expect(fake.instances(t.id)).toHaveLength(2);
  });
});

describe('DinkyClient.cancelTask', () => {
  it('sends forceCancel=false unless asked, so an unreachable cluster is an error, not a lie', async () => {
    fake = await createFakeDinky();
    const t = fake.addTask({ name: 't' });
    const client = new DinkyClient({ url: fake.url });
    await client.submitTask(t.id);
    fake.setJobState(1, 'RUNNING');
    fake.setClusterDown(true);
    const err = await caught(client.cancelTask(t.id));
    expect(err.code).toBe('ENGINE_EXCEPTION');
    expect(fake.requests.at(-1)?.query).toMatchObject({
      forceCancel: 'false',
      withSavePoint: 'false',
    });
    expect(fake.instance(1)?.status).toBe('RUNNING');
    expect(await client.cancelTask(t.id, { forceCancel: true })).toBe(true);
    expect(fake.instance(1)?.status).toBe('UNKNOWN');
  });

  it('cancels with a savepoint', async () => {
    fake = await createFakeDinky();
    const t = fake.addTask({ name: 't' });
    const client = new DinkyClient({ url: fake.url });
    await client.submitTask(t.id);
    fake.setJobState(1, 'RUNNING');
    expect(await client.cancelTask(t.id, { withSavepoint: true })).toBe(true);
    expect(fake.savepoints(t.id)).toHaveLength(1);
    // Dinky's forced refresh right after the cancel catches Flink mid-cancel (TaskServiceImpl.cancelTaskJob).
    expect((await client.getJobInstance(1))?.status).toBe('CANCELLING');
    fake.advance(5000);
    expect((await client.getJobInstance(1))?.status).toBe('CANCELED');
  });

  it('answers true for cancel-with-savepoint even when Dinky fell back to a plain cancel', async () => {
    fake = await createFakeDinky();
    const t = fake.addTask({ name: 't' });
    const client = new DinkyClient({ url: fake.url });
    await client.submitTask(t.id);
    fake.setJobState(1, 'RUNNING');
    fake.setSavepointFails(true);
    expect(await client.cancelTask(t.id, { withSavepoint: true })).toBe(true);
    expect(fake.savepoints()).toHaveLength(0);
  });

  it('cancels in 0.7 through savepointTask canceljob / cancel', async () => {
    fake = await createFakeDinky({ version: '0.7' });
    const t = fake.addTask({ name: 't' });
    const client = new DinkyClient({ url: fake.url });
    await client.submitTask(t.id);
    fake.setJobState(1, 'RUNNING');
    expect(await client.cancelTask(t.id, { withSavepoint: true })).toBe(true);
    expect(fake.requests.at(-1)?.body).toEqual({ taskId: t.id, type: 'cancel' });
    expect(fake.savepoints(t.id)).toHaveLength(1);
  });

  it('reports a task without a job instance as ENGINE_REJECTED', async () => {
    fake = await createFakeDinky();
    const t = fake.addTask({ name: 't' });
    expect((await caught(new DinkyClient({ url: fake.url }).cancelTask(t.id))).code).toBe(
      'ENGINE_REJECTED',
    );
  });
});

describe('DinkyClient.restartTask', () => {
  it('waits through the slow stop and returns the new instance', async () => {
    fake = await createFakeDinky({ restartDelayMs: 30 });
    const t = fake.addTask({ name: 't' });
    const client = new DinkyClient({ url: fake.url });
    await client.submitTask(t.id);
    fake.setJobState(1, 'RUNNING');
    const r = await client.restartTask(t.id);
    expect(r?.jobInstanceId).toBe(2);
    expect(fake.instance(2)?.savePointPath).toMatch(/^file:/);
  });

  it('surfaces the stop-failed path (code 1 after ~22 s of polling) and is never retried', async () => {
    fake = await createFakeDinky({ restartDelayMs: 10, now: () => 1_722_240_000_000 });
    const t = fake.addTask({ name: 't' });
    const client = new DinkyClient({ url: fake.url });
    await client.submitTask(t.id);
    fake.setJobState(1, 'RUNNING');
    fake.setStuckOnStop(t.id, true);
    const before = fake.now();
    const err = await caught(client.restartTask(t.id));
    // TaskServiceImpl.restartTask: 11 waits of 2 s, then BusException → code 1.
    expect(err.code).toBe('ENGINE_REJECTED');
    expect(err.engineCode).toBe(1);
    expect(fake.now() - before).toBe(22_000);
    expect(fake.requests.filter((q) => q.path === '/openapi/restartTask')).toHaveLength(1);
  });

  it('blocks until the refresh of Dinky sees the job stopped, then resubmits from the savepoint', async () => {
    fake = await createFakeDinky({ now: () => 1_722_240_000_000 });
    const t = fake.addTask({ name: 't' });
    const client = new DinkyClient({ url: fake.url });
    await client.submitTask(t.id);
    fake.setJobState(1, 'RUNNING');
    const before = fake.now();
    const r = await client.restartTask(t.id);
    // The cancel-with-savepoint row changes on the next 5 s refresh; Dinky polls every 2 s.
    expect(fake.now() - before).toBe(6000);
    expect(fake.instance(1)?.status).toBe('CANCELED');
    expect(fake.instance(r?.jobInstanceId ?? 0)?.savePointPath).toBe(
      fake.savepoints(t.id)[0]?.path,
    );
  });

  it('times out with its own timeout', async () => {
    fake = await createFakeDinky({ restartDelayMs: 400 });
    const t = fake.addTask({ name: 't' });
    const client = new DinkyClient({ url: fake.url, restartTimeoutMs: 50 });
    await client.submitTask(t.id);
    fake.setJobState(1, 'RUNNING');
    expect((await caught(client.restartTask(t.id))).code).toBe('TIMEOUT');
  });
});

describe('DinkyClient reads', () => {
  it('reads instances by id and latest by task, null when absent', async () => {
    fake = await createFakeDinky();
    const t = fake.addTask({ name: 't' });
    const client = new DinkyClient({ url: fake.url });
    expect(await client.getLatestJobInstance(t.id)).toBeNull();
    await client.submitTask(t.id);
    await client.submitTask(t.id);
    expect((await client.getLatestJobInstance(t.id))?.id).toBe(2);
    expect((await client.getJobInstance(1))?.status).toBe('INITIALIZING');
    expect(await client.getJobInstance(42)).toBeNull();
  });

  it('exports SQL on 1.x and refuses on 0.7', async () => {
    fake = await createFakeDinky();
    const t = fake.addTask({ name: 't', statement: 'insert into a select 1', envSql: 'set x=1;' });
    expect(await new DinkyClient({ url: fake.url }).exportSql(t.id)).toBe(
      'set x=1;\ninsert into a select 1',
    );
    await fake.close();
    fake = await createFakeDinky({ version: '0.7' });
    expect((await caught(new DinkyClient({ url: fake.url }).exportSql(1))).code).toBe(
      'NOT_SUPPORTED',
    );
  });

  it('rejects unknown savepoint types before calling Dinky', async () => {
    fake = await createFakeDinky();
    const client = new DinkyClient({ url: fake.url });
    await client.version();
    const before = fake.requests.length;
    const err = await caught(client.savepointTask(1, 'canceljob' as 'cancel'));
    expect(err.code).toBe('INVALID_ARGUMENT');
    expect(fake.requests.length).toBe(before);
  });

  it('retries reads on HTTP 5xx but not mutations', async () => {
    const reads = { n: 0 };
    const client = new DinkyClient({
      url: 'http://dinky.invalid',
      version: '1.1.0',
      fetch: jsonFetch(503, { error: 'down' }, reads),
      retry: { limit: 2, delayMs: 1 },
    });
    expect((await caught(client.getJobInstance(1))).code).toBe('HTTP_ERROR');
    expect(reads.n).toBe(3);
    const writes = { n: 0 };
    const w = new DinkyClient({
      url: 'http://dinky.invalid',
      version: '1.1.0',
      fetch: jsonFetch(503, { error: 'down' }, writes),
      retry: { limit: 2, delayMs: 1 },
    });
    await caught(w.submitTask(1));
    expect(writes.n).toBe(1);
  });

  it('reports a payload that fails validation as INVALID_RESPONSE', async () => {
    const client = new DinkyClient({
      url: 'http://dinky.invalid',
      version: '1.1.0',
      fetch: jsonFetch(200, { code: 0, msg: 'ok', data: { id: 'not a number' }, success: true }),
    });
    expect((await caught(client.getJobInstance(1))).code).toBe('INVALID_RESPONSE');
  });

  it('aborts with ABORTED', async () => {
    fake = await createFakeDinky();
    const client = new DinkyClient({ url: fake.url });
    const ac = new AbortController();
    ac.abort();
    expect((await caught(client.getJobInstance(1, { signal: ac.signal }))).code).toBe('ABORTED');
  });
});

describe('DinkyClient /api', () => {
  it('refuses /api calls without a login', async () => {
    fake = await createFakeDinky();
    expect((await caught(new DinkyClient({ url: fake.url }).getTask(1))).code).toBe(
      'NOT_SUPPORTED',
    );
  });

  it('logs in and sends the token header named for the version', async () => {
    for (const version of ['1.1.0', '1.2.0']) {
      fake = await createFakeDinky({ version });
      const t = fake.addTask({ name: 't' });
      const client = new DinkyClient({
        url: fake.url,
        login: { username: 'admin', password: 'admin' },
      });
      expect((await client.getTask(t.id)).name).toBe('t');
      const req = fake.requests.find((q) => q.path === '/api/task');
      expect(req?.headers[fake.tokenName]).toBe(fake.activeTokens()[0]);
      await fake.close();
      fake = null;
    }
  });

  it('refuses wrong credentials with UNAUTHORIZED', async () => {
    fake = await createFakeDinky();
    const client = new DinkyClient({
      url: fake.url,
      login: { username: 'admin', password: 'nope' },
    });
    expect((await caught(client.getTask(1))).code).toBe('UNAUTHORIZED');
  });

  it('logs in again once when another login of the same user kicked it out, at most once per cooldown', async () => {
    fake = await createFakeDinky();
    const f = fake;
    const t = f.addTask({ name: 't' });
    const client = new DinkyClient({
      url: f.url,
      login: { username: 'admin', password: 'admin' },
      now: f.now,
    });
    const kickOut = () =>
      fetch(`${f.url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: 'admin' }),
      });
    await client.getTask(t.id);
    await kickOut();
    // Logged in moments ago and already replaced: another session is active, do not fight it.
    const err = await caught(client.getTask(t.id));
    expect(err.code).toBe('UNAUTHORIZED');
    expect(err.httpStatus).toBe(401);
    expect(f.requests.filter((q) => q.path === '/api/login')).toHaveLength(2);
    f.advance(61_000);
    expect((await client.getTask(t.id)).id).toBe(t.id);
    expect(f.requests.filter((q) => q.path === '/api/login')).toHaveLength(3);
  });

  it('reports an invalid given token as UNAUTHORIZED with code 7', async () => {
    fake = await createFakeDinky();
    const err = await caught(new DinkyClient({ url: fake.url, token: 'stale' }).getTask(1));
    expect(err.code).toBe('UNAUTHORIZED');
    expect(err.engineCode).toBe(7);
    expect(err.httpStatus).toBe(401);
  });

  it('creates a task, then updates a published one by taking it offline and publishing again', async () => {
    fake = await createFakeDinky();
    const client = new DinkyClient({
      url: fake.url,
      login: { username: 'admin', password: 'admin' },
    });
    const created = await client.saveTaskSql({
      name: 'orders',
      statement: 'insert into a select 1',
      publish: true,
    });
    expect(created.created).toBe(true);
    expect(fake.task(created.taskId)).toMatchObject({
      statement: 'insert into a select 1',
      step: 2,
    });
    const updated = await client.saveTaskSql({
      id: created.taskId,
      name: 'orders',
      statement: 'insert into a select 2',
    });
    expect(updated).toMatchObject({ created: false, published: true });
    expect(fake.task(created.taskId)).toMatchObject({
      statement: 'insert into a select 2',
      step: 2,
    });
    const lifes = fake.requests
      .filter((q) => q.path === '/api/task/changeTaskLife')
      .map((q) => q.query['lifeCycle']);
    expect(lifes).toEqual(['2', '1', '2']);
    expect((await client.findTaskByName('orders'))?.taskId).toBe(created.taskId);
    expect((await caught(client.saveTaskSql({ name: 'orders', statement: 'x' }))).code).toBe(
      'ENGINE_REJECTED',
    );
  });

  it('reads job detail with epoch start time and growing vertex counters', async () => {
    fake = await createFakeDinky();
    const t = fake.addTask({ name: 't' });
    const client = new DinkyClient({
      url: fake.url,
      login: { username: 'admin', password: 'admin' },
    });
    await client.submitTask(t.id);
    fake.setJobState(1, 'RUNNING');
    fake.addRecords(1, 100);
    const a = await client.getJobDetail(1);
    fake.addRecords(1, 50);
    const b = await client.getJobDetail(1);
    const src = (d: typeof a) => d.jobDataDto?.job?.vertices[0]?.metrics?.['write-records'];
    expect(src(a)).toBe(100);
    expect(src(b)).toBe(150);
    expect(a.jobDataDto?.job?.['start-time']).toBe(fake.instance(1)?.startTime);
  });
});
