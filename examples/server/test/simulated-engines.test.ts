import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { loadConfig } from '../src/config';
import { createRuntime, type Runtime } from '../src/runtime';
import { SIMULATED_RUN_MS } from '../src/simulated-engines';

// `npm start` on the embedded default: the runtime starts simulated DolphinScheduler and Dinky
// engines (the adapters' fakes, in-process on loopback) so the design's flows work out of the
// box; DOLPHIN_URL / DINKY_URL replace them.

describe('simulated engines on the embedded default', { timeout: 30_000 }, () => {
  let dir: string;
  let runtime: Runtime;
  let app: FastifyInstance;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dataportal-sim-'));
    const config = loadConfig(
      {
        DATAPORTAL_DATA_DIR: dir,
        DATAPORTAL_DEMO: 'false',
        DATAPORTAL_POLL_INTERVAL_SECONDS: '3600',
        // Tests move the simulation by hand.
        DATAPORTAL_SIMULATION_STEP_SECONDS: '0',
      },
      dir,
    );
    expect(config.simulatedEngines).toBe(true);
    runtime = await createRuntime(config);
    app = await buildApp({
      portal: runtime.portal,
      engineModes: runtime.engineModes,
      auth: 'off',
      rateLimit: false,
    });
    // The runtime loads the SQL parser (WASM) on start: seconds on a busy machine.
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await runtime?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('labels them simulated in /healthz', async () => {
    const r = await app.inject({ method: 'GET', url: '/healthz' });
    expect(r.json()).toEqual({
      status: 'ok',
      engines: { local: 'embedded', dolphin: 'simulated', dinky: 'simulated' },
    });
    expect(runtime.portal.engines.sort()).toEqual(['dinky', 'dolphin', 'local']);
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
  });

  it('publishes a dolphin task with auto_start: workflow online, scheduled, started, run recorded', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      payload: {
        name: 'sim_load_orders',
        sql: 'insert into dwd.sim_orders select * from ods.sim_orders',
        task_type: 'batch',
        engine: 'dolphin',
        schedule: '0 3 * * *',
        inputs: ['ods.sim_orders'],
        outputs: ['dwd.sim_orders'],
      },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as number;
    const published = await app.inject({
      method: 'POST',
      url: `/api/v1/tasks/${id}/publish`,
      payload: { scheduler: 'dolphin', auto_start: true },
    });
    expect(published.statusCode).toBe(200);
    expect(published.json()).toMatchObject({ status: 'online', engine: 'dolphin' });
    const ds = runtime.simulated?.dolphin;
    expect(ds?.state.workflows[0]).toMatchObject({
      name: 'sim_load_orders',
      releaseState: 'ONLINE',
    });
    expect(ds?.state.schedules[0]).toMatchObject({
      releaseState: 'ONLINE',
      crontab: '0 0 3 * * ? *',
    });
    expect(ds?.state.instances).toHaveLength(1);
    const runs = await app.inject({ method: 'GET', url: `/api/v1/tasks/${id}/executions` });
    expect(runs.json().items).toMatchObject([{ status: 'SUBMITTED', engine: 'dolphin' }]);

    // The simulation finishes the run (4 minutes of engine time); the poller records it.
    await runtime.simulated?.step();
    await runtime.simulated?.step();
    const exec = runs.json().items[0];
    const refreshed = await runtime.portal.refreshExecution(exec.id);
    expect(refreshed).toMatchObject({ status: 'SUCCESS', durationMs: SIMULATED_RUN_MS });
    const log = await app.inject({ method: 'GET', url: `/api/v1/executions/${exec.id}/log` });
    expect(log.json().text).toContain('simulated DolphinScheduler: ran sim_load_orders');
  });

  it('starts, reads and stops a stream job on the simulated Dinky', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/tasks',
      payload: {
        name: 'sim_clicks_stream',
        sql: 'insert into dwd.sim_clicks select * from ods.sim_clicks',
        task_type: 'stream',
        engine: 'dinky',
        inputs: ['ods.sim_clicks'],
        outputs: ['dwd.sim_clicks'],
      },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as number;
    const start = await app.inject({
      method: 'POST',
      url: '/api/v1/tasks/stream/start',
      payload: { task_id: id, engine: 'dinky' },
    });
    expect(start.statusCode).toBe(200);
    // Dinky answers a fresh submit as INITIALIZING until its refresh loop sees the job run.
    expect(start.json().status).toMatch(/STARTING|RUNNING/);
    await runtime.simulated?.step();
    const status = await app.inject({
      method: 'GET',
      url: `/api/v1/tasks/stream/status?task_id=${id}`,
    });
    expect(status.json()).toMatchObject({ status: 'RUNNING' });
    expect(status.json().uptime).toMatch(/^\d+s$|^\d+m$/);
    const stop = await app.inject({
      method: 'POST',
      url: '/api/v1/tasks/stream/stop',
      payload: { task_id: id },
    });
    expect(stop.statusCode).toBe(200);
    expect(stop.json().status).toMatch(/STOPPED|FINISHED/);
  });
});

describe('real engines replace the simulated ones', () => {
  it('simulates nothing on an external store unless asked, and only what is not configured', () => {
    const mysql = loadConfig({ DATAPORTAL_DATABASE_URL: 'mysql://root@127.0.0.1:3306/portal' });
    expect(mysql.simulatedEngines).toBe(false);
    const asked = loadConfig({
      DATAPORTAL_DATABASE_URL: 'mysql://root@127.0.0.1:3306/portal',
      DATAPORTAL_SIMULATED_ENGINES: 'true',
    });
    expect(asked.simulatedEngines).toBe(true);
    expect(loadConfig({ DATAPORTAL_SIMULATED_ENGINES: 'off' }).simulatedEngines).toBe(false);
  });
});
