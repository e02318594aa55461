import { analyzeSql } from '@dataportal/lineage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeDialects } from './support/dialects';
import { createHarness, type Harness } from './support/harness';

const dialects = await storeDialects();

// The SQL parser loads on first use (seconds on a busy machine): load it before the tests, so
// the SQL-analysing requests are timed for what they do, not for the import.
beforeAll(async () => {
  await analyzeSql('select 1', { dialect: 'doris' });
}, 60_000);

describe.each(dialects)('lineage routes on %s (demo warehouse)', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(dialect, { demo: true });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('GET /api/v1/lineage answers {nodes:[{id, layer}], edges:[{source, target}]}', async () => {
    const r = await h.call({ method: 'GET', url: '/api/v1/lineage' });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(['edges', 'nodes']);
    expect(r.body.nodes).toHaveLength(14);
    expect(r.body.nodes).toContainEqual({ id: 'ods.orders', layer: 'ODS' });
    expect(r.body.edges).toContainEqual({ source: 'dwd.order_detail', target: 'dws.user_daily' });
    for (const n of r.body.nodes) expect(Object.keys(n).sort()).toEqual(['id', 'layer']);
    for (const e of r.body.edges) expect(Object.keys(e).sort()).toEqual(['source', 'target']);
  });

  it('walks upstream / downstream with a depth', async () => {
    const up = await h.call({
      method: 'GET',
      url: '/api/v1/lineage?table=dws.user_daily&direction=upstream&depth=1',
    });
    expect(up.body.nodes.map((n: { id: string }) => n.id)).toEqual([
      'dwd.order_detail',
      'dws.user_daily',
    ]);
    const upAll = await h.call({
      method: 'GET',
      url: '/api/v1/lineage?table=dws.user_daily&direction=up',
    });
    // Nodes come in the order data flows (ODS, DWD, DIM, DWS, ADS), by name within a layer.
    expect(upAll.body.nodes.map((n: { id: string }) => n.id)).toEqual([
      'ods.orders',
      'ods.payments',
      'ods.products',
      'dwd.order_detail',
      'dws.user_daily',
    ]);
    const down = await h.call({
      method: 'GET',
      url: '/api/v1/lineage?table=dws.user_daily&direction=downstream',
    });
    expect(down.body.nodes.map((n: { id: string }) => n.id)).toEqual([
      'dws.user_daily',
      'ads.city_sales',
      'ads.sales_dashboard',
    ]);
  });

  it('renders Mermaid and DOT as text', async () => {
    const m = await h.call({
      method: 'GET',
      url: '/api/v1/lineage?table=dws.category_daily&direction=up&depth=1&format=mermaid',
    });
    expect(m.res.headers['content-type']).toContain('text/plain');
    expect(m.body).toMatch(/^flowchart LR/);
    expect(m.body).toMatch(/subgraph \w+\["DWD"\]\n\s+\w+\["dwd.order_detail"\]/);
    expect(m.body).toContain('["dws.category_daily"]');
    expect(m.body).not.toContain('ods.orders');
    const d = await h.call({ method: 'GET', url: '/api/v1/lineage?format=dot' });
    expect(d.body).toMatch(/^digraph "lineage" \{/);
    expect(d.body).toContain('"ods.orders" -> "dwd.order_detail";');
  });

  it('answers 404 for an unknown table and 400 for a bad direction', async () => {
    expect((await h.call({ method: 'GET', url: '/api/v1/lineage?table=x.y' })).status).toBe(404);
    const bad = await h.call({
      method: 'GET',
      url: '/api/v1/lineage?table=ods.orders&direction=sideways',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details.issues[0].field).toBe('direction');
  });

  it('reports impact: downstream tables, tasks and owners', async () => {
    const r = await h.call({ method: 'GET', url: '/api/v1/lineage/impact?table=dim.customer' });
    expect(r.body).toMatchObject({
      table: 'dim.customer',
      tables: [{ id: 'ads.city_sales', layer: 'ADS', depth: 1 }],
      tasks: [{ name: 'ads_city_sales', owner: 'bi' }],
      owners: ['bi'],
      truncated: false,
    });
    const cut = await h.call({
      method: 'GET',
      url: '/api/v1/lineage/impact?table=ods.orders&depth=1',
    });
    expect(cut.body.truncated).toBe(true);
  });

  it('finds a path between two tables, or null', async () => {
    const r = await h.call({
      method: 'GET',
      url: '/api/v1/lineage/path?from=ods.products&to=ads.top_categories',
    });
    expect(r.body.path).toEqual([
      'ods.products',
      'dwd.order_detail',
      'dws.category_daily',
      'ads.top_categories',
    ]);
    const none = await h.call({
      method: 'GET',
      url: '/api/v1/lineage/path?from=ads.city_sales&to=ods.orders',
    });
    expect(none.body.path).toBeNull();
  });

  it('reports layer-rule violations from manual edges, and removes manual edges', async () => {
    const clean = await h.call({ method: 'GET', url: '/api/v1/lineage/violations' });
    expect(clean.body).toEqual({ violations: [], cycles: [] });
    const add = await h.call({
      method: 'POST',
      url: '/api/v1/lineage/edges',
      payload: { source: 'dws.realtime_gmv', target: 'ods.users' },
    });
    expect(add.status).toBe(201);
    expect(add.body).toMatchObject({ provenance: 'manual', task_id: null });
    const v = await h.call({ method: 'GET', url: '/api/v1/lineage/violations' });
    expect(v.body.violations).toEqual([
      {
        source: 'dws.realtime_gmv',
        target: 'ods.users',
        source_layer: 'DWS',
        target_layer: 'ODS',
        rule: 'BACKWARD',
        reason: expect.stringContaining('DWS'),
        tasks: [],
      },
    ]);
    const cycle = await h.call({
      method: 'POST',
      url: '/api/v1/lineage/edges',
      payload: { source: 'ads.city_sales', target: 'ods.orders' },
    });
    expect(cycle.status).toBe(409);
    const edges = await h.call({ method: 'GET', url: '/api/v1/lineage/edges?table=ods.users' });
    expect(edges.body.items).toHaveLength(2);
    const del = await h.call({ method: 'DELETE', url: `/api/v1/lineage/edges/${add.body.id}` });
    expect(del.status).toBe(204);
    const taskEdge = edges.body.items.find((e: { task_id: number | null }) => e.task_id !== null);
    const refused = await h.call({ method: 'DELETE', url: `/api/v1/lineage/edges/${taskEdge.id}` });
    expect(refused.status).toBe(409);
  });

  it('POST /api/v1/sql/lineage analyses SQL and names unregistered tables', async () => {
    const r = await h.call({
      method: 'POST',
      url: '/api/v1/sql/lineage',
      payload: {
        sql: 'INSERT INTO ads.daily_gmv SELECT order_date, SUM(gmv), SUM(orders) FROM dws.category_daily JOIN ods.ghost g ON 1 = 1 GROUP BY order_date',
        dialect: 'doris',
      },
    });
    expect(r.status).toBe(200);
    expect(r.body.outputs).toEqual(['ads.daily_gmv']);
    expect([...r.body.inputs].sort()).toEqual(['dws.category_daily', 'ods.ghost']);
    expect(r.body.unregistered_tables).toEqual(['ods.ghost']);
    expect(r.body.confidence).toBeGreaterThan(0);
  });
});
