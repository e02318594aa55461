import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Datasource, isSdkError, PortalService } from '../src/index.js';
import {
  type ConnectTarget,
  detectServer,
  listCatalogs,
  type MetadataSyncPortal,
  readWarehouse,
  syncMetadata,
  type WarehouseSnapshot,
  type WarehouseTable,
} from '../src/metadata/index.js';
import { createTestStore, type TestStore } from '../src/testing/index.js';
import { doris217, odsOrders } from './metadata-doris-fixtures.js';
import { FakeMysqlServer } from './metadata-fake-server.js';

function table(s: WarehouseSnapshot, qn: string): WarehouseTable {
  const t = s.tables.find((x) => x.qualifiedName === qn);
  if (!t) throw new Error(`no ${qn} in snapshot`);
  return t;
}

const statements = (fake: FakeMysqlServer) => fake.log.map((l) => l.sql);

describe('detectServer on Doris', () => {
  it('reads the real version from @@version_comment, not VERSION() = 5.7.99', async () => {
    const info = await detectServer(new FakeMysqlServer(doris217()));
    expect(info).toMatchObject({ kind: 'doris', version: '2.1.7', versionString: '5.7.99' });
    expect(info.utcOffsetSeconds).toBe(8 * 3600);
  });
});

describe('detectServer fallback', () => {
  it('still identifies a front end that rejects TIMESTAMPDIFF, with a zero offset', async () => {
    const fake = new FakeMysqlServer(doris217());
    const query = fake.query.bind(fake);
    fake.query = async (sql: string, params?: unknown[]) => {
      if (sql.includes('TIMESTAMPDIFF'))
        throw new Error('errCode = 2, detailMessage = Can not found function');
      return query(sql, params);
    };
    expect(await detectServer(fake)).toMatchObject({
      kind: 'doris',
      version: '2.1.7',
      utcOffsetSeconds: 0,
    });
  });
});

describe('listCatalogs', () => {
  it('lists Doris catalogs with SHOW CATALOGS, internal first', async () => {
    const fake = new FakeMysqlServer(doris217());
    expect(await listCatalogs(fake)).toEqual([
      { name: 'internal', type: 'internal', internal: true },
      { name: 'hive', type: 'hms', internal: false },
    ]);
    expect(fake.log.map((l) => l.sql).at(-1)).toBe('SHOW CATALOGS');
  });

  it('answers one internal catalog on MySQL and MariaDB without SHOW CATALOGS', async () => {
    const fake = new FakeMysqlServer({
      ...doris217(),
      flavour: 'mariadb',
      version: '10.11.6-MariaDB',
      versionComment: 'Debian 12',
    });
    expect(await listCatalogs(fake)).toEqual([
      { name: 'internal', type: 'internal', internal: true },
    ]);
    expect(fake.log).toHaveLength(1);
  });
});

