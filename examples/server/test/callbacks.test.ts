import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCallback } from '../src/callback-auth';
import { storeDialects } from './support/dialects';
import { createHarness, type Harness } from './support/harness';

const dialects = await storeDialects();

describe.each(dialects)('POST /api/v1/tasks/callback on %s', (dialect) => {
  let h: Harness;
  let taskId: number;
  beforeAll(async () => {
    h = await createHarness(dialect, { demo: true });
    taskId = (await h.call({ method: 'GET', url: '/api/v1/tasks/dim_customer' })).body.id;
  });
  afterAll(async () => {
    await h?.close();
  });

  const payload = () => ({
    task_id: taskId,
    status: 'SUCCESS',
    start_time: '2026-11-23 02:00:00',
    end_time: '2026-11-23 02:03:12',
    rows_output: 1532,
  });

  it('records the design payload and answers the execution', async () => {
    const r = await h.call({ method: 'POST', url: '/api/v1/tasks/callback', payload: payload() });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      task_id: taskId,
      engine: 'local',
      status: 'SUCCESS',
      duration_ms: 192_000,
      rows_output: 1532,
    });
  });

  it('is idempotent: a repeated callback returns the same execution', async () => {
    const a = await h.call({ method: 'POST', url: '/api/v1/tasks/callback', payload: payload() });
    const b = await h.call({ method: 'POST', url: '/api/v1/tasks/callback', payload: payload() });
    expect(b.body.id).toBe(a.body.id);
    const list = await h.call({ method: 'GET', url: `/api/v1/executions?task_id=${taskId}` });
    expect(list.body.items).toHaveLength(1);
  });

  it('never moves a finished run back (a late RUNNING changes nothing)', async () => {
    const r = await h.call({
      method: 'POST',
      url: '/api/v1/tasks/callback',
      payload: { ...payload(), status: 'running', end_time: null, rows_output: null },
    });
    expect(r.body.status).toBe('SUCCESS');
  });

  it('attaches a report without run id to the run in flight', async () => {
    const { execution } = await h.portal.recordExecution({
      taskId,
      engine: 'local',
      externalRunId: 'engine-run-7',
      status: 'SUBMITTED',
    });
    const cb = await h.call({
      method: 'POST',
      url: '/api/v1/tasks/callback',
      payload: { task_id: taskId, status: 'RUNNING' },
    });
    expect(cb.body).toMatchObject({ id: execution.id, status: 'RUNNING' });
  });

  it('answers 404 for an unknown task and 400 naming a bad status', async () => {
    const missing = await h.call({
      method: 'POST',
      url: '/api/v1/tasks/callback',
      payload: { ...payload(), task_id: 987654 },
    });
    expect(missing.status).toBe(404);
    const bad = await h.call({
      method: 'POST',
      url: '/api/v1/tasks/callback',
      payload: { ...payload(), status: 'GREAT' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details.issues[0]).toMatchObject({ in: 'body', field: 'status' });
  });

  // The attack: runs dated 2099, ending before they start, on a caller-chosen engine, or of
  // never-published tasks were all recorded; a task's "last success" became 2099.
  it('rejects reports that cannot be true with 422 CALLBACK_REJECTED', async () => {
    const post = (p: Record<string, unknown>) =>
      h.call({ method: 'POST', url: '/api/v1/tasks/callback', payload: { ...payload(), ...p } });
    const future = await post({
      start_time: '2099-01-01T00:00:00Z',
      end_time: '2099-01-01T01:00:00Z',
    });
    expect(future.status).toBe(422);
    expect(future.body).toMatchObject({ code: 'CALLBACK_REJECTED' });
    expect(future.body.details.issues[0].field).toBe('start_time');
    const backwards = await post({ end_time: '2026-11-23 01:00:00' });
    expect(backwards.status).toBe(422);
    expect(backwards.body.details.issues[0].field).toBe('end_time');
    const engine = await post({ engine: 'dolphin', run_id: 'x-1' });
    expect(engine.status).toBe(422);
    expect(engine.body.details.issues[0].field).toBe('engine');
    const draft = await h.call({
      method: 'POST',
      url: '/api/v1/tasks',
      payload: {
        name: 'never_published',
        sql: 'INSERT INTO dim.customer SELECT * FROM ods.users',
        task_type: 'batch',
        engine: 'local',
        inputs: ['ods.users'],
        outputs: ['dim.customer'],
      },
    });
    expect(draft.status).toBe(201);
    const unpublished = await post({ task_id: draft.body.id, run_id: 'r-9' });
    expect(unpublished.status).toBe(422);
    expect(unpublished.body.details.issues[0].field).toBe('task_id');
    const runs = await h.call({
      method: 'GET',
      url: `/api/v1/executions?task_id=${draft.body.id}`,
    });
    expect(runs.body.items).toHaveLength(0);
  });

  it('asks for run_id or start_time when nothing identifies the run', async () => {
    const other = (await h.call({ method: 'GET', url: '/api/v1/tasks/dim_product' })).body.id;
    const r = await h.call({
      method: 'POST',
      url: '/api/v1/tasks/callback',
      payload: { task_id: other, status: 'FAILED' },
    });
    expect(r.status).toBe(400);
    expect(r.body.details.issues[0].field).toBe('run_id');
  });
});

