import { createDinkyEngine } from '@dataportal/adapters-dinky';
import { createFakeDinky, type FakeDinky } from '@dataportal/adapters-dinky/testing';
import { createStreamPoller, type StreamEngine } from '@dataportal/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeDialects } from './support/dialects';
import { createHarness, type Harness } from './support/harness';

const dialects = await storeDialects();

describe.each(dialects)(
  'stream jobs on Dinky through the API (fake Dinky 1.1) on %s',
  (dialect) => {
    let fake: FakeDinky;
    let dinky: StreamEngine;
    let h: Harness;
    let id: number;
    beforeAll(async () => {
      fake = await createFakeDinky({
        timeZone: 'Asia/Shanghai',
        now: () => Date.UTC(2026, 10, 23, 8),
      });
      dinky = createDinkyEngine({
        url: fake.url,
        timeZone: 'Asia/Shanghai',
        now: fake.now,
        login: { username: 'admin', password: 'admin' },
      });
      h = await createHarness(dialect, { demo: true, streamEngine: dinky });
      id = (await h.call({ method: 'GET', url: '/api/v1/tasks/dws_realtime_gmv' })).body.id;
    });
    afterAll(async () => {
      await h?.close();
      await fake?.close();
    });

    it('publishes and starts the Flink SQL job with {task_id, engine}', async () => {
      const r = await h.call({
        method: 'POST',
        url: '/api/v1/tasks/stream/start',
        payload: { task_id: id, engine: 'dinky' },
      });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ task_id: id, status: 'STARTING', uptime: null });
      expect(fake.instances()).toHaveLength(1);
    });

    it('answers {status, uptime: "5h 23m", throughput} once the job runs', async () => {
      const job = Number(fake.instances()[0]?.id);
      fake.setJobState(job, 'RUNNING');
      fake.setRecordRate(job, 12.5);
      fake.advance((5 * 60 + 23) * 60_000);
      const r = await h.call({ method: 'GET', url: `/api/v1/tasks/stream/status?task_id=${id}` });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ status: 'RUNNING', uptime: '5h 23m', throughput: 12.5 });
    });

    it('notices the job failing (stream poller), then restarts it', async () => {
      const failed = Number(fake.instances()[0]?.id);
      fake.setJobState(failed, 'FAILED');
      const poller = createStreamPoller({ portal: h.portal, engine: dinky });
      const pass = await poller.pollNow();
      expect(pass.recorded).toBeGreaterThan(0);
      let runs = await h.call({ method: 'GET', url: `/api/v1/tasks/${id}/executions` });
      expect(runs.body.items[0]).toMatchObject({
        external_run_id: String(failed),
        status: 'FAILED',
      });
      const afterFailure = await h.call({ method: 'GET', url: `/api/v1/tasks/${id}` });
      expect(afterFailure.body).toMatchObject({ status: 'failed' });
      const r = await h.call({
        method: 'POST',
        url: '/api/v1/tasks/stream/restart',
        payload: { task_id: id },
      });
      expect(r.status).toBe(200);
      const restarted = fake
        .instances()
        .map((i) => Number(i.id))
        .find((j) => j !== failed);
      expect(restarted).toBeDefined();
      expect((await h.call({ method: 'GET', url: `/api/v1/tasks/${id}` })).body.status).toBe(
        'online',
      );
      fake.setJobState(restarted as number, 'RUNNING');
      await poller.pollNow();
      runs = await h.call({ method: 'GET', url: `/api/v1/tasks/${id}/executions` });
      expect(runs.body.items[0]).toMatchObject({
        external_run_id: String(restarted),
        status: 'RUNNING',
      });
      const status = await h.call({
        method: 'GET',
        url: `/api/v1/tasks/stream/status?task_id=${id}`,
      });
      expect(status.body.status).toBe('RUNNING');
      await poller.stop();
    });

    it('stops the job with a savepoint', async () => {
      const r = await h.call({
        method: 'POST',
        url: '/api/v1/tasks/stream/stop',
        payload: { task_id: id, savepoint: true },
      });
      expect(r.status).toBe(200);
      expect(['STOPPED', 'FINISHED']).toContain(r.body.status);
      const runs = await h.call({ method: 'GET', url: `/api/v1/tasks/${id}/executions` });
      expect(runs.body.items[0]).toMatchObject({ engine: 'dinky' });
      expect(['KILLED', 'SUCCESS']).toContain(runs.body.items[0].status);
    });
  },
);
