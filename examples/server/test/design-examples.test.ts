import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import { createRuntime, type Runtime } from '../src/runtime';

// The design's examples (DESIGN.md §6, replayed as §7's newcomer would after `npm start`, and
// §9's idempotent callback), with the design's exact bodies, through the server on the embedded
// default: simulated DolphinScheduler and Dinky. Only ids differ: the design's 12 and 88 are the
// ids this store gives.

describe('the design examples verbatim on a fresh embedded portal', { timeout: 30_000 }, () => {
  let dir: string;
  let runtime: Runtime;
  let app: FastifyInstance;
  let taskId: number;
  const call = async (method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) => {
    const r =
      payload === undefined
        ? await app.inject({ method, url })
        : await app.inject({ method, url, payload });
    return { status: r.statusCode, body: r.json() };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dataportal-design-'));
    runtime = await createRuntime(
      loadConfig(
        {
          DATAPORTAL_DATA_DIR: dir,
          // The demo is on in `npm start`; it does not use the example's names, and this test's
          // lineage answer is the design's whole graph, so it starts without it.
          DATAPORTAL_DEMO: 'false',
          DATAPORTAL_POLL_INTERVAL_SECONDS: '3600',
          DATAPORTAL_SIMULATION_STEP_SECONDS: '0',
        },
        dir,
      ),
    );
    // Authentication is covered by the e2e test (the printed token); here every call is an admin's.
    app = await buildApp({
      portal: runtime.portal,
      engineModes: runtime.engineModes,
      auth: 'off',
      rateLimit: false,
    });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await runtime?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('§6 POST /api/v1/tasks: the design body, unqualified names, creates the task', async () => {
    const r = await call('POST', '/api/v1/tasks', {
      name: 'load_dwd_user',
      sql: 'insert into dwd_user select * from ods_user',
      task_type: 'batch',
      engine: 'dolphin',
      schedule: '0 3 * * *',
      inputs: ['ods_user'],
      outputs: ['dwd_user'],
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      name: 'load_dwd_user',
      task_type: 'batch',
      engine: 'dolphin',
      schedule: '0 3 * * *',
      inputs: ['ods_user'],
      outputs: ['dwd_user'],
      status: 'draft',
    });
    taskId = r.body.id;
    // Registered as written, with the layer from the prefix.
    expect((await call('GET', '/api/v1/tables/ods_user')).body).toMatchObject({
      qualified_name: 'ods_user',
      layer: 'ODS',
    });
  });

  it('§6 POST /api/v1/tasks/{id}/publish {"scheduler":"dolphin","auto_start":true}: created, online, scheduled, started, run recorded', async () => {
    const r = await call('POST', `/api/v1/tasks/${taskId}/publish`, {
      scheduler: 'dolphin',
      auto_start: true,
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: taskId, engine: 'dolphin', status: 'online' });
    const ds = runtime.simulated?.dolphin;
    expect(ds?.state.workflows).toMatchObject([{ name: 'load_dwd_user', releaseState: 'ONLINE' }]);
    expect(ds?.state.schedules).toMatchObject([
      { releaseState: 'ONLINE', crontab: '0 0 3 * * ? *' },
    ]);
    expect(ds?.state.instances).toHaveLength(1);
    const runs = await call('GET', `/api/v1/tasks/${taskId}/executions`);
    expect(runs.body.items).toMatchObject([{ status: 'SUBMITTED', engine: 'dolphin' }]);
  });

  it('§6/§9 POST /api/v1/tasks/callback: recorded once, 4 minutes, 15890 rows; the same callback again changes nothing', async () => {
    const body = {
      task_id: taskId,
      status: 'SUCCESS',
      start_time: '2025-10-17T03:00:00',
      end_time: '2025-10-17T03:04:00',
      rows_output: 15890,
    };
    const first = await call('POST', '/api/v1/tasks/callback', body);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      task_id: taskId,
      status: 'SUCCESS',
      duration_ms: 4 * 60_000,
      rows_output: 15890,
    });
    const again = await call('POST', '/api/v1/tasks/callback', body);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const runs = await call('GET', `/api/v1/tasks/${taskId}/executions`);
    expect(runs.body.items).toHaveLength(1);
    expect(runs.body.items[0]).toMatchObject({
      status: 'SUCCESS',
      duration_ms: 240_000,
      rows_output: 15890,
    });
  });

  it('§6 GET /api/v1/lineage: the design answer', async () => {
    const r = await call('GET', '/api/v1/lineage');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      nodes: [
        { id: 'ods_user', layer: 'ODS' },
        { id: 'dwd_user', layer: 'DWD' },
      ],
      edges: [{ source: 'ods_user', target: 'dwd_user' }],
    });
    // Asked about a table by the name people write, it answers the same graph.
    const around = await call('GET', '/api/v1/lineage?table=ods_user');
    expect(around.body.edges).toMatchObject([{ source: 'ods_user', target: 'dwd_user' }]);
  });

  it('§6 stream start {"task_id", "engine":"dinky"}, status {"status":"RUNNING","uptime":"5h 23m","throughput":12500}, stop', async () => {
    const created = await call('POST', '/api/v1/tasks', {
      name: 'stream_user_clicks',
      sql: 'insert into dws_user_clicks select * from ods_user_clicks',
      task_type: 'stream',
      engine: 'dinky',
      inputs: ['ods_user_clicks'],
      outputs: ['dws_user_clicks'],
    });
    expect(created.status).toBe(201);
    const id = created.body.id as number;
    const start = await call('POST', '/api/v1/tasks/stream/start', {
      task_id: id,
      engine: 'dinky',
    });
    expect(start.status).toBe(200);
    expect(start.body.task_id).toBe(id);
    // The simulated job comes up, then runs for 5 h 23 min of Dinky's clock.
    await runtime.simulated?.step();
    runtime.simulated?.dinky?.advance((5 * 60 + 23) * 60_000);
    const status = await call('GET', `/api/v1/tasks/stream/status?task_id=${id}`);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ status: 'RUNNING', uptime: '5h 23m', throughput: 12500 });
    expect(status.body.uptime_ms).toBeGreaterThanOrEqual((5 * 60 + 23) * 60_000);
    const stop = await call('POST', '/api/v1/tasks/stream/stop', { task_id: id });
    expect(stop.status).toBe(200);
    expect(stop.body.status).toMatch(/STOPPED|FINISHED/);
  });
});