describe('readWarehouse on Doris 2.1.7', () => {
  it('skips system schemas and issues one information_schema statement per database and source', async () => {
    const fake = new FakeMysqlServer(doris217());
    const s = await readWarehouse(fake);
    expect(s.databases).toEqual(['dwd', 'ods']);
    const is = fake.log.filter((l) =>
      /information_schema\.(tables|columns|partitions)/.test(l.sql),
    );
    expect(is).toHaveLength(6);
    for (const l of is) {
      // Doris pushes only `TABLE_SCHEMA = ?` down to the FE: one database per statement.
      expect(l.sql).toMatch(/WHERE TABLE_SCHEMA = \?/);
      expect(l.params).toHaveLength(1);
    }
    expect(statements(fake).every((q) => !/PREPARE/i.test(q))).toBe(true);
  });

  it('maps DUP/UNI/AGG key columns to duplicate/unique/aggregate and value columns to none', async () => {
    const s = await readWarehouse(new FakeMysqlServer(doris217()));
    const keys = (qn: string) => table(s, qn).columns.map((c) => [c.name, c.key, c.rawKey]);
    expect(keys('ods.ods_orders').slice(0, 3)).toEqual([
      ['order_id', 'duplicate', 'DUP'],
      ['dt', 'duplicate', 'DUP'],
      ['amount', 'none', ''],
    ]);
    expect(keys('dwd.dwd_user')[0]).toEqual(['user_id', 'unique', 'UNI']);
    expect(keys('dwd.dws_sales_agg').map((k) => k[1])).toEqual([
      'aggregate',
      'aggregate',
      'none',
      'none',
    ]);
  });

  it('keeps Doris column types verbatim and derives portable ones (decimalv3, largeint, string)', async () => {
    const s = await readWarehouse(new FakeMysqlServer(doris217()));
    const types = table(s, 'ods.ods_orders').columns.map((c) => [c.columnType, c.portableType]);
    expect(types).toEqual([
      ['bigint(20)', 'bigint'],
      ['date', 'date'],
      ['decimalv3(18, 4)', 'decimal(18,4)'],
      ['largeint', 'largeint'],
      ['string', 'string'],
      ['datetime(3)', 'datetime(3)'],
    ]);
    const user = table(s, 'dwd.dwd_user').columns.map((c) => c.portableType);
    expect(user).toEqual(['bigint', 'varchar(64)', 'boolean', 'array<varchar(20)>']);
    expect(table(s, 'ods.ods_orders').columns[2]?.comment).toBe('order amount');
    expect(table(s, 'ods.ods_orders').columns.every((c) => c.defaultValue === null)).toBe(true);
  });

  it('turns -1 rows, 0 bytes and epoch-0 create times of external tables into null', async () => {
    const s = await readWarehouse(new FakeMysqlServer(doris217()));
    const ext = table(s, 'ods.ext_crm_contacts');
    expect(ext).toMatchObject({
      kind: 'external',
      engine: 'MySQL',
      rowCount: null,
      dataSize: null,
      createdAt: null,
      // UPDATE_TIME of an external table is only the schema-cache load time.
      updatedAt: null,
      dataSizeIncludesReplicas: false,
      partitions: null,
    });
    expect(table(s, 'ods.v_recent_orders')).toMatchObject({
      kind: 'view',
      rowCount: null,
      dataSize: null,
    });
  });

  it('says that row counts are estimates and that sizes count every replica', async () => {
    const s = await readWarehouse(new FakeMysqlServer(doris217()));
    expect(s.rowCountsAreEstimates).toBe(true);
    expect(s.dataSizeIncludesReplicas).toBe(true);
    expect(table(s, 'ods.ods_orders')).toMatchObject({
      rowCount: 120000,
      rowCountExact: false,
      dataSize: 3 * 1_293_942,
      dataSizeIncludesReplicas: true,
    });
    expect(s.notes.join('\n')).toMatch(/estimates/);
    expect(s.notes.join('\n')).toMatch(/replica/);
  });

  it('converts FE-local times to UTC instants (the FE runs at +08:00)', async () => {
    const s = await readWarehouse(new FakeMysqlServer(doris217()));
    const t = table(s, 'ods.ods_orders');
    expect(t.createdAt?.toISOString()).toBe('2024-03-01T02:00:00.000Z');
    expect(t.updatedAt?.toISOString()).toBe('2024-03-02T02:00:05.000Z');
  });

  it('falls back to SHOW PARTITIONS when information_schema.partitions is empty, parsing human-readable sizes', async () => {
    const fake = new FakeMysqlServer(doris217());
    const s = await readWarehouse(fake);
    const shows = statements(fake).filter((q) => q.startsWith('SHOW PARTITIONS'));
    // One per native table: not for the external table or the view.
    expect(shows.sort()).toEqual([
      'SHOW PARTITIONS FROM `dwd`.`dwd_user`',
      'SHOW PARTITIONS FROM `dwd`.`dws_sales_agg`',
      'SHOW PARTITIONS FROM `ods`.`ods_orders`',
    ]);
    expect(s.partitionsSource).toBe('show_partitions');
    const parts = table(s, 'ods.ods_orders').partitions;
    expect(parts).toEqual([
      {
        name: 'p20240301',
        subpartition: null,
        method: null,
        expression: 'dt',
        description:
          '[types: [DATEV2]; keys: [2024-03-01]; ..types: [DATEV2]; keys: [2024-03-02]; )',
        rowCount: 60000,
        dataSize: Math.round(1.234 * 1024 * 1024),
        updatedAt: new Date('2024-03-01T15:00:00.000Z'),
        buckets: 10,
        replicationNum: 3,
      },
      expect.objectContaining({ name: 'p20240302', dataSize: 0, rowCount: 0 }),
    ]);
    // An unpartitioned table shows one partition named after itself.
    expect(table(s, 'dwd.dwd_user').partitions).toEqual([]);
  });

  it('leaves partitions unknown, with a note, for a table SHOW PARTITIONS rejects', async () => {
    const base = doris217();
    const fake = new FakeMysqlServer(base);
    const query = fake.query.bind(fake);
    fake.query = async (sql: string, params?: unknown[]) => {
      if (sql === 'SHOW PARTITIONS FROM `dwd`.`dwd_user`') {
        await query(sql, params);
        throw Object.assign(
          new Error('Access denied; you need (at least one of) the SHOW_VIEW privilege(s)'),
          {
            code: 'ER_SPECIFIC_ACCESS_DENIED_ERROR',
          },
        );
      }
      return query(sql, params);
    };
    const s = await readWarehouse(fake);
    expect(table(s, 'dwd.dwd_user').partitions).toBeNull();
    expect(table(s, 'ods.ods_orders').partitions).toHaveLength(2);
    expect(s.notes.join('\n')).toMatch(/SHOW PARTITIONS failed for 1 table\(s\) \(dwd\.dwd_user\)/);
  });

  it('treats a failing information_schema.partitions like an empty one', async () => {
    const fake = new FakeMysqlServer(doris217({ dorisPartitions: 'error' }));
    const s = await readWarehouse(fake);
    expect(table(s, 'ods.ods_orders').partitions).toHaveLength(2);
  });

  it('uses information_schema.partitions on Doris ≥ 2.1.8 and skips SHOW PARTITIONS', async () => {
    const fake = new FakeMysqlServer(
      doris217({
        versionComment: 'Doris version doris-2.1.8-rc01-a1b2c3',
        dorisPartitions: 'rows',
        catalogs: {
          internal: {
            schemata: ['ods'],
            tables: [
              {
                ...odsOrders,
                partitions: [
                  {
                    PARTITION_NAME: 'p20240301',
                    PARTITION_METHOD: 'RANGE',
                    PARTITION_EXPRESSION: 'dt',
                    TABLE_ROWS: 60000,
                    DATA_LENGTH: 1_293_942,
                    UPDATE_TIME: '2024-03-01 23:00:00',
                  },
                ],
              },
            ],
          },
        },
      }),
    );
    const s = await readWarehouse(fake);
    expect(s.server.version).toBe('2.1.8');
    expect(statements(fake).some((q) => q.startsWith('SHOW'))).toBe(false);
    expect(s.partitionsSource).toBe('information_schema');
    expect(table(s, 'ods.ods_orders').partitions).toEqual([
      expect.objectContaining({
        name: 'p20240301',
        method: 'RANGE',
        rowCount: 60000,
        dataSize: 1_293_942,
        updatedAt: new Date('2024-03-01T15:00:00.000Z'),
      }),
    ]);
  });

  it("leaves Doris partitions unknown with partitions: 'information-schema'", async () => {
    const fake = new FakeMysqlServer(doris217());
    const s = await readWarehouse(fake, { partitions: 'information-schema' });
    expect(statements(fake).some((q) => q.startsWith('SHOW'))).toBe(false);
    expect(table(s, 'ods.ods_orders').partitions).toBeNull();
    expect(s.partitionsSource).toBe('none');
  });

  it('counts rows exactly with one UNION ALL statement per database', async () => {
    const fake = new FakeMysqlServer(doris217());
    const s = await readWarehouse(fake, { exactCounts: true, partitions: 'none' });
    const counts = statements(fake).filter((q) => q.includes('COUNT(*)'));
    expect(counts).toHaveLength(2);
    expect(table(s, 'ods.ods_orders')).toMatchObject({ rowCount: 119_998, rowCountExact: true });
    // External tables and views are never counted.
    expect(table(s, 'ods.ext_crm_contacts')).toMatchObject({
      rowCount: null,
      rowCountExact: false,
    });
  });

  it('reads another catalog through its own information_schema with catalog-qualified names', async () => {
    const fake = new FakeMysqlServer(doris217());
    const s = await readWarehouse(fake, { catalog: 'hive' });
    expect(s.catalog).toBe('hive');
    expect(s.tables.map((t) => t.qualifiedName)).toEqual(['hive.sales.orders']);
    expect(table(s, 'hive.sales.orders')).toMatchObject({
      kind: 'external',
      rowCount: null,
      createdAt: null,
      partitions: null,
    });
    const is = statements(fake).filter((q) => q.includes('information_schema'));
    expect(is.every((q) => q.includes('`hive`.information_schema'))).toBe(true);
    expect(statements(fake).some((q) => q.startsWith('SHOW'))).toBe(false);
  });

  it('reads only the tables asked for', async () => {
    const fake = new FakeMysqlServer(doris217());
    const s = await readWarehouse(fake, { tables: ['ODS.ods_orders'] });
    expect(s.tables.map((t) => t.qualifiedName)).toEqual(['ods.ods_orders']);
    expect(s.scope).toEqual({ databases: [], tables: ['ods.ods_orders'], catalog: 'internal' });
    const cols = fake.log.find((l) => l.sql.includes('information_schema.columns'));
    expect(cols?.params).toEqual(['ods', 'ods_orders']);
  });
});

