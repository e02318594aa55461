import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeDialects } from './support/dialects';
import { createHarness, type Harness } from './support/harness';

const dialects = await storeDialects();

describe.each(dialects)('executions on %s', (dialect) => {
  let h: Harness;
  let ids: number[];
  beforeAll(async () => {
    h = await createHarness(dialect, { demo: true });
    ids = [];
    for (const name of ['dim_customer', 'dim_product', 'dwd_order_detail']) {
      const r = await h.call({ method: 'POST', url: `/api/v1/tasks/${name}/run` });
      ids.push(r.body.id);
      await h.engine.idle();
    }
  });
  afterAll(async () => {
    await h?.close();
  });

  it('lists newest first with filters and pagination', async () => {
    const all = await h.call({ method: 'GET', url: '/api/v1/executions' });
    expect(all.body.items.map((e: { id: number }) => e.id)).toEqual([...ids].reverse());
    const one = await h.call({
      method: 'GET',
      url: `/api/v1/executions?task_id=${all.body.items[0].task_id}`,
    });
    expect(one.body.items).toHaveLength(1);
    const ok = await h.call({
      method: 'GET',
      url: '/api/v1/executions?status=SUCCESS&engine=local',
    });
    expect(ok.body.items).toHaveLength(3);
    const none = await h.call({ method: 'GET', url: '/api/v1/executions?status=FAILED' });
    expect(none.body.items).toEqual([]);
    const future = await h.call({
      method: 'GET',
      url: '/api/v1/executions?from=2999-01-01T00:00:00Z',
    });
    expect(future.body.items).toEqual([]);
    const p1 = await h.call({ method: 'GET', url: '/api/v1/executions?limit=2' });
    const p2 = await h.call({
      method: 'GET',
      url: `/api/v1/executions?limit=2&cursor=${encodeURIComponent(p1.body.next_cursor)}`,
    });
    expect(p2.body.items.map((e: { id: number }) => e.id)).toEqual([ids[0]]);
  });

  it('reads one run with duration and rows, and its log', async () => {
    const e = await h.call({ method: 'GET', url: `/api/v1/executions/${ids[2]}` });
    expect(e.body).toMatchObject({ status: 'SUCCESS', rows_output: 200 });
    expect(e.body.duration_ms).toBeGreaterThanOrEqual(0);
    const log = await h.call({
      method: 'GET',
      url: `/api/v1/executions/${ids[2]}/log?offset=0&limit=2`,
    });
    expect(log.body).toMatchObject({ execution_id: ids[2], next_offset: 2, complete: false });
  });

  it('refreshes a run from its engine', async () => {
    const r = await h.call({ method: 'POST', url: `/api/v1/executions/${ids[0]}/refresh` });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('SUCCESS');
  });

  it('answers 404 for unknown runs and 400 for non-numeric ids', async () => {
    expect((await h.call({ method: 'GET', url: '/api/v1/executions/424242' })).status).toBe(404);
    expect((await h.call({ method: 'GET', url: '/api/v1/executions/424242/log' })).status).toBe(
      404,
    );
    const bad = await h.call({ method: 'GET', url: '/api/v1/executions/abc' });
    expect(bad.status).toBe(400);
    expect(bad.body.details.issues[0]).toMatchObject({ in: 'params', field: 'id' });
  });
});
