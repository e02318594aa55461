import { beforeEach, describe, expect, it } from 'vitest';
import type { StreamEngine, StreamStatus } from '../src/engine/stream-engine.js';
import type { PortalService } from '../src/index.js';
import { STREAM_SAMPLE_RETENTION_MS } from '../src/index.js';
import { createStreamPoller } from '../src/portal/stream-poller.js';
import { storeDialects } from './support/dialects.js';
import { caught, portalSuite, task } from './support/portal-suite.js';

const dialects = await storeDialects();

describe.each(dialects)('stream history on %s', (dialect) => {
  const suite = portalSuite(dialect);
  let portal: PortalService;
  let taskId: number;
  beforeEach(async () => {
    ({ portal } = suite);
    await suite.tables('ods.a', 'dwd.b');
    const t = await portal.createTask({
      ...task('orders_stream', ['ods.a'], ['dwd.b']),
      taskType: 'stream',
      engine: 'dinky',
      schedule: null,
    });
    taskId = t.id;
  });

  it('returns the samples of the window oldest first, and the runs that changed in it', async () => {
    const now = 1_700_000_000_000; // the suite's portal clock
    for (const [ago, throughput] of [
      [2 * 3_600_000, 10],
      [50 * 60_000, 48.5],
      [10 * 60_000, 50],
    ] as const) {
      await portal.recordStreamSample({
        taskId,
        externalRunId: '7',
        state: 'running',
        throughput,
        uptimeMs: 3_600_000 - ago,
        sampledAt: new Date(now - ago),
      });
    }
    await portal.recordExecution({
      taskId,
      engine: 'dinky',
      externalRunId: '7',
      status: 'FAILED',
      message: 'org.apache.flink.runtime.JobException: Recovery is suppressed',
    });
    const h = await portal.streamHistory(taskId, { windowMs: 3_600_000 });
    expect(h.samples.map((s) => s.throughput)).toEqual([48.5, 50]);
    expect(h.samples[0]).toMatchObject({ externalRunId: '7', state: 'running' });
    expect(h.changes.map((e) => [e.externalRunId, e.status, e.message])).toEqual([
      ['7', 'FAILED', 'org.apache.flink.runtime.JobException: Recovery is suppressed'],
    ]);
  });

  it('drops samples older than the retention and refuses a window beyond it', async () => {
    const now = 1_700_000_000_000; // the suite's portal clock
    const sample = (ago: number) =>
      portal.recordStreamSample({
        taskId,
        externalRunId: '1',
        state: 'running',
        throughput: 1,
        uptimeMs: null,
        sampledAt: new Date(now - ago),
      });
    await sample(STREAM_SAMPLE_RETENTION_MS + 60_000);
    await sample(0);
    const rows = await suite.store.db.selectFrom('stream_sample').selectAll().execute();
    expect(rows).toHaveLength(1);
    const err = await caught(
      portal.streamHistory(taskId, { windowMs: STREAM_SAMPLE_RETENTION_MS + 1 }),
    );
    expect(err.code).toBe('VALIDATION_FAILED');
  });

  it('is filled by the stream poller: a sample per read and the failure as a run change', async () => {
    let state: StreamStatus = {
      state: 'running',
      engineState: 'RUNNING',
      externalRunId: '3',
      startedAt: new Date(1_700_000_000_000 - 60_000),
      uptimeMs: 60_000,
      throughput: 50,
      lastError: null,
    };
    const engine: StreamEngine = {
      name: 'dinky',
      capabilities: { savepoint: true, restart: true, publish: false },
      start: async () => ({ externalRunId: '3', engineRef: { jobInstanceId: 3 } }),
      stop: async () => state,
      status: async () => state,
    };
    await suite.store.db
      .updateTable('data_task')
      .set({ status: 'online', engine_ref_json: JSON.stringify({ jobInstanceId: 3 }) })
      .where('id', '=', taskId)
      .execute();
    const poller = createStreamPoller({ portal, engine });
    await poller.pollNow();
    state = {
      ...state,
      state: 'failed',
      engineState: 'FAILED',
      throughput: null,
      lastError: 'java.lang.RuntimeException: sink down',
    };
    await poller.pollNow();
    const h = await portal.streamHistory(taskId);
    expect(h.samples.map((s) => [s.state, s.throughput])).toEqual([
      ['running', 50],
      ['failed', null],
    ]);
    expect(h.changes.map((e) => [e.status, e.message])).toEqual([
      ['FAILED', 'java.lang.RuntimeException: sink down'],
    ]);
  });
});
