import { performance } from 'node:perf_hooks';
import { downstream } from '@dataportal/lineage';
import { openStore, PortalService } from '@dataportal/sdk';
import { buildApp } from '../src/app';

// DESIGN.md §8: the lineage endpoints stay under 100 ms at 100k tables. Loads 100k tables and
// 300k forward edges (ODS → … → ADS) straight into a SQLite store, then times the routes
// through inject() against the bare library query on the same graph (the reference).

const TABLES = Number(process.env['BENCH_TABLES'] ?? 100_000);
const EDGES = TABLES * 3;
const LAYERS = ['ODS', 'DWD', 'DIM', 'DWS', 'ADS'] as const;
// mulberry32: a small, well-distributed 32-bit generator (exact in integer arithmetic).
let seed = 42;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};

const store = await openStore({ url: 'sqlite::memory:', migrate: true });
const name = (i: number) =>
  `${LAYERS[Math.floor((i * LAYERS.length) / TABLES)]?.toLowerCase()}.t${i}`;
const now = Date.now();
const t0 = performance.now();
for (let i = 0; i < TABLES; i += 1000) {
  const rows = [];
  for (let j = i; j < Math.min(TABLES, i + 1000); j++) {
    const n = name(j);
    const [db = '', table = ''] = n.split('.');
    rows.push({
      qualified_name: n,
      database_name: db,
      table_name: table,
      datasource: null,
      layer: LAYERS[Math.floor((j * LAYERS.length) / TABLES)] ?? 'ODS',
      owner: `team${j % 50}`,
      status: 'active',
      description: null,
      tags_json: '[]',
      row_count: null,
      data_size: null,
      last_modified: null,
      synced_at: null,
      drift_json: null,
      version: 1,
      created_at: now,
      updated_at: now,
    });
  }
  await store.db.insertInto('data_table').values(rows).execute();
}
const seen = new Set<string>();
for (let e = 0; e < EDGES; ) {
  const rows = [];
  while (rows.length < 2000 && e < EDGES) {
    const a = Math.floor(rand() * (TABLES - 1));
    const b = a + 1 + Math.floor(rand() * Math.min(2000, TABLES - a - 1));
    const key = `${a}>${b}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push({
      source: name(a),
      target: name(b),
      task_id: 0,
      provenance: 'manual',
      columns_json: '[]',
      created_at: now,
    });
    e++;
  }
  await store.db.insertInto('data_lineage').values(rows).execute();
}
// 2,000 tasks, each reading ods.hub and writing its own table (dwd.hub_<k>, outside the big graph): an impact answer on ods.hub
// names all of them (the issue-19 case: the route used to read each task on its own).
const TASKS = Number(process.env['BENCH_TASKS'] ?? 2000);
await store.db
  .insertInto('data_table')
  .values({
    qualified_name: 'ods.hub',
    database_name: 'ods',
    table_name: 'hub',
    datasource: null,
    layer: 'ODS',
    owner: 'ingest',
    status: 'active',
    description: null,
    tags_json: '[]',
    row_count: null,
    data_size: null,
    last_modified: null,
    synced_at: null,
    drift_json: null,
    version: 1,
    created_at: now,
    updated_at: now,
  })
  .execute();
for (let i = 0; i < TASKS; i += 500) {
  const tasks = [];
  for (let k = i; k < Math.min(TASKS, i + 500); k++) {
    tasks.push({
      name: `load_${k}`,
      description: null,
      kind: 'sql',
      sql_text: `insert into dwd.hub_${k} select * from ods.hub`,
      task_type: 'batch',
      engine: 'local',
      schedule: null,
      inputs_json: '["ods.hub"]',
      outputs_json: JSON.stringify([`dwd.hub_${k}`]),
      owner: `team${k % 50}`,
      datasource: null,
      retries: 0,
      timeout_seconds: 0,
      pre_json: '[]',
      post_json: '[]',
      status: 'draft',
      engine_ref_json: null,
      last_error: null,
      version: 1,
      created_at: now,
      updated_at: now,
    });
  }
  const ids = await store.db
    .insertInto('data_task')
    .values(tasks)
    .returning(['id', 'name'])
    .execute();
  await store.db
    .insertInto('data_lineage')
    .values(
      ids.map((t) => ({
        source: 'ods.hub',
        target: `dwd.hub_${t.name.slice('load_'.length)}`,
        task_id: Number(t.id),
        provenance: 'declared',
        columns_json: '[]',
        created_at: now,
      })),
    )
    .execute();
}
const loaded = performance.now() - t0;

const portal = new PortalService({ store });
const app = await buildApp({ portal, auth: 'off', rateLimit: false });
await app.ready();
const graph = await portal.lineageGraph();

function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)] ?? 0;
}

const ROUNDS = 200;
const routes: Record<string, number[]> = { graph3: [], impact3: [], path: [] };
const reference: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const t = name(Math.floor(rand() * TABLES * 0.6));
  let s = performance.now();
  downstream(graph, t, { depth: 3 });
  reference.push(performance.now() - s);
  s = performance.now();
  const g = await app.inject({ url: `/api/v1/lineage?table=${t}&direction=downstream&depth=3` });
  routes['graph3']?.push(performance.now() - s);
  s = performance.now();
  const i = await app.inject({ url: `/api/v1/lineage/impact?table=${t}&depth=3` });
  routes['impact3']?.push(performance.now() - s);
  s = performance.now();
  const p = await app.inject({
    url: `/api/v1/lineage/path?from=${t}&to=${name(TABLES - 1)}&max_depth=6`,
  });
  routes['path']?.push(performance.now() - s);
  if (g.statusCode !== 200 || i.statusCode !== 200 || p.statusCode !== 200) {
    throw new Error(`unexpected status ${g.statusCode}/${i.statusCode}/${p.statusCode}`);
  }
}
const ref = p95(reference);
const parts = Object.entries(routes).map(
  ([k, xs]) =>
    `${k} p95 ${p95(xs).toFixed(1)} ms (${(p95(xs) / Math.max(ref, 1e-3)).toFixed(0)}× the bare query)`,
);
console.log(
  `server lineage routes, ${TABLES} tables / ${EDGES} edges (loaded in ${(loaded / 1000).toFixed(1)} s): ` +
    `${parts.join('; ')}; bare downstream depth 3 p95 ${ref.toFixed(3)} ms; budget 100 ms: ` +
    `${Object.values(routes).every((xs) => p95(xs) < 100) ? 'met' : 'MISSED'}`,
);
// Impact on ods.hub through real HTTP (loopback), naming every task.
function p99(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.99 * s.length) - 1)] ?? 0;
}
const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
await app.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
const hub: number[] = [];
for (let r = 0; r < 100; r++) {
  const s = performance.now();
  const res = await fetch(`${base}/api/v1/lineage/impact?table=ods.hub`);
  const body = (await res.json()) as { tasks: unknown[] };
  hub.push(performance.now() - s);
  if (body.tasks.length !== TASKS) throw new Error(`impact named ${body.tasks.length} tasks`);
}
// Before issue 19 the route read each affected task on its own; time that way on the same store.
const names = Array.from({ length: TASKS }, (_, k) => `load_${k}`);
const perTask: number[] = [];
for (let r = 0; r < 5; r++) {
  const s = performance.now();
  await Promise.all(names.map((n) => portal.getTask(n)));
  perTask.push(performance.now() - s);
}
console.log(
  `impact over HTTP naming ${TASKS} tasks (${TABLES} tables): p50 ${p50(hub).toFixed(1)} ms, ` +
    `p99 ${p99(hub).toFixed(1)} ms (budget 20 ms: ${p99(hub) <= 20 ? 'met' : 'MISSED'}); ` +
    `before (one read per task): the task reads alone took p50 ${p50(perTask).toFixed(0)} ms`,
);
await app.close();
await store.close();