describe('syncMetadata from Doris', () => {
  let store: TestStore;
  let portal: PortalService;
  const datasource: Datasource = {
    id: 1,
    name: 'doris_prod',
    kind: 'doris',
    host: 'doris-fe.internal',
    user: 'sync',
    passwordRef: 'env:DORIS_PASSWORD',
    version: 1,
    createdAt: new Date(0),
    updatedAt: new Date(0),
  };

  beforeEach(async () => {
    store = await createTestStore({ dialect: 'sqlite' });
    portal = new PortalService({ store });
  });
  afterEach(async () => {
    await store.drop();
  });

  it('compares portable types, records stats and drift, and registers unknown tables as drafts', async () => {
    await portal.registerTable({
      qualifiedName: 'ods.ods_orders',
      layer: 'ODS',
      datasource: 'doris_prod',
      fields: [
        { name: 'order_id', type: 'bigint' },
        { name: 'dt', type: 'date' },
        { name: 'amount', type: 'decimal(18,2)' },
        { name: 'legacy_flag', type: 'boolean' },
      ],
    });
    await portal.registerTable({
      qualifiedName: 'dwd.dwd_user',
      layer: 'DWD',
      datasource: 'doris_prod',
      fields: [
        { name: 'user_id', type: 'BIGINT' },
        { name: 'name', type: 'varchar(64)' },
        { name: 'is_vip', type: 'boolean' },
        { name: 'tags', type: 'array<varchar(20)>' },
      ],
    });
    await portal.registerTable({
      qualifiedName: 'ods.ods_gone',
      layer: 'ODS',
      datasource: 'doris_prod',
    });

    const fake = new FakeMysqlServer(doris217());
    const targets: ConnectTarget[] = [];
    const report = await syncMetadata(portal, datasource, {
      registerUnknown: true,
      resolvePassword: (ref) => (ref === 'env:DORIS_PASSWORD' ? 's3cret' : undefined),
      connect: async (t) => {
        targets.push(t);
        return fake;
      },
    });

    expect(targets[0]).toMatchObject({
      host: 'doris-fe.internal',
      port: 9030,
      user: 'sync',
      password: 's3cret',
    });
    expect(JSON.stringify(targets[0])).not.toContain('s3cret');
    expect(fake.ended).toBe(true);

    expect(report.server).toMatchObject({ kind: 'doris', version: '2.1.7' });
    expect(report.tables.map((t) => [t.qualifiedName, t.status])).toEqual([
      ['dwd.dwd_user', 'in-sync'],
      ['ods.ods_gone', 'missing'],
      ['ods.ods_orders', 'drifted'],
    ]);
    expect(report.tables[2]).toMatchObject({
      columnsAdded: ['big_id', 'payload', 'created'],
      columnsRemoved: ['legacy_flag'],
      typeChanged: [{ name: 'amount', from: 'decimal(18,2)', to: 'decimalv3(18, 4)' }],
    });
    expect(report.missingInWarehouse).toEqual(['ods.ods_gone']);
    expect(
      report.unregistered.map((u) => [u.qualifiedName, u.layerGuess, u.registeredLayer]),
    ).toEqual([
      ['dwd.dws_sales_agg', 'DWS', 'DWS'],
      ['ods.ext_crm_contacts', 'ODS', 'ODS'],
      ['ods.v_recent_orders', 'ODS', 'ODS'],
    ]);
    expect(report.counts).toMatchObject({
      warehouseTables: 5,
      registered: 3,
      inSync: 1,
      drifted: 1,
      missing: 1,
      unregistered: 3,
      newlyRegistered: 3,
      statsRecorded: 6,
    });
    expect(report.errors).toEqual([]);
    expect(report.dataSizeIncludesReplicas).toBe(true);

    const orders = await portal.getTable('ods.ods_orders');
    expect(orders.stats).toMatchObject({
      rowCount: 120000,
      dataSize: 3 * 1_293_942,
      lastModified: new Date('2024-03-02T02:00:05.000Z'),
      drift: {
        columnsAdded: ['big_id', 'payload', 'created'],
        columnsRemoved: ['legacy_flag'],
        missingInWarehouse: false,
      },
    });
    const fields = await portal.getFields('ods.ods_orders');
    expect(fields.map((f) => [f.name, f.type, f.key, f.nullable])).toEqual([
      ['order_id', 'bigint(20)', 'duplicate', false],
      ['dt', 'date', 'duplicate', false],
      ['amount', 'decimalv3(18, 4)', 'none', true],
      ['big_id', 'largeint', 'none', true],
      ['payload', 'string', 'none', true],
      ['created', 'datetime(3)', 'none', true],
    ]);
    expect((await portal.getTable('ods.ods_gone')).stats.drift).toMatchObject({
      missingInWarehouse: true,
    });
    const agg = await portal.getTable('dwd.dws_sales_agg');
    expect(agg).toMatchObject({ status: 'draft', layer: 'DWS', datasource: 'doris_prod' });
    expect((await portal.getFields('dwd.dws_sales_agg')).map((f) => f.key)).toEqual([
      'aggregate',
      'aggregate',
      'none',
      'none',
    ]);
    // In sync by portable type (BIGINT = bigint(20)): no drift, but the fields take the
    // warehouse's spelling and key kinds.
    expect(report.counts.fieldsUpdated).toBe(2);
    expect((await portal.getTable('dwd.dwd_user')).stats.drift).toBeNull();
    expect((await portal.getFields('dwd.dwd_user')).map((f) => [f.type, f.key])).toEqual([
      ['bigint(20)', 'unique'],
      ['varchar(64)', 'none'],
      ['tinyint(1)', 'none'],
      ['array<varchar(20)>', 'none'],
    ]);
  });

  it('keeps going when a registry write fails and lists the failure', async () => {
    const base = doris217();
    const internal = base.catalogs['internal'];
    if (!internal) throw new Error('fixture without internal catalog');
    const fake = new FakeMysqlServer({
      ...base,
      catalogs: {
        internal: {
          schemata: internal.schemata,
          // A table name the registry cannot hold (not an identifier).
          tables: [...internal.tables, { ...odsOrders, TABLE_NAME: 'order-items' }],
        },
      },
    });
    const report = await syncMetadata(portal, datasource, {
      connection: fake,
      registerUnknown: true,
    });
    expect(report.errors).toEqual([
      expect.objectContaining({
        qualifiedName: 'ods.order-items',
        operation: 'registerTable',
        code: 'VALIDATION_FAILED',
      }),
    ]);
    expect(report.counts.newlyRegistered).toBe(5);
    // A connection passed in stays open.
    expect(fake.ended).toBe(false);
  });

  it('does not take a registered table whose fields cannot be read for an unregistered one', async () => {
    await portal.registerTable({
      qualifiedName: 'dwd.dwd_user',
      layer: 'DWD',
      datasource: 'doris_prod',
    });
    const flaky: MetadataSyncPortal = {
      listTables: (q) => portal.listTables(q),
      getFields: async (ref) => {
        throw new Error(`storage hiccup reading ${String(ref)}`);
      },
      registerTable: (input) => portal.registerTable(input),
      setFields: (ref, fields) => portal.setFields(ref, fields),
      recordTableSync: (ref, sync) => portal.recordTableSync(ref, sync),
    };
    const report = await syncMetadata(flaky, datasource, {
      connection: new FakeMysqlServer(doris217()),
      registerUnknown: true,
    });
    expect(report.errors).toEqual([
      expect.objectContaining({
        qualifiedName: 'dwd.dwd_user',
        operation: 'getFields',
        code: 'UNKNOWN',
      }),
    ]);
    expect(report.unregistered.map((u) => u.qualifiedName)).not.toContain('dwd.dwd_user');
    expect(report.counts.newlyRegistered).toBe(4);
  });

  it('reports progress through every phase, ending with all writes done', async () => {
    const events: { phase: string; done: number; total: number }[] = [];
    await syncMetadata(portal, datasource, {
      connection: new FakeMysqlServer(doris217()),
      registerUnknown: true,
      onProgress: (p) => events.push({ ...p }),
    });
    const phases = [...new Set(events.map((e) => e.phase))];
    expect(phases).toEqual(['detect', 'databases', 'tables', 'columns', 'partitions', 'write']);
    expect(events.at(-1)).toEqual({ phase: 'write', done: 5, total: 5 });
    for (const e of events) expect(e.done).toBeLessThanOrEqual(e.total);
  });

  it('refuses datasource kinds it cannot read and needs a way to connect', async () => {
    const sqlite: Datasource = { ...datasource, kind: 'sqlite' };
    const e1 = await syncMetadata(portal, sqlite, {
      connection: new FakeMysqlServer(doris217()),
    }).catch((e: unknown) => e);
    expect(isSdkError(e1, 'VALIDATION_FAILED')).toBe(true);
    const e2 = await syncMetadata(portal, datasource, {}).catch((e: unknown) => e);
    expect(isSdkError(e2, 'VALIDATION_FAILED')).toBe(true);
  });

  it('wraps connection failures as SYNC_FAILED without the password', async () => {
    const err = await syncMetadata(portal, datasource, {
      resolvePassword: () => 's3cret',
      connect: async () => {
        throw new Error('connect ECONNREFUSED 10.0.0.1:9030');
      },
    }).catch((e: unknown) => e);
    expect(isSdkError(err, 'SYNC_FAILED')).toBe(true);
    expect(String((err as Error).message)).not.toContain('s3cret');
  });
});
