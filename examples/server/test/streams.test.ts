import type { StreamEngine, StreamStatus, Task } from '@dataportal/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatUptime } from '../src/wire/stream';
import { storeDialects } from './support/dialects';
import { createHarness, type Harness } from './support/harness';

const dialects = await storeDialects();

/** A minimal in-memory stream engine: one job per task, fixed uptime and throughput. */
function memoryStreamEngine(): StreamEngine & { readonly stops: { savepoint?: boolean }[] } {
  const running = new Map<number, number>();
  const stops: { savepoint?: boolean }[] = [];
  let seq = 0;
  const status = (task: Task): StreamStatus => {
    const job = running.get(task.id);
    return job === undefined
      ? {
          state: 'stopped',
          engineState: 'CANCELED',
          externalRunId: null,
          startedAt: null,
          uptimeMs: null,
          throughput: null,
          lastError: null,
        }
      : {
          state: 'running',
          engineState: 'RUNNING',
          externalRunId: String(job),
          startedAt: new Date(Date.now() - (5 * 60 + 23) * 60_000),
          uptimeMs: (5 * 60 + 23) * 60_000,
          throughput: 1250.5,
          lastError: null,
        };
  };
  return {
    name: 'dinky',
    capabilities: { savepoint: true, restart: false, publish: true },
    stops,
    async publish(task) {
      return { mode: 'managed', dinkyTaskId: task.id };
    },
    async start(task) {
      const job = ++seq;
      running.set(task.id, job);
      return { externalRunId: String(job), engineRef: { mode: 'managed', jobInstanceId: job } };
    },
    async stop(task, opts = {}) {
      const before = status(task);
      stops.push(opts);
      running.delete(task.id);
      return { ...before, state: 'stopped', engineState: 'CANCELED' };
    },
    async status(task) {
      return status(task);
    },
  };
}

describe.each(dialects)('stream routes on %s', (dialect) => {
  describe('without a stream engine', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await createHarness(dialect, { demo: true });
    });
    afterAll(async () => {
      await h?.close();
    });

    it('answer 422 ENGINE_NOT_CONFIGURED naming DINKY_URL', async () => {
      const id = (await h.call({ method: 'GET', url: '/api/v1/tasks/dws_realtime_gmv' })).body.id;
      for (const req of [
        {
          method: 'POST' as const,
          url: '/api/v1/tasks/stream/start',
          payload: { task_id: id, engine: 'dinky' },
        },
        { method: 'GET' as const, url: `/api/v1/tasks/stream/status?task_id=${id}` },
        { method: 'POST' as const, url: '/api/v1/tasks/stream/stop', payload: { task_id: id } },
        { method: 'POST' as const, url: '/api/v1/tasks/stream/restart', payload: { task_id: id } },
      ]) {
        const r = await h.call(req);
        expect(r.status).toBe(422);
        expect(r.body.code).toBe('ENGINE_NOT_CONFIGURED');
        expect(r.body.message).toContain('DINKY_URL');
      }
    });
  });

  describe('with a stream engine', () => {
    let h: Harness;
    let engine: ReturnType<typeof memoryStreamEngine>;
    let id: number;
    beforeAll(async () => {
      engine = memoryStreamEngine();
      h = await createHarness(dialect, { demo: true, streamEngine: engine });
      id = (await h.call({ method: 'GET', url: '/api/v1/tasks/dws_realtime_gmv' })).body.id;
    });
    afterAll(async () => {
      await h?.close();
    });

    it('starts the job (publishing first) and answers {status, uptime, throughput}', async () => {
      const r = await h.call({
        method: 'POST',
        url: '/api/v1/tasks/stream/start',
        payload: { task_id: id, engine: 'dinky' },
      });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        task_id: id,
        status: 'RUNNING',
        uptime: '5h 23m',
        throughput: 1250.5,
      });
      const task = await h.call({ method: 'GET', url: `/api/v1/tasks/${id}` });
      expect(task.body.status).toBe('online');
    });

    it('reads the status with the contract shape', async () => {
      const r = await h.call({ method: 'GET', url: `/api/v1/tasks/stream/status?task_id=${id}` });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ status: 'RUNNING', uptime: '5h 23m', throughput: 1250.5 });
    });

    it('stops with a savepoint and records the run as KILLED', async () => {
      const r = await h.call({
        method: 'POST',
        url: '/api/v1/tasks/stream/stop',
        payload: { task_id: id, savepoint: true },
      });
      expect(r.status).toBe(200);
      expect(r.body.status).toBe('STOPPED');
      expect(engine.stops.at(-1)).toEqual({ savepoint: true });
      const runs = await h.call({ method: 'GET', url: `/api/v1/tasks/${id}/executions` });
      expect(runs.body.items[0]).toMatchObject({ engine: 'dinky', status: 'KILLED' });
    });

    it('refuses a batch task on the stream routes (409) and answers 400 for a bad task_id', async () => {
      const batch = (await h.call({ method: 'GET', url: '/api/v1/tasks/dim_product' })).body.id;
      const r = await h.call({
        method: 'GET',
        url: `/api/v1/tasks/stream/status?task_id=${batch}`,
      });
      expect(r.status).toBe(409);
      const bad = await h.call({ method: 'GET', url: '/api/v1/tasks/stream/status?task_id=abc' });
      expect(bad.status).toBe(400);
      expect(bad.body.details.issues[0]).toMatchObject({ in: 'querystring', field: 'task_id' });
    });
  });
});

describe('formatUptime', () => {
  it('spells durations the way the contract shows them', () => {
    expect(formatUptime((5 * 60 + 23) * 60_000)).toBe('5h 23m');
    expect(formatUptime(42_000)).toBe('42s');
    expect(formatUptime(7 * 60_000)).toBe('7m');
    expect(formatUptime((26 * 60 + 5) * 60_000)).toBe('1d 2h 5m');
  });
});
