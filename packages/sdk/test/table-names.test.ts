import { analyzeSql } from '@dataportal/lineage';
import { Migrator } from 'kysely/migration';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type PortalService } from '../src/index.js';
import { portalMigrations } from '../src/storage/migrations.js';
import { storeDialects } from './support/dialects.js';
import { caught, portalSuite } from './support/portal-suite.js';

// Table names as people write them: one resolution rule (src/portal/table-names.ts), used by
// every place that names a table.

const dialects = await storeDialects();

// The SQL parser loads on first use (seconds on a busy machine): load it before the tests.
beforeAll(async () => {
  await analyzeSql('select 1', { dialect: 'doris' });
}, 60_000);

describe.each(dialects)('table names as people write them, on %s', (dialect) => {
  const suite = portalSuite(dialect);
  let portal: PortalService;
  beforeEach(async () => {
    ({ portal } = suite);
    await suite.store.db.deleteFrom('dp_datasource').execute();
  });

  it('accepts the design task verbatim: unqualified names, registered as written with their layer', async () => {
    const task = await portal.createTask(
      {
        name: 'names_load',
        sql: 'insert into dwd_user select * from ods_user',
        taskType: 'batch',
        engine: 'dolphin',
        schedule: '0 3 * * *',
        inputs: ['ods_user'],
        outputs: ['dwd_user'],
      },
      { registerMissingTables: true },
    );
    expect(task).toMatchObject({ inputs: ['ods_user'], outputs: ['dwd_user'] });
    expect(await portal.getTable('ods_user')).toMatchObject({
      qualifiedName: 'ods_user',
      database: '',
      name: 'ods_user',
      layer: 'ODS',
      status: 'draft',
    });
    expect((await portal.getTable('DWD_USER')).layer).toBe('DWD');
    const edges = await portal.listLineageEdges({ table: 'ods_user' });
    expect(edges.map((e) => [e.source, e.target])).toEqual([['ods_user', 'dwd_user']]);
    const check = await portal.checkTaskLineage(task.id);
    expect(check.consistent).toBe(true);
  });

  it('takes the layer from an ods. style database for auto-registered tables', async () => {
    await portal.createTask(
      {
        name: 'names_db_layer',
        sql: 'insert into dws.user_days select * from dwd.user_log',
        taskType: 'batch',
        engine: 'local',
        inputs: ['dwd.user_log'],
        outputs: ['dws.user_days'],
      },
      { registerMissingTables: true },
    );
    expect((await portal.getTable('dwd.user_log')).layer).toBe('DWD');
    expect((await portal.getTable('user_days')).layer).toBe('DWS');
  });

  it('resolves an unqualified name to the one table of that name, and an exact name first', async () => {
    await portal.registerTable({ qualifiedName: 'ods.orders', layer: 'ODS' });
    await portal.registerTable({ qualifiedName: 'dwd.orders_clean', layer: 'DWD' });
    // `orders` means ods.orders: the only table so named.
    const t = await portal.createTask({
      name: 'names_unqualified',
      sql: 'insert into dwd.orders_clean select * from orders',
      taskType: 'batch',
      engine: 'local',
      inputs: ['orders'],
      outputs: ['orders_clean'],
    });
    expect(t).toMatchObject({ inputs: ['ods.orders'], outputs: ['dwd.orders_clean'] });
    expect((await portal.getTable('orders')).qualifiedName).toBe('ods.orders');
    // A table registered under exactly the written name wins over the qualified one.
    await portal.registerTable({ qualifiedName: 'orders', layer: 'ODS' });
    expect((await portal.getTable('orders')).qualifiedName).toBe('orders');
    expect((await portal.getTable('ods.orders')).qualifiedName).toBe('ods.orders');
  });

  it('answers AMBIGUOUS_TABLE listing the candidates, and writes nothing', async () => {
    await portal.registerTable({ qualifiedName: 'ods.clicks', layer: 'ODS' });
    await portal.registerTable({ qualifiedName: 'stage.clicks', layer: 'ODS' });
    await portal.registerTable({ qualifiedName: 'dwd.click_days', layer: 'DWD' });
    const err = await caught(
      portal.createTask({
        name: 'names_ambiguous',
        sql: 'insert into dwd.click_days select * from clicks',
        taskType: 'batch',
        engine: 'local',
        inputs: ['clicks'],
        outputs: ['dwd.click_days'],
      }),
    );
    expect(err.code).toBe('AMBIGUOUS_TABLE');
    expect(err.details).toEqual({ table: 'clicks', candidates: ['ods.clicks', 'stage.clicks'] });
    expect(err.message).toContain('ods.clicks, stage.clicks');
    expect((await portal.listTasks()).items).toHaveLength(0);
    expect((await caught(portal.getTable('clicks'))).code).toBe('AMBIGUOUS_TABLE');
    expect(await portal.resolveTableNames(['stage.clicks', 'nope'])).toEqual(
      new Map([
        ['stage.clicks', 'stage.clicks'],
        ['nope', null],
      ]),
    );
  });

  it("resolves unqualified names in the task's default database, the SQL's names too", async () => {
    await portal.registerTable({ qualifiedName: 'ods.visits', layer: 'ODS' });
    await portal.registerTable({ qualifiedName: 'stage.visits', layer: 'ODS' });
    await portal.registerTable({ qualifiedName: 'stage.visit_days', layer: 'DWS' });
    await portal.createDatasource({
      name: 'stage_wh',
      kind: 'mysql',
      host: '127.0.0.1',
      port: 3306,
      database: 'stage',
      user: 'u',
    });
    const t = await portal.createTask({
      name: 'names_default_db',
      sql: 'insert into visit_days select * from visits',
      taskType: 'batch',
      engine: 'local',
      datasource: 'stage_wh',
      inputs: ['visits'],
      outputs: ['visit_days'],
    });
    expect(t).toMatchObject({ inputs: ['stage.visits'], outputs: ['stage.visit_days'] });
    // SQL lineage reads `visits` in the same default database: consistent with the declaration.
    const check = await portal.checkTaskLineage(t.id);
    expect(check).toMatchObject({
      parsedInputs: ['stage.visits'],
      parsedOutputs: ['stage.visit_days'],
      consistent: true,
    });
    expect((await portal.getTable('visits', { defaultDatabase: 'ods' })).qualifiedName).toBe(
      'ods.visits',
    );
  });

  it('resolves a qualified name to a catalog-qualified table', async () => {
    await portal.registerTable({ qualifiedName: 'internal.ods.refunds', layer: 'ODS' });
    expect((await portal.getTable('ods.refunds')).qualifiedName).toBe('internal.ods.refunds');
    expect((await portal.getTable('refunds')).qualifiedName).toBe('internal.ods.refunds');
  });
});

