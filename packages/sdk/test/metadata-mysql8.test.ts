import { describe, expect, it } from 'vitest';
import {
  readWarehouse,
  type WarehouseSnapshot,
  type WarehouseTable,
} from '../src/metadata/index.js';
import { FakeMysqlServer, type FakeServerConfig, type FakeTable } from './metadata-fake-server.js';

// MySQL 8 labels unaliased information_schema columns in upper case whatever case the query
// used, reports COLUMN_TYPE without integer display widths, caches statistics for a day
// (information_schema_stats_expiry), and lists unpartitioned tables in PARTITIONS with a NULL name.

const orders: FakeTable = {
  TABLE_SCHEMA: 'shop',
  TABLE_NAME: 'orders',
  ENGINE: 'InnoDB',
  TABLE_ROWS: 1042,
  DATA_LENGTH: 180_224,
  CREATE_TIME: '2024-05-01 08:00:00',
  UPDATE_TIME: '2024-05-02 09:30:00',
  TABLE_COMMENT: 'customer orders',
  columns: [
    {
      COLUMN_NAME: 'id',
      DATA_TYPE: 'bigint',
      COLUMN_TYPE: 'bigint unsigned',
      IS_NULLABLE: 'NO',
      COLUMN_KEY: 'PRI',
      EXTRA: 'auto_increment',
    },
    {
      COLUMN_NAME: 'customer_id',
      DATA_TYPE: 'int',
      COLUMN_TYPE: 'int',
      IS_NULLABLE: 'NO',
      COLUMN_KEY: 'MUL',
    },
    { COLUMN_NAME: 'code', DATA_TYPE: 'varchar', COLUMN_TYPE: 'varchar(32)', COLUMN_KEY: 'UNI' },
    {
      COLUMN_NAME: 'amount',
      DATA_TYPE: 'decimal',
      COLUMN_TYPE: 'decimal(10,2)',
      COLUMN_DEFAULT: '0.00',
    },
    { COLUMN_NAME: 'paid', DATA_TYPE: 'tinyint', COLUMN_TYPE: 'tinyint(1)', COLUMN_DEFAULT: '0' },
    {
      COLUMN_NAME: 'note',
      DATA_TYPE: 'varchar',
      COLUMN_TYPE: 'varchar(200)',
      COLUMN_DEFAULT: 'n/a',
      COLUMN_COMMENT: 'free text',
    },
    {
      COLUMN_NAME: 'created_at',
      DATA_TYPE: 'timestamp',
      COLUMN_TYPE: 'timestamp',
      COLUMN_DEFAULT: 'CURRENT_TIMESTAMP',
      EXTRA: 'DEFAULT_GENERATED',
    },
  ],
};

const events: FakeTable = {
  TABLE_SCHEMA: 'logs',
  TABLE_NAME: 'events',
  ENGINE: 'InnoDB',
  TABLE_ROWS: 10,
  DATA_LENGTH: 32768,
  CREATE_TIME: '2024-05-01 08:00:00',
  UPDATE_TIME: null,
  columns: [{ COLUMN_NAME: 'd', DATA_TYPE: 'date', COLUMN_TYPE: 'date' }],
  partitions: [
    {
      PARTITION_NAME: 'p2023',
      PARTITION_METHOD: 'RANGE',
      PARTITION_EXPRESSION: 'year(`d`)',
      PARTITION_DESCRIPTION: '2024',
      TABLE_ROWS: 4,
      DATA_LENGTH: 16384,
      UPDATE_TIME: null,
    },
    {
      PARTITION_NAME: 'pmax',
      PARTITION_METHOD: 'RANGE',
      PARTITION_EXPRESSION: 'year(`d`)',
      PARTITION_DESCRIPTION: 'MAXVALUE',
      TABLE_ROWS: 6,
      DATA_LENGTH: 16384,
      UPDATE_TIME: null,
    },
  ],
};

const view: FakeTable = {
  TABLE_SCHEMA: 'shop',
  TABLE_NAME: 'v_paid',
  TABLE_TYPE: 'VIEW',
  ENGINE: null,
  TABLE_ROWS: null,
  DATA_LENGTH: null,
  CREATE_TIME: '2024-05-01 08:00:00',
  TABLE_COMMENT: 'VIEW',
  columns: [
    { COLUMN_NAME: 'id', DATA_TYPE: 'bigint', COLUMN_TYPE: 'bigint unsigned', IS_NULLABLE: 'NO' },
  ],
};

function mysql8(overrides: Partial<FakeServerConfig> = {}): FakeServerConfig {
  return {
    flavour: 'mysql8',
    version: '8.0.36',
    versionComment: 'MySQL Community Server - GPL',
    utcOffsetSeconds: -5 * 3600,
    catalogs: {
      internal: {
        schemata: [
          'mysql',
          'information_schema',
          'performance_schema',
          'sys',
          'shop',
          'logs',
          'crm',
        ],
        tables: [orders, view, events],
      },
    },
    ...overrides,
  };
}

function table(s: WarehouseSnapshot, qn: string): WarehouseTable {
  const t = s.tables.find((x) => x.qualifiedName === qn);
  if (!t) throw new Error(`no ${qn}`);
  return t;
}

