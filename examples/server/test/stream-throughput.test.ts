import { createDinkyEngine } from '@dataportal/adapters-dinky';
import { createFakeDinky, type FakeDinky } from '@dataportal/adapters-dinky/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './support/harness';

// Throughput as Flink reports it, unscaled, through REST: records per second out of the job's
// sources (`numRecordsOutPerSecond` summed over every subtask), then records between two status
// reads over the seconds between them. The REST answer was reported at a quarter of the engine's
// figure (12.5 where the engine said 50): 50 / 4 is one subtask's share of a job of parallelism
// 4, i.e. a rate read from subtask 0 only. The server and the sdk pass the engine's number through
// untouched (`streamStatusToWire` copies `StreamStatus.throughput`), so the figure must be summed
// over every subtask in the adapter; these tests pin the whole path against the fake's numbers.

describe('stream throughput through REST against the fake Dinky numbers', {
  timeout: 30_000,
}, () => {
  let fake: FakeDinky;
  let h: Harness;
  let id: number;
  let clock = Date.UTC(2026, 10, 23, 8);
  beforeAll(async () => {
    fake = await createFakeDinky({ version: '1.1.0', timeZone: 'UTC', now: () => clock });
    const dinky = createDinkyEngine({
      url: fake.url,
      timeZone: 'UTC',
      now: fake.now,
      login: { username: 'admin', password: 'admin' },
      taskDefaults: { parallelism: 4 },
    });
    h = await createHarness('sqlite', { streamEngine: dinky });
    const created = await h.call({
      method: 'POST',
      url: '/api/v1/tasks',
      payload: {
        name: 'tp_clicks',
        sql: 'insert into dws_tp_clicks select * from ods_tp_clicks',
        task_type: 'stream',
        engine: 'dinky',
        inputs: ['ods_tp_clicks'],
        outputs: ['dws_tp_clicks'],
      },
    });
    id = created.body.id;
    await h.call({ method: 'POST', url: '/api/v1/tasks/stream/start', payload: { task_id: id } });
  });
  afterAll(async () => {
    await h?.close();
    await fake?.close();
  });

  it("answers the job's rate summed over its 4 subtasks, not one subtask's share", async () => {
    const job = fake.instances()[0];
    expect(job?.parallelism).toBe(4);
    fake.setJobState(Number(job?.id), 'RUNNING');
    // 50 records/s for the job: Flink reports 12.5 on each of the 4 subtasks.
    fake.setRecordRate(Number(job?.id), 50);
    const r = await h.call({ method: 'GET', url: `/api/v1/tasks/stream/status?task_id=${id}` });
    expect(r.body).toMatchObject({ status: 'RUNNING', throughput: 50 });
    const asked = fake.requests.filter((q) => q.path === '/api/jobInstance/getJobMetricsData');
    expect(asked.at(-1)?.query['metrics']?.split(',')).toEqual([
      '0.numRecordsOutPerSecond',
      '1.numRecordsOutPerSecond',
      '2.numRecordsOutPerSecond',
      '3.numRecordsOutPerSecond',
    ]);
  });

  it('then answers records between two reads over the seconds between them', async () => {
    const job = Number(fake.instances()[0]?.id);
    clock += 10_000;
    fake.addRecords(job, 1_250);
    const r = await h.call({ method: 'GET', url: `/api/v1/tasks/stream/status?task_id=${id}` });
    // 1 250 more records than at the first read, 10 s later: 125 records per second.
    expect(r.body).toMatchObject({ status: 'RUNNING', throughput: 125 });
  });

  it('states the unit in the OpenAPI document', async () => {
    const doc = await h.call({ method: 'GET', url: '/openapi.json' });
    const schema = doc.body.components.schemas.StreamStatus;
    expect(schema.properties.throughput.description).toMatch(/records per second/);
    expect(schema.properties.throughput.description).toMatch(/numRecordsOutPerSecond/);
    expect(schema.properties.uptime_ms.description).toMatch(/milliseconds/);
  });
});
