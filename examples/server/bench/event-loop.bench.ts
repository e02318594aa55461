import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { createLocalEngine, openSqliteWarehouse, openStore, PortalService } from '@dataportal/sdk';
import { buildApp } from '../src/app';

// Issue 19, item 1: /healthz p99 while 4 local-engine runs of about 2 s each and 10 concurrent
// impact requests (naming 2,000 tasks) are in flight. Run twice on the same data: with SQLite
// on the main thread (as before issue 19, `sqliteThread: 'main'`) and in worker threads (now).

const TASKS = Number(process.env['BENCH_TASKS'] ?? 2000);
const RUNS = 4;
const HEAVY_ROWS = Number(process.env['BENCH_HEAVY_ROWS'] ?? 5_000_000);
const CLIENTS = 10;

// The load (10 impact clients and the /healthz probe) runs in its own thread, so the server's
// event loop serves requests only and the probe's own parsing never counts against it.
const LOAD = `
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
let busy = true;
parentPort.on('message', () => { busy = false; });
const impact = [];
const health = [];
const clients = Array.from({ length: workerData.clients }, async () => {
  while (busy) {
    const s = performance.now();
    const res = await fetch(workerData.base + '/api/v1/lineage/impact?table=ods.hub');
    await res.arrayBuffer();
    impact.push(performance.now() - s);
  }
});
(async () => {
  while (busy) {
    const s = performance.now();
    const res = await fetch(workerData.base + '/healthz');
    await res.arrayBuffer();
    health.push(performance.now() - s);
    await new Promise((r) => setTimeout(r, 20));
  }
  await Promise.all(clients);
  parentPort.postMessage({ impact, health });
})();
`;

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? 0;
};

async function measure(thread: 'main' | 'worker') {
  const dir = mkdtempSync(join(tmpdir(), `dp-bench-${thread}-`));
  const store = await openStore({
    url: `sqlite:${join(dir, 'portal.db')}`,
    migrate: true,
    sqliteThread: thread,
  });
  const warehouse = await openSqliteWarehouse({
    dir: join(dir, 'warehouse'),
    schemas: ['ods', 'dwd', 'dws'],
    thread,
  });
  let portal: PortalService | null = null;
  const engine = createLocalEngine({
    warehouse,
    onRun: async (taskId, run) => {
      await portal?.recordExecution({ taskId, engine: 'local', ...run });
    },
  });
  portal = new PortalService({ store, batchEngines: { local: engine } });
  await portal.registerTable({ qualifiedName: 'ods.hub', layer: 'ODS', owner: 'ingest' });
  for (let k = 0; k < TASKS; k++) {
    await portal.registerTable({ qualifiedName: `dwd.t${k}`, layer: 'DWD' });
    await portal.createTask({
      name: `load_${k}`,
      taskType: 'batch',
      engine: 'local',
      owner: `team${k % 50}`,
      sql: `insert into dwd.t${k} select * from ods.hub`,
      inputs: ['ods.hub'],
      outputs: [`dwd.t${k}`],
    });
  }
  await warehouse.execute('CREATE TABLE IF NOT EXISTS dws.heavy (n INTEGER)');
  await portal.registerTable({ qualifiedName: 'dws.heavy', layer: 'DWS' });
  const heavy: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t = await portal.createTask({
      name: `heavy_${r}`,
      taskType: 'batch',
      engine: 'local',
      sql: `INSERT INTO dws.heavy WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < ${HEAVY_ROWS}) SELECT count(*) FROM c`,
      outputs: ['dws.heavy'],
    });
    await portal.publishTask(t.id, { online: false });
    heavy.push(t.id);
  }
  const app = await buildApp({ portal });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  await (await fetch(`${base}/api/v1/lineage/impact?table=ods.hub`)).json();

  const started = performance.now();
  for (const id of heavy) await portal.triggerTask(id);
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const load = new Worker(LOAD, { eval: true, workerData: { base, clients: CLIENTS } });
  const result = new Promise<{ impact: number[]; health: number[] }>((resolve, reject) => {
    load.once('message', resolve);
    load.once('error', reject);
  });
  await engine.idle();
  load.postMessage('stop');
  const { impact, health } = await result;
  await load.terminate();
  delay.disable();
  const runsMs = performance.now() - started;
  await app.close();
  await engine.close();
  await warehouse.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return {
    p50: quantile(health, 0.5),
    p99: quantile(health, 0.99),
    samples: health.length,
    impactP99: quantile(impact, 0.99),
    loopP99: delay.percentile(99) / 1e6,
    runsMs,
  };
}

const before = await measure('main');
const after = await measure('worker');
const { loadavg } = await import('node:os');
console.log(
  `/healthz under ${RUNS} local runs (${(after.runsMs / RUNS / 1000).toFixed(1)} s each) + ${CLIENTS} concurrent impact requests (${TASKS} tasks): ` +
    `p99 ${after.p99.toFixed(1)} ms (p50 ${after.p50.toFixed(1)} ms, ${after.samples} probes) with SQLite in worker threads ` +
    `(budget 10 ms: ${after.p99 <= 10 ? 'met' : 'MISSED'}); before, on the main thread: p99 ${before.p99.toFixed(0)} ms ` +
    `(p50 ${before.p50.toFixed(0)} ms, ${before.samples} probes); impact p99 ${after.impactP99.toFixed(0)} ms vs ${before.impactP99.toFixed(0)} ms; ` +
    `server event-loop delay p99 ${after.loopP99.toFixed(1)} ms vs ${before.loopP99.toFixed(0)} ms ` +
    `(machine load average ${loadavg()[0]?.toFixed(1)} on ${(await import('node:os')).availableParallelism()} cores)`,
);
