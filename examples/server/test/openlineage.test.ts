import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqlAnalyzer } from '@dataportal/lineage';
import { openStore, PortalService } from '@dataportal/sdk';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createProgram } from '../src/cli-program';
import { loadConfig } from '../src/config';
import { storeDialects } from './support/dialects';
import { createHarness, type Harness } from './support/harness';

const dialects = await storeDialects();

beforeAll(async () => {
  await createSqlAnalyzer();
}, 60_000);

const RUN_ID = '01930000-0000-7000-8000-00000000abcd';

/** What Spark's OpenLineage listener sends for `INSERT INTO dwd.user_orders SELECT … FROM ods.*`. */
function sparkEvent(eventType: 'START' | 'COMPLETE', job = 'spark_user_orders') {
  return {
    eventType,
    eventTime: eventType === 'START' ? '2026-12-01T03:00:00.000Z' : '2026-12-01T03:02:00.000Z',
    producer: 'https://github.com/OpenLineage/OpenLineage/tree/1.40.0/integration/spark',
    schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
    run: { runId: RUN_ID, facets: {} },
    job: { namespace: 'spark-prod', name: job, facets: {} },
    inputs: [
      { namespace: 'mysql://fe1:9030', name: 'ods.orders', facets: {} },
      { namespace: 'mysql://fe1:9030', name: 'ods.users', facets: {} },
    ],
    outputs: [
      {
        namespace: 'mysql://fe1:9030',
        name: 'dwd.user_orders',
        facets: {
          columnLineage: {
            _producer: 'https://github.com/OpenLineage/OpenLineage/tree/1.40.0/integration/spark',
            _schemaURL:
              'https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet',
            fields: {
              user_name: {
                inputFields: [{ namespace: 'mysql://fe1:9030', name: 'ods.users', field: 'name' }],
              },
              amount: {
                inputFields: [
                  { namespace: 'mysql://fe1:9030', name: 'ods.orders', field: 'amount' },
                ],
              },
            },
          },
        },
        outputFacets:
          eventType === 'COMPLETE'
            ? {
                outputStatistics: {
                  _producer: 'spark',
                  _schemaURL:
                    'https://openlineage.io/spec/facets/1-0-2/OutputStatisticsOutputDatasetFacet.json#/$defs/OutputStatisticsOutputDatasetFacet',
                  rowCount: 1200,
                },
              }
            : {},
      },
    ],
  };
}

