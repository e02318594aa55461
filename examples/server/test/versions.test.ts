import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './support/harness';

// Writes without a version used to overwrite each other silently (last writer wins). Now a
// PATCH/PUT must say which version it read — `version` in the body or an `If-Match` ETag from a
// GET — and answers 428 PRECONDITION_REQUIRED with the current version otherwise.
describe('updates need the version read', () => {
  let h: Harness;
  let taskId: number;

  beforeAll(async () => {
    h = await createHarness('sqlite');
    await h.portal.registerTable({ qualifiedName: 'ods.v_src', layer: 'ODS' });
    await h.portal.registerTable({ qualifiedName: 'dwd.v_dst', layer: 'DWD' });
    taskId = (
      await h.portal.createTask({
        name: 'v_task',
        taskType: 'batch',
        engine: 'local',
        sql: 'insert into dwd.v_dst select * from ods.v_src',
        inputs: ['ods.v_src'],
        outputs: ['dwd.v_dst'],
      })
    ).id;
  });

  afterAll(async () => {
    await h?.close();
  });

  it('answers 428 with the current version when PATCH /tasks has neither version nor If-Match', async () => {
    const r = await h.call({
      method: 'PATCH',
      url: `/api/v1/tasks/${taskId}`,
      payload: { description: 'blind write' },
    });
    expect(r.status).toBe(428);
    expect(r.body.code).toBe('PRECONDITION_REQUIRED');
    expect(r.body.details.currentVersion).toBe(1);
    expect((await h.portal.getTask(taskId)).description).toBeNull();
  });

  it('takes the If-Match ETag a GET returned, and refuses it once stale', async () => {
    const got = await h.call({ method: 'GET', url: `/api/v1/tasks/${taskId}` });
    const etag = String(got.res.headers['etag']);
    expect(etag).toBe(`"${got.body.version}"`);
    const ok = await h.call({
      method: 'PATCH',
      url: `/api/v1/tasks/${taskId}`,
      headers: { 'if-match': etag },
      payload: { description: 'first' },
    });
    expect(ok.status).toBe(200);
    expect(ok.res.headers['etag']).toBe(`"${ok.body.version}"`);
    const stale = await h.call({
      method: 'PATCH',
      url: `/api/v1/tasks/${taskId}`,
      headers: { 'if-match': etag },
      payload: { description: 'second' },
    });
    expect(stale.status).toBe(409);
    expect((await h.portal.getTask(taskId)).description).toBe('first');
  });

  it('answers 428 for PATCH /tables without a version', async () => {
    const r = await h.call({
      method: 'PATCH',
      url: '/api/v1/tables/ods.v_src',
      payload: { owner: 'someone' },
    });
    expect(r.status).toBe(428);
    expect(r.body.details.currentVersion).toBe(1);
    const w = await h.call({
      method: 'PATCH',
      url: '/api/v1/tables/ods.v_src',
      headers: { 'if-match': 'W/"1"' },
      payload: { owner: 'someone' },
    });
    expect(w.status).toBe(200);
    expect(w.body.owner).toBe('someone');
  });

  it('answers 428 for PUT /datasources without a version', async () => {
    const created = await h.call({
      method: 'POST',
      url: '/api/v1/datasources',
      payload: { name: 'v_ds', kind: 'mysql', host: 'db', port: 3306 },
    });
    expect(created.status).toBe(201);
    const r = await h.call({
      method: 'PUT',
      url: '/api/v1/datasources/v_ds',
      payload: { name: 'v_ds', kind: 'mysql', host: 'db2', port: 3306 },
    });
    expect(r.status).toBe(428);
    expect(r.body.details.currentVersion).toBe(created.body.version);
  });
});