describe('callback authentication (DATAPORTAL_CALLBACK_SECRET)', () => {
  const secret = 's3cret-value';
  let h: Harness;
  let body: string;
  beforeAll(async () => {
    h = await createHarness('sqlite', { demo: true, app: { callbackSecret: secret } });
    const id = (await h.call({ method: 'GET', url: '/api/v1/tasks/dim_product' })).body.id;
    body = JSON.stringify({
      task_id: id,
      status: 'SUCCESS',
      start_time: '2026-11-23T02:00:00Z',
      end_time: '2026-11-23T02:01:00Z',
      rows_output: 10,
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  // Engines call without a token: only the secret or the signature vouches for them.
  const post = (headers: Record<string, string>, payload = body) =>
    h.call({
      as: 'anonymous',
      method: 'POST',
      url: '/api/v1/tasks/callback',
      headers: { 'content-type': 'application/json', ...headers },
      payload,
    });

  it('answers 401 without a secret or signature', async () => {
    const r = await post({});
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
  });

  it('answers 401 for a wrong shared secret, 200 for the right one', async () => {
    expect((await post({ 'x-dataportal-secret': 'wrong' })).status).toBe(401);
    expect((await post({ 'x-dataportal-secret': secret })).status).toBe(200);
  });

  it('accepts a fresh HMAC signature once and refuses its replay', async () => {
    const ts = Math.floor(Date.now() / 1000);
    const headers = {
      'x-dataportal-timestamp': String(ts),
      'x-dataportal-signature': signCallback(secret, ts, body),
    };
    expect((await post(headers)).status).toBe(200);
    const replay = await post(headers);
    expect(replay.status).toBe(401);
    expect(replay.body.message).toContain('replay');
  });

  it('refuses a signature over another body or outside the window', async () => {
    const ts = Math.floor(Date.now() / 1000);
    const tampered = await post(
      {
        'x-dataportal-timestamp': String(ts),
        'x-dataportal-signature': signCallback(secret, ts, body),
      },
      body.replace('"rows_output":10', '"rows_output":99'),
    );
    expect(tampered.status).toBe(401);
    const old = ts - 3600;
    const stale = await post({
      'x-dataportal-timestamp': String(old),
      'x-dataportal-signature': signCallback(secret, old, body),
    });
    expect(stale.status).toBe(401);
  });

  it('guards the DolphinScheduler alert path too', async () => {
    const r = await h.call({
      as: 'anonymous',
      method: 'POST',
      url: '/api/v1/callbacks/dolphin',
      payload: { content: '[]' },
    });
    expect(r.status).toBe(401);
  });

  it('leaves other routes open', async () => {
    expect((await h.call({ method: 'GET', url: '/api/v1/tasks' })).status).toBe(200);
  });
});
