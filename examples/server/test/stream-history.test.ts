import { createDinkyEngine } from '@dataportal/adapters-dinky';
import { createFakeDinky, type FakeDinky } from '@dataportal/adapters-dinky/testing';
import { createStreamPoller, type StreamEngine } from '@dataportal/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeDialects } from './support/dialects';
import { createHarness, type Harness } from './support/harness';

const dialects = await storeDialects();

describe.each(dialects)('GET /api/v1/tasks/stream/status?history= on %s', (dialect) => {
  let fake: FakeDinky;
  let dinky: StreamEngine;
  let h: Harness;
  let id: number;
  beforeAll(async () => {
    fake = await createFakeDinky({ timeZone: 'UTC', now: () => Date.UTC(2026, 10, 23, 8) });
    dinky = createDinkyEngine({
      url: fake.url,
      timeZone: 'UTC',
      now: fake.now,
      sleep: async (ms) => fake.advance(ms),
      login: { username: 'admin', password: 'admin' },
    });
    h = await createHarness(dialect, { demo: true, streamEngine: dinky });
    id = (await h.call({ method: 'GET', url: '/api/v1/tasks/dws_realtime_gmv' })).body.id;
  });
  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });

  it('returns throughput samples and the run changes (failure text, restart savepoint)', async () => {
    await h.call({ method: 'POST', url: '/api/v1/tasks/stream/start', payload: { task_id: id } });
    const first = Number(fake.instances()[0]?.id);
    fake.setJobState(first, 'RUNNING');
    fake.setRecordRate(first, 40);
    const poller = createStreamPoller({ portal: h.portal, engine: dinky });
    await poller.pollNow();
    fake.addRecords(first, 3000);
    fake.advance(60_000);
    await poller.pollNow();
    fake.setJobState(first, 'FAILED', {
      error:
        'org.apache.flink.runtime.JobException: Recovery is suppressed by NoRestartBackoffTimeStrategy',
    });
    await poller.pollNow();
    await h.call({ method: 'POST', url: '/api/v1/tasks/stream/restart', payload: { task_id: id } });
    const plain = await h.call({
      method: 'GET',
      url: `/api/v1/tasks/stream/status?task_id=${id}`,
    });
    expect(plain.body).not.toHaveProperty('history');

    const r = await h.call({
      method: 'GET',
      url: `/api/v1/tasks/stream/status?task_id=${id}&history=1h`,
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ task_id: id, status: expect.any(String) });
    const { samples, changes } = r.body.history;
    expect(samples.map((s: { throughput: number | null }) => s.throughput)).toEqual([40, 50, null]);
    expect(samples.map((s: { status: string }) => s.status)).toEqual([
      'RUNNING',
      'RUNNING',
      'FAILED',
    ]);
    const failed = changes.find((c: { status: string }) => c.status === 'FAILED');
    expect(failed).toMatchObject({
      external_run_id: String(first),
      message: expect.stringContaining('Recovery is suppressed'),
    });
    expect(changes.at(-1)).toMatchObject({
      status: 'SUBMITTED',
      message: expect.stringMatching(/^restarted/),
    });
    await poller.stop();
  });

  it('refuses a malformed or too long window with 400', async () => {
    for (const bad of ['1w', 'abc', '8d']) {
      const r = await h.call({
        method: 'GET',
        url: `/api/v1/tasks/stream/status?task_id=${id}&history=${bad}`,
      });
      expect(r.status).toBe(400);
    }
  });
});