describe('readWarehouse on MySQL 8', () => {
  it('faces upper-case labels for unaliased columns (the recorded behaviour)', async () => {
    const fake = new FakeMysqlServer(mysql8());
    const [rows] = await fake.query(
      'SELECT table_name, table_rows FROM information_schema.tables WHERE TABLE_SCHEMA = ?',
      ['shop'],
    );
    expect(Object.keys((rows as object[])[0] ?? {})).toEqual(['TABLE_NAME', 'TABLE_ROWS']);
  });

  it('reads every value through lower-case aliases', async () => {
    const s = await readWarehouse(new FakeMysqlServer(mysql8()));
    expect(s.server).toMatchObject({ kind: 'mysql', version: '8.0.36' });
    expect(table(s, 'shop.orders')).toMatchObject({
      database: 'shop',
      name: 'orders',
      kind: 'table',
      engine: 'InnoDB',
      rowCount: 1042,
      dataSize: 180_224,
      comment: 'customer orders',
      dataSizeIncludesReplicas: false,
    });
    expect(
      table(s, 'shop.orders').columns.map((c) => [c.name, c.ordinal, c.key, c.portableType]),
    ).toEqual([
      ['id', 1, 'primary', 'bigint unsigned'],
      ['customer_id', 2, 'index', 'int'],
      ['code', 3, 'unique', 'varchar(32)'],
      ['amount', 4, 'none', 'decimal(10,2)'],
      ['paid', 5, 'none', 'boolean'],
      ['note', 6, 'none', 'varchar(200)'],
      ['created_at', 7, 'none', 'timestamp'],
    ]);
    const note = table(s, 'shop.orders').columns[5];
    expect(note).toMatchObject({ defaultValue: 'n/a', comment: 'free text', nullable: true });
    expect(table(s, 'shop.orders').columns[0]).toMatchObject({
      nullable: false,
      extra: 'auto_increment',
    });
  });

  it('converts times with the server session zone (-05:00 here)', async () => {
    const s = await readWarehouse(new FakeMysqlServer(mysql8()));
    expect(table(s, 'shop.orders').createdAt?.toISOString()).toBe('2024-05-01T13:00:00.000Z');
    expect(table(s, 'shop.orders').updatedAt?.toISOString()).toBe('2024-05-02T14:30:00.000Z');
  });

  it('disables the statistics cache first, unless told not to', async () => {
    const fake = new FakeMysqlServer(mysql8());
    await readWarehouse(fake);
    expect(fake.log[1]?.sql).toBe('SET SESSION information_schema_stats_expiry = 0');
    const quiet = new FakeMysqlServer(mysql8());
    await readWarehouse(quiet, { freshStats: false });
    expect(quiet.log.some((l) => l.sql.startsWith('SET'))).toBe(false);
    const old = new FakeMysqlServer(mysql8({ version: '5.7.44-log' }));
    await readWarehouse(old);
    expect(old.log.some((l) => l.sql.startsWith('SET'))).toBe(false);
  });

  it('batches databases in IN lists, so statements do not grow with tables', async () => {
    const fake = new FakeMysqlServer(mysql8());
    const s = await readWarehouse(fake);
    expect(s.databases).toEqual(['crm', 'logs', 'shop']);
    // detect, SET, schemata, then tables, columns, partitions for all three databases at once.
    expect(s.queries).toBe(6);
    const tables = fake.log.find((l) => l.sql.includes('information_schema.tables'));
    expect(tables?.sql).toContain('TABLE_SCHEMA IN (?, ?, ?)');
    expect(tables?.params).toEqual(['crm', 'logs', 'shop']);

    const many = new FakeMysqlServer(
      mysql8({
        catalogs: {
          internal: {
            schemata: ['shop', 'logs', 'crm'],
            tables: [
              orders,
              view,
              events,
              ...Array.from({ length: 50 }, (_, i) => ({ ...orders, TABLE_NAME: `orders_${i}` })),
            ],
          },
        },
      }),
    );
    expect((await readWarehouse(many)).queries).toBe(6);
    const batched = new FakeMysqlServer(mysql8());
    expect((await readWarehouse(batched, { batchSize: 2 })).queries).toBe(9);
  });

  it('keeps views apart and lists partitions, ignoring the NULL-name row of unpartitioned tables', async () => {
    const s = await readWarehouse(new FakeMysqlServer(mysql8()));
    expect(table(s, 'shop.v_paid')).toMatchObject({
      kind: 'view',
      comment: null,
      rowCount: null,
      partitions: null,
    });
    expect(table(s, 'shop.orders').partitions).toEqual([]);
    expect(
      table(s, 'logs.events').partitions?.map((p) => [p.name, p.method, p.description, p.rowCount]),
    ).toEqual([
      ['p2023', 'RANGE', '2024', 4],
      ['pmax', 'RANGE', 'MAXVALUE', 6],
    ]);
    expect(s.partitionsSource).toBe('information_schema');
  });

  it('reports requested databases the server does not have', async () => {
    const s = await readWarehouse(new FakeMysqlServer(mysql8()), { databases: ['SHOP', 'nope'] });
    expect(s.databases).toEqual(['shop']);
    expect(s.missingDatabases).toEqual(['nope']);
    expect(s.tables.map((t) => t.qualifiedName)).toEqual(['shop.orders', 'shop.v_paid']);
  });
});
