import { analyzeSql } from '@dataportal/lineage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeDialects } from './support/dialects';
import { createHarness, type Harness } from './support/harness';

const dialects = await storeDialects();

// The SQL parser loads on first use (seconds on a busy machine): load it before the tests, so
// the SQL-analysing requests are timed for what they do, not for the import.
beforeAll(async () => {
  await analyzeSql('select 1', { dialect: 'doris' });
}, 60_000);

const TASK = {
  name: 'ads_daily_gmv',
  sql: 'INSERT OVERWRITE TABLE ads.daily_gmv SELECT order_date, SUM(gmv) AS gmv, SUM(orders) AS orders FROM dws.category_daily GROUP BY order_date',
  task_type: 'batch',
  engine: 'local',
  schedule: '0 2 * * *',
  inputs: ['dws.category_daily'],
  outputs: ['ads.daily_gmv'],
};

describe.each(dialects)('tasks on %s (demo warehouse)', (dialect) => {
  let h: Harness;
  let id: number;
  beforeAll(async () => {
    h = await createHarness(dialect, { demo: true });
    const r = await h.call({ method: 'POST', url: '/api/v1/tasks', payload: TASK });
    id = r.body.id;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('lists with filters and pagination', async () => {
    const all = await h.call({ method: 'GET', url: '/api/v1/tasks?limit=1000' });
    expect(all.body.items).toHaveLength(10);
    const stream = await h.call({ method: 'GET', url: '/api/v1/tasks?task_type=stream' });
    expect(stream.body.items.map((t: { name: string }) => t.name)).toEqual(['dws_realtime_gmv']);
    const online = await h.call({ method: 'GET', url: '/api/v1/tasks?status=online&engine=local' });
    expect(online.body.items).toHaveLength(8);
    const byTable = await h.call({ method: 'GET', url: '/api/v1/tasks?table=dwd.order_detail' });
    expect(byTable.body.items.map((t: { name: string }) => t.name).sort()).toEqual([
      'dwd_order_detail',
      'dws_category_daily',
      'dws_user_daily',
    ]);
    const p1 = await h.call({ method: 'GET', url: '/api/v1/tasks?limit=4' });
    expect(p1.body.items).toHaveLength(4);
    const p2 = await h.call({
      method: 'GET',
      url: `/api/v1/tasks?limit=4&cursor=${encodeURIComponent(p1.body.next_cursor)}`,
    });
    expect(p2.body.items[0].id).toBeGreaterThan(p1.body.items[3].id);
  });

  it('reads a task by id and by name', async () => {
    const byId = await h.call({ method: 'GET', url: `/api/v1/tasks/${id}` });
    const byName = await h.call({ method: 'GET', url: '/api/v1/tasks/ads_daily_gmv' });
    expect(byId.body).toEqual(byName.body);
    expect(byId.body).toMatchObject({ status: 'draft', engine_ref: null, timeout_seconds: 0 });
  });

  it('registers unknown tables as drafts by default, and refuses them when asked to', async () => {
    const strict = await h.call({
      method: 'POST',
      url: '/api/v1/tasks',
      payload: {
        ...TASK,
        name: 'strict_one',
        inputs: ['ods.clicks'],
        outputs: ['dwd.clicks'],
        register_missing_tables: false,
      },
    });
    expect(strict.status).toBe(422);
    expect(strict.body).toMatchObject({ code: 'UNKNOWN_TABLES' });
    expect(strict.body.details.tables).toEqual(['ods.clicks', 'dwd.clicks']);
    const lax = await h.call({
      method: 'POST',
      url: '/api/v1/tasks',
      payload: { ...TASK, name: 'lax_one', inputs: ['ods.clicks'], outputs: ['dwd.clicks'] },
    });
    expect(lax.status).toBe(201);
    const t = await h.call({ method: 'GET', url: '/api/v1/tables/dwd.clicks' });
    expect(t.body).toMatchObject({ status: 'draft', layer: 'DWD' });
  });

  it('refuses a task that closes a cycle with 409 and the cycle path', async () => {
    const r = await h.call({
      method: 'POST',
      url: '/api/v1/tasks',
      payload: { ...TASK, name: 'loop', inputs: ['ads.sales_dashboard'], outputs: ['ods.orders'] },
    });
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('CYCLE_DETECTED');
    expect(r.body.details.cycle[0]).toBe(r.body.details.cycle.at(-1));
  });

  it('validates the model rules and names the field in snake_case', async () => {
    const r = await h.call({
      method: 'POST',
      url: '/api/v1/tasks',
      payload: { ...TASK, name: 'bad_engine', engine: 'dinky' },
    });
    expect(r.status).toBe(400);
    expect(r.body.details.issues[0].field).toBe('engine');
    const cron = await h.call({
      method: 'POST',
      url: '/api/v1/tasks',
      payload: { ...TASK, name: 'bad_cron', schedule: '0 2 * *', task_type: 'nightly' },
    });
    expect(cron.status).toBe(400);
    const fields = cron.body.details.issues.map((i: { field: string }) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['schedule', 'task_type']));
  });

  it('answers 409 for a duplicate name', async () => {
    const r = await h.call({ method: 'POST', url: '/api/v1/tasks', payload: TASK });
    expect(r.status).toBe(409);
  });

  it('updates with optimistic locking (409 when stale)', async () => {
    const cur = (await h.call({ method: 'GET', url: `/api/v1/tasks/${id}` })).body;
    const ok = await h.call({
      method: 'PATCH',
      url: `/api/v1/tasks/${id}`,
      payload: { description: 'daily GMV', timeout_seconds: 600, version: cur.version },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ description: 'daily GMV', timeout_seconds: 600 });
    const stale = await h.call({
      method: 'PATCH',
      url: `/api/v1/tasks/${id}`,
      payload: { description: 'again', version: cur.version },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.details).toMatchObject({ expectedVersion: cur.version });
  });

  it('publishes to the local engine, runs and records the execution with rows', async () => {
    const pub = await h.call({
      method: 'POST',
      url: `/api/v1/tasks/${id}/publish`,
      payload: { scheduler: 'local', auto_start: false },
    });
    expect(pub.status).toBe(200);
    expect(pub.body).toMatchObject({
      status: 'online',
      engine_ref: { unit: 'ads_daily_gmv', scheduled: true },
    });
    // Upstream tables are empty until the demo tasks ran: run them first.
    for (const name of ['dim_product', 'dwd_order_detail', 'dws_category_daily']) {
      expect((await h.call({ method: 'POST', url: `/api/v1/tasks/${name}/run` })).status).toBe(202);
      await h.engine.idle();
    }
    const run = await h.call({ method: 'POST', url: `/api/v1/tasks/${id}/run` });
    expect(run.status).toBe(202);
    expect(run.body).toMatchObject({ task_id: id, engine: 'local' });
    // The local engine may already have reported the run by the time the answer is written.
    expect(['SUBMITTED', 'RUNNING', 'SUCCESS']).toContain(run.body.status);
    await h.engine.idle();
    const exec = await h.call({ method: 'GET', url: `/api/v1/executions/${run.body.id}` });
    expect(exec.body.status).toBe('SUCCESS');
    expect(exec.body.rows_output).toBe(14);
    const rows = await h.warehouse.query('SELECT count(*) AS n FROM ads.daily_gmv');
    expect(rows).toEqual([{ n: 14 }]);
    const log = await h.call({ method: 'GET', url: `/api/v1/executions/${run.body.id}/log` });
    expect(log.body.complete).toBe(true);
    expect(log.body.text).toContain('INSERT INTO ads.daily_gmv');
    const runs = await h.call({ method: 'GET', url: `/api/v1/tasks/${id}/executions` });
    expect(runs.body.items[0].id).toBe(run.body.id);
    const stats = await h.call({ method: 'GET', url: `/api/v1/tasks/${id}/stats` });
    expect(stats.body).toMatchObject({ task_id: id, runs: 1, successes: 1, success_rate: 1 });
  });

  it('takes a task offline and online again', async () => {
    const off = await h.call({ method: 'POST', url: `/api/v1/tasks/${id}/offline` });
    expect(off.body.status).toBe('offline');
    expect(off.body.engine_ref.scheduled).toBe(false);
    const on = await h.call({ method: 'POST', url: `/api/v1/tasks/${id}/online` });
    expect(on.body.status).toBe('online');
  });

  it('refuses to delete an online task (409), deletes it once unpublished (204)', async () => {
    const refused = await h.call({ method: 'DELETE', url: `/api/v1/tasks/${id}` });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('INVALID_STATE');
    const un = await h.call({ method: 'POST', url: `/api/v1/tasks/${id}/unpublish` });
    expect(un.body).toMatchObject({ status: 'draft', engine_ref: null });
    const stale = await h.call({ method: 'DELETE', url: `/api/v1/tasks/${id}?version=1` });
    expect(stale.status).toBe(409);
    const del = await h.call({ method: 'DELETE', url: `/api/v1/tasks/${id}` });
    expect(del.status).toBe(204);
    expect((await h.call({ method: 'GET', url: `/api/v1/tasks/${id}` })).status).toBe(404);
  });

  it('names DOLPHIN_URL when publishing to DolphinScheduler without it', async () => {
    const r = await h.call({
      method: 'POST',
      url: '/api/v1/tasks/lax_one/publish',
      payload: { scheduler: 'dolphin' },
    });
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('ENGINE_NOT_CONFIGURED');
    expect(r.body.message).toContain('DOLPHIN_URL');
  });

  it('refuses to run a draft task (409 INVALID_STATE)', async () => {
    const r = await h.call({ method: 'POST', url: '/api/v1/tasks/lax_one/run' });
    expect(r.status).toBe(409);
    expect(r.body.code).toBe('INVALID_STATE');
  });
});

describe('GET /api/v1/tasks/{id}/lineage-check', () => {
  it('reports tables the SQL reads but the task does not declare', async () => {
    const h = await createHarness('sqlite', { demo: true });
    try {
      const created = await h.call({
        method: 'POST',
        url: '/api/v1/tasks',
        payload: {
          ...TASK,
          name: 'sloppy',
          inputs: ['dws.user_daily'],
          outputs: ['ads.daily_gmv'],
        },
      });
      const r = await h.call({
        method: 'GET',
        url: `/api/v1/tasks/${created.body.id}/lineage-check`,
      });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        consistent: false,
        undeclared_inputs: ['dws.category_daily'],
        unused_inputs: ['dws.user_daily'],
        parsed_outputs: ['ads.daily_gmv'],
      });
      const ok = await h.call({ method: 'GET', url: '/api/v1/tasks/dws_user_daily/lineage-check' });
      expect(ok.body.consistent).toBe(true);
    } finally {
      await h.close();
    }
  });
});
