import { openStore, PortalService } from '@dataportal/sdk';
import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';

// The lineage routes answer in a constant number of store queries however many tasks they
// name. Before, impact read each affected task on its own (N+1): 2,000 tasks cost 2,000 reads
// and 0.55–0.8 s per answer.
describe('lineage routes: a constant number of queries', () => {
  const TASKS = 120;
  let queries = 0;
  const counting: KyselyPlugin = {
    transformQuery: (args) => {
      queries++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  let close: () => Promise<void>;
  let app: Awaited<ReturnType<typeof buildApp>>;

  beforeAll(async () => {
    const raw = await openStore({ url: 'sqlite::memory:', migrate: true });
    const store = await openStore({ kysely: raw.db.withPlugin(counting), dialect: 'sqlite' });
    const portal = new PortalService({ store });
    await portal.registerTable({ qualifiedName: 'ods.hub', layer: 'ODS', owner: 'ingest' });
    for (let i = 0; i < TASKS; i++) {
      await portal.registerTable({
        qualifiedName: `dwd.t${i}`,
        layer: 'DWD',
        owner: `team${i % 7}`,
      });
      await portal.createTask({
        name: `load_t${i}`,
        taskType: 'batch',
        engine: 'local',
        owner: `team${i % 7}`,
        sql: `insert into dwd.t${i} select * from ods.hub`,
        inputs: ['ods.hub'],
        outputs: [`dwd.t${i}`],
      });
    }
    app = await buildApp({ portal, auth: 'off', rateLimit: false });
    close = async () => {
      await app.close();
      await raw.close();
    };
    await app.inject({ url: '/api/v1/lineage' }); // warm the cached graph
  });

  afterAll(async () => {
    await close?.();
  });

  it(`impact naming ${TASKS} tasks reads them in one batch`, async () => {
    queries = 0;
    const res = await app.inject({ url: '/api/v1/lineage/impact?table=ods.hub' });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { tasks: { name: string }[]; owners: string[] };
    expect(body.tasks).toHaveLength(TASKS);
    expect(body.owners).toHaveLength(7);
    // the stamp read, resolving the name, the stamp read of the task index
    expect(queries).toBeLessThanOrEqual(4);
  });

  it('the full graph and a path cost the cache check and the name lookups only', async () => {
    queries = 0;
    expect((await app.inject({ url: '/api/v1/lineage' })).statusCode).toBe(200);
    expect(
      (await app.inject({ url: '/api/v1/lineage/path?from=ods.hub&to=dwd.t5' })).statusCode,
    ).toBe(200);
    // graph: the stamp read; path: resolving `from` and `to` to registered names, the stamp.
    expect(queries).toBeLessThanOrEqual(4);
  });
});
