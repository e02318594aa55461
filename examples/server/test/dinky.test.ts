import { createDinkyEngine } from '@dataportal/adapters-dinky';
import { createFakeDinky, type FakeDinky } from '@dataportal/adapters-dinky/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeDialects } from './support/dialects';
import { createHarness, type Harness } from './support/harness';

const dialects = await storeDialects();

describe.each(dialects)(
  'stream jobs on Dinky through the API (fake Dinky 1.1) on %s',
  (dialect) => {
    let fake: FakeDinky;
    let h: Harness;
    let id: number;
    beforeAll(async () => {
      fake = await createFakeDinky({
        timeZone: 'Asia/Shanghai',
        now: () => Date.UTC(2026, 10, 23, 8),
      });
      const dinky = createDinkyEngine({
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
