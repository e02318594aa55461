import { createDolphinEngine } from '@dataportal/adapters-dolphin';
import {
  createFakeDolphinScheduler,
  type FakeDolphinScheduler,
} from '@dataportal/adapters-dolphin/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeDialects } from './support/dialects';
import { createHarness, type Harness } from './support/harness';

const dialects = await storeDialects();

describe.each(dialects)('DolphinScheduler through the API (fake 3.3) on %s', (dialect) => {
  let ds: FakeDolphinScheduler;
  let h: Harness;
  let taskId: number;
  let ref: { workflowCode: string; projectCode: string };

  beforeAll(async () => {
    ds = await createFakeDolphinScheduler({ version: '3.3' });
    ds.addDatasource({ name: 'warehouse', type: 'MYSQL' });
    const dolphin = createDolphinEngine({
      baseUrl: ds.url,
      token: ds.token,
      project: 'dataportal',
      defaultDatasource: 'warehouse',
      sleep: async () => undefined,
    });
    h = await createHarness(dialect, { demo: true, dolphin });
  });
  afterAll(async () => {
    await h?.close();
    await ds?.close();
  });

  it('publishes a task to DolphinScheduler with scheduler "dolphin"', async () => {
    const created = await h.call({
      method: 'POST',
      url: '/api/v1/tasks',
      payload: {
        name: 'ads_daily_gmv',
        sql: 'INSERT OVERWRITE TABLE ads.daily_gmv SELECT order_date, SUM(gmv), SUM(orders) FROM dws.category_daily GROUP BY order_date',
        task_type: 'batch',
        engine: 'local',
        schedule: '0 2 * * *',
        inputs: ['dws.category_daily'],
        outputs: ['ads.daily_gmv'],
      },
    });
    taskId = created.body.id;
    const r = await h.call({
      method: 'POST',
      url: `/api/v1/tasks/${taskId}/publish`,
      payload: { scheduler: 'dolphin', auto_start: false },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      engine: 'dolphin',
      status: 'online',
      engine_ref: { engine: 'dolphin' },
    });
    ref = r.body.engine_ref;
  });

  it('runs it now and refreshes the run from the engine', async () => {
    ds.setRunPlan({ outcome: 'SUCCESS', durationMs: 2_000 });
    const run = await h.call({ method: 'POST', url: `/api/v1/tasks/${taskId}/run` });
    expect(run.status).toBe(202);
    expect(run.body).toMatchObject({ engine: 'dolphin', status: 'SUBMITTED' });
    await ds.settleRuns();
    const refreshed = await h.call({
      method: 'POST',
      url: `/api/v1/executions/${run.body.id}/refresh`,
    });
    expect(refreshed.body.status).toBe('SUCCESS');
    const log = await h.call({ method: 'GET', url: `/api/v1/executions/${run.body.id}/log` });
    expect(log.status).toBe(200);
  });

  it("records DolphinScheduler's HTTP alert for the portal's workflow and ignores others", async () => {
    const entry = (id: string, code: string) => ({
      projectCode: ref.projectCode,
      workflowInstanceId: id,
      workflowDefinitionCode: code,
      workflowInstanceName: 'ads_daily_gmv-1',
      workflowExecutionStatus: 'FAILURE',
      workflowStartTime: '2026-11-23 02:00:00',
      workflowEndTime: '2026-11-23 02:00:09',
    });
    const content = JSON.stringify([entry('777001', ref.workflowCode)]);
    const r = await h.call({
      method: 'POST',
      url: '/api/v1/callbacks/dolphin',
      payload: { content },
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ variant: 'success', unmatched: 0 });
    expect(r.body.recorded[0]).toMatchObject({
      task_id: taskId,
      engine: 'dolphin',
      external_run_id: '777001',
      status: 'FAILED',
      duration_ms: 9000,
    });
    const other = await h.call({
      method: 'POST',
      url: '/api/v1/callbacks/dolphin',
      payload: { content: JSON.stringify([entry('777002', '123')]) },
    });
    expect(other.body).toMatchObject({ recorded: [], unmatched: 1 });
    const bad = await h.call({
      method: 'POST',
      url: '/api/v1/callbacks/dolphin',
      payload: { nope: 1 },
    });
    expect(bad.status).toBe(400);
  });

  it('includes DolphinScheduler in /readyz', async () => {
    const r = await h.call({ method: 'GET', url: '/readyz' });
    expect(r.body.checks.dolphin).toEqual({ ok: true });
  });
});