describe('the table-names migration', () => {
  it('keeps every row of an existing store', async () => {
    const store = await openStore({ url: 'sqlite::memory:', migrate: false });
    try {
      const migrator = new Migrator({ db: store.db, provider: portalMigrations('sqlite') });
      const before = await migrator.migrateTo('2026_12_04_0001_lineage_history');
      expect(before.error).toBeUndefined();
      for (const [i, name] of ['ods.a', 'dwd.b', 'ods_c'].entries()) {
        const parts = name.split('.');
        await store.db
          .insertInto('data_table')
          .values({
            qualified_name: name,
            database_name: parts.slice(0, -1).join('.'),
            table_name: parts[parts.length - 1] ?? name,
            datasource: null,
            layer: 'ODS',
            owner: null,
            status: 'active',
            description: null,
            tags_json: '[]',
            row_count: null,
            data_size: null,
            last_modified: null,
            synced_at: null,
            drift_json: null,
            version: 1,
            created_at: i,
            updated_at: i,
          })
          .execute();
      }
      const after = await migrator.migrateToLatest();
      expect(after.error).toBeUndefined();
      expect(after.results?.map((r) => r.migrationName)).toContain('2026_12_04_0002_table_names');
      const rows = await store.db.selectFrom('data_table').select('qualified_name').execute();
      expect(rows.map((r) => r.qualified_name).sort()).toEqual(['dwd.b', 'ods.a', 'ods_c']);
    } finally {
      await store.close();
    }
  });
});
