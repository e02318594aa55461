import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeDialects } from './support/dialects';
import { createHarness, type Harness } from './support/harness';

const dialects = await storeDialects();

describe.each(dialects)('design contract (DESIGN.md §6) on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(dialect, { demo: true });
  });
  afterAll(async () => {
    await h?.close();
  });

  let id: number;

  it('creates a task from the design payload and answers 201 with it in snake_case', async () => {
    const r = await h.call({
      method: 'POST',
      url: '/api/v1/tasks',
      payload: {
        name: 'ads_daily_gmv',
        sql: 'INSERT OVERWRITE TABLE ads.daily_gmv SELECT order_date, SUM(gmv) AS gmv, SUM(orders) AS orders FROM dws.category_daily GROUP BY order_date',
        task_type: 'batch',
        engine: 'local',
        schedule: '0 2 * * *',
        inputs: ['dws.category_daily'],
        outputs: ['ads.daily_gmv'],
      },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      name: 'ads_daily_gmv',
      task_type: 'batch',
      engine: 'local',
      status: 'draft',
      inputs: ['dws.category_daily'],
      outputs: ['ads.daily_gmv'],
    });
    id = r.body.id;
  });

  it('publishes it with {scheduler, auto_start}: the task with its engine reference and status', async () => {
    const r = await h.call({
      method: 'POST',
      url: `/api/v1/tasks/${id}/publish`,
      payload: { scheduler: 'local', auto_start: true },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id, status: 'online', engine_ref: { unit: 'ads_daily_gmv' } });
    await h.engine.idle();
    const runs = await h.call({ method: 'GET', url: `/api/v1/tasks/${id}/executions` });
    expect(runs.body.items).toHaveLength(1);
    expect(runs.body.items[0].status).toMatch(/SUCCESS|FAILED/);
  });

  it('records {task_id, status, start_time, end_time, rows_output} and answers the execution', async () => {
    const r = await h.call({
      method: 'POST',
      url: '/api/v1/tasks/callback',
      payload: {
        task_id: id,
        status: 'SUCCESS',
        start_time: '2026-11-23 02:00:00',
        end_time: '2026-11-23 02:03:12',
        rows_output: 1532,
      },
    });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body)).toEqual(
      expect.arrayContaining([
        'id',
        'task_id',
        'status',
        'start_time',
        'end_time',
        'rows_output',
        'duration_ms',
      ]),
    );
    expect(r.body).toMatchObject({ task_id: id, status: 'SUCCESS', rows_output: 1532 });
  });

  it('GET /api/v1/lineage answers {nodes:[{id, layer}], edges:[{source, target}]}', async () => {
    const r = await h.call({ method: 'GET', url: '/api/v1/lineage' });
    expect(r.body.nodes).toContainEqual({ id: 'ads.daily_gmv', layer: 'ADS' });
    expect(r.body.edges).toContainEqual({ source: 'dws.category_daily', target: 'ads.daily_gmv' });
  });

  it('stream start/status answer a clear error naming DINKY_URL until Dinky is configured', async () => {
    const stream = (await h.call({ method: 'GET', url: '/api/v1/tasks/dws_realtime_gmv' })).body.id;
    const start = await h.call({
      method: 'POST',
      url: '/api/v1/tasks/stream/start',
      payload: { task_id: stream, engine: 'dinky' },
    });
    expect(start.status).toBe(422);
    expect(start.body.message).toContain('DINKY_URL');
    const status = await h.call({
      method: 'GET',
      url: `/api/v1/tasks/stream/status?task_id=${stream}`,
    });
    expect(status.status).toBe(422);
  });
});