describe.each(dialects)('OpenLineage in, lineage as of a time, column level on %s', (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness(dialect, { columnLineage: true });
    await h.portal.createDatasource({ name: 'warehouse', kind: 'doris', host: 'fe1', port: 9030 });
    for (const t of ['ods.orders', 'ods.users'])
      await h.portal.registerTable({ qualifiedName: t, layer: 'ODS', datasource: 'warehouse' });
  });
  afterEach(async () => {
    await h?.close();
  });

  it("turns a Spark-like producer's events into observed edges, drafts, executions and drift", async () => {
    await h.portal.registerTable({ qualifiedName: 'dwd.user_orders', layer: 'DWD' });
    const task = await h.call({
      method: 'POST',
      url: '/api/v1/tasks',
      payload: {
        name: 'spark_user_orders',
        sql: 'INSERT INTO dwd.user_orders SELECT o.id, o.amount FROM ods.orders o',
        task_type: 'batch',
        engine: 'local',
        inputs: ['ods.orders'],
        outputs: ['dwd.user_orders'],
      },
    });
    expect(task.status).toBe(201);
    const start = await h.call({
      method: 'POST',
      url: '/api/v1/openlineage',
      payload: sparkEvent('START'),
    });
    expect(start.status).toBe(200);
    expect(start.body).toMatchObject({ events: 1, edges: 2, executions: 1 });
    const batch = await h.call({
      method: 'POST',
      url: '/api/v1/openlineage/batch',
      payload: [sparkEvent('COMPLETE'), { eventType: 'START', run: {} }],
    });
    expect(batch.status).toBe(200);
    expect(batch.body).toMatchObject({ status: 'partial_success', events: 2, executions: 1 });
    expect(batch.body.failed[0].index).toBe(1);

    const edges = await h.call({
      method: 'GET',
      url: '/api/v1/lineage/edges?table=dwd.user_orders',
    });
    const observed = edges.body.items.filter(
      (e: { provenance: string }) => e.provenance === 'observed',
    );
    expect(observed.map((e: { source: string }) => e.source).sort()).toEqual([
      'ods.orders',
      'ods.users',
    ]);
    expect(observed.find((e: { source: string }) => e.source === 'ods.users').columns).toEqual([
      { source: 'name', target: 'user_name' },
    ]);

    const runs = await h.call({
      method: 'GET',
      url: `/api/v1/executions?task_id=${observed[0].task_id}`,
    });
    expect(runs.status).toBe(200);
    expect(runs.body.items[0]).toMatchObject({
      status: 'SUCCESS',
      external_run_id: `ol:${RUN_ID}`,
      rows_output: 1200,
    });

    const drift = await h.call({
      method: 'GET',
      url: '/api/v1/lineage/drift?task=spark_user_orders',
    });
    expect(drift.status).toBe(200);
    expect(drift.body.observed_not_declared).toEqual([
      {
        source: 'ods.users',
        target: 'dwd.user_orders',
        declared: false,
        parsed: false,
        observed: true,
      },
    ]);
    expect(drift.body.consistent).toBe(false);
  });

  it('registers datasets it does not know as drafts and rejects malformed events', async () => {
    const r = await h.call({
      method: 'POST',
      url: '/api/v1/openlineage',
      payload: sparkEvent('COMPLETE', 'someone_elses_job'),
    });
    expect(r.status).toBe(200);
    expect(r.body.drafts).toEqual(['dwd.user_orders']);
    expect(r.body.executions).toBe(0);
    const t = await h.call({ method: 'GET', url: '/api/v1/tables/dwd.user_orders' });
    expect(t.body).toMatchObject({ status: 'draft', layer: 'DWD', datasource: 'warehouse' });
    const bad = await h.call({
      method: 'POST',
      url: '/api/v1/openlineage',
      payload: { ...sparkEvent('START'), run: { runId: 'nope' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
  });

  it('answers as_of queries with the graph as it was, and diffs two times', async () => {
    await h.portal.registerTable({ qualifiedName: 'dwd.orders', layer: 'DWD' });
    await h.portal.registerTable({ qualifiedName: 'dws.sales', layer: 'DWS' });
    const pause = () => new Promise((r) => setTimeout(r, 5));
    const snapshots: Array<{ at: string; full: unknown; up: unknown }> = [];
    const snap = async () => {
      await pause();
      const at = new Date().toISOString();
      const full = (await h.call({ method: 'GET', url: '/api/v1/lineage' })).body;
      const up = (
        await h.call({ method: 'GET', url: '/api/v1/lineage?table=dws.sales&direction=upstream' })
      ).body;
      snapshots.push({ at, full, up });
      await pause();
    };
    const create = (name: string, inputs: string[], outputs: string[]) =>
      h.call({
        method: 'POST',
        url: '/api/v1/tasks',
        payload: {
          name,
          sql: `INSERT INTO ${outputs[0]} SELECT * FROM ${inputs[0]}`,
          task_type: 'batch',
          engine: 'local',
          inputs,
          outputs,
        },
      });
    const a = await create('orders_dwd', ['ods.orders'], ['dwd.orders']);
    await create('sales_dws', ['dwd.orders'], ['dws.sales']);
    await snap();
    await h.call({
      method: 'PATCH',
      url: `/api/v1/tasks/${a.body.id}`,
      payload: {
        inputs: ['ods.users'],
        sql: 'INSERT INTO dwd.orders SELECT * FROM ods.users',
        version: a.body.version,
      },
    });
    await snap();
    // Edge order is storage order; compare the graphs as sets.
    type G = { nodes: unknown[]; edges: Array<{ source: string; target: string }> };
    const norm = (g: unknown) => {
      const x = g as G;
      return {
        nodes: x.nodes,
        edges: x.edges.map((e) => `${e.source}>${e.target}`).sort(),
      };
    };
    for (const s of snapshots) {
      const full = await h.call({ method: 'GET', url: `/api/v1/lineage?as_of=${s.at}` });
      expect(norm(full.body)).toEqual(norm(s.full));
      const up = await h.call({
        method: 'GET',
        url: `/api/v1/lineage?table=dws.sales&direction=upstream&as_of=${s.at}`,
      });
      expect(norm(up.body)).toEqual(norm(s.up));
    }
    const diff = await h.call({
      method: 'GET',
      url: `/api/v1/lineage/diff?from=${snapshots[0]?.at}&to=${snapshots[1]?.at}`,
    });
    expect(diff.status).toBe(200);
    expect(diff.body.added.map((e: { source: string }) => e.source)).toEqual(['ods.users']);
    expect(diff.body.removed).toMatchObject([
      { source: 'ods.orders', target: 'dwd.orders', task_id: a.body.id, task_version: 1 },
    ]);
    expect(diff.body.added[0].task_version).toBe(2);
    const bad = await h.call({ method: 'GET', url: '/api/v1/lineage?as_of=yesterday-ish' });
    expect(bad.status).toBe(400);
  });

  it('serves column lineage composed through a script with two temp tables (?level=column)', async () => {
    await h.portal.registerTable({ qualifiedName: 'dwd.user_orders', layer: 'DWD' });
    await h.portal.setFields('ods.orders', [
      { name: 'id', type: 'BIGINT' },
      { name: 'user_id', type: 'BIGINT' },
      { name: 'amount', type: 'DECIMAL' },
    ]);
    const sql = `CREATE TEMPORARY TABLE tmp.o AS SELECT id, user_id, amount FROM ods.orders WHERE amount > 0;
CREATE TEMPORARY TABLE tmp.u AS SELECT o.user_id, SUM(o.amount) AS total FROM tmp.o o JOIN ods.users u ON o.user_id = u.id GROUP BY o.user_id;
INSERT INTO dwd.user_orders SELECT user_id, total AS amount FROM tmp.u;
DROP TABLE tmp.o; DROP TABLE tmp.u;`;
    const r = await h.call({
      method: 'POST',
      url: '/api/v1/tasks',
      payload: {
        name: 'user_orders',
        sql,
        task_type: 'batch',
        engine: 'local',
        inputs: ['ods.orders', 'ods.users'],
        outputs: ['dwd.user_orders'],
      },
    });
    expect(r.status).toBe(201);
    const g = await h.call({
      method: 'GET',
      url: '/api/v1/lineage?table=dwd.user_orders&direction=upstream&level=column',
    });
    const orders = g.body.edges.find((e: { source: string }) => e.source === 'ods.orders');
    expect(orders.columns).toEqual([
      { source: 'amount', target: 'amount' },
      { source: 'user_id', target: 'user_id' },
    ]);
    const dot = await h.call({
      method: 'GET',
      url: '/api/v1/lineage?table=dwd.user_orders&direction=upstream&level=column&format=dot',
    });
    expect(dot.body).toContain('"ods.orders":"amount" -> "dwd.user_orders":"amount";');
    const mermaid = await h.call({
      method: 'GET',
      url: '/api/v1/lineage?table=dwd.user_orders&level=column&format=mermaid',
    });
    expect(mermaid.body).toMatch(/^flowchart LR/);
  });
});

describe('dataportal openlineage export', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dp-ol-export-'));
  const saved = { ...process.env };
  afterAll(() => {
    process.env = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('backfills recorded runs as NDJSON with the same run ids a live emitter uses', async () => {
    process.env['DATAPORTAL_DATA_DIR'] = dir;
    delete process.env['DATAPORTAL_DATABASE_URL'];
    delete process.env['OPENLINEAGE_URL'];
    const config = loadConfig();
    const store = await openStore({ url: config.databaseUrl, migrate: true });
    const portal = new PortalService({ store });
    await portal.registerTable({ qualifiedName: 'ods.a', layer: 'ODS' });
    await portal.registerTable({ qualifiedName: 'dwd.b', layer: 'DWD' });
    const t = await portal.createTask({
      name: 'ab',
      sql: 'INSERT INTO dwd.b SELECT * FROM ods.a',
      taskType: 'batch',
      engine: 'local',
      inputs: ['ods.a'],
      outputs: ['dwd.b'],
    });
    await portal.recordExecution({
      taskId: t.id,
      engine: 'local',
      externalRunId: '1',
      status: 'SUCCESS',
      rowsOutput: 3,
    });
    await portal.recordExecution({
      taskId: t.id,
      engine: 'local',
      externalRunId: '2',
      status: 'RUNNING',
    });
    await store.close();
    let err = '';
    const program = createProgram({
      out: () => undefined,
      err: (s) => (err += s),
      interactive: false,
    });
    program.exitOverride();
    const file = join(dir, 'ol.ndjson');
    await program.parseAsync(['node', 'dataportal', 'openlineage', 'export', '--file', file]);
    expect(err).toContain('3 event(s) of 2 run(s) exported');
    const events = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { eventType: string; run: { runId: string } });
    expect(events.map((e) => e.eventType)).toEqual(['START', 'COMPLETE', 'START']);
    expect(events[0]?.run.runId).toBe(events[1]?.run.runId);
    expect(events[2]?.run.runId).not.toBe(events[0]?.run.runId);
  });
});
