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
  });
});
