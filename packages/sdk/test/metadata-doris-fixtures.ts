import type { FakeServerConfig, FakeTable } from './metadata-fake-server.js';

// Doris result sets recorded from the reference (shared/reference/doris.md): VERSION() is a
// fixed 5.7.99 with the real version in @@version_comment; COLUMN_KEY carries the key model
// (DUP/UNI/AGG) on key columns only; COLUMN_TYPE spells decimalv3(p, s), int(11), largeint,
// string; COLUMN_DEFAULT is NULL; external tables report -1 rows, 0 bytes and 0 create time;
// SHOW PARTITIONS prints DataSize human-readable and VisibleVersionTime FE-local (+08:00 here).

const SHOW_PARTITION_COLUMNS = {
  VisibleVersion: 3,
  State: 'NORMAL',
  DistributionKey: 'order_id',
  Buckets: 10,
  ReplicationNum: 3,
  StorageMedium: 'HDD',
  CooldownTime: '9999-12-31 23:59:59',
  RemoteStoragePolicy: '',
  LastConsistencyCheckTime: 'NULL',
  IsInMemory: false,
  ReplicaAllocation: 'tag.location.default: 3',
  IsMutable: true,
  SyncWithBaseTables: true,
  UnsyncTables: 'NULL',
  CommittedVersion: 3,
};

export const odsOrders: FakeTable = {
  TABLE_SCHEMA: 'ods',
  TABLE_NAME: 'ods_orders',
  ENGINE: 'Doris',
  TABLE_ROWS: 120000,
  DATA_LENGTH: 3 * 1_293_942,
  CREATE_TIME: '2024-03-01 10:00:00',
  UPDATE_TIME: '2024-03-02 10:00:05',
  TABLE_COMMENT: 'orders from the shop',
  exactRows: 119_998,
  columns: [
    {
      COLUMN_NAME: 'order_id',
      DATA_TYPE: 'bigint',
      COLUMN_TYPE: 'bigint(20)',
      IS_NULLABLE: 'NO',
      COLUMN_KEY: 'DUP',
    },
    {
      COLUMN_NAME: 'dt',
      DATA_TYPE: 'date',
      COLUMN_TYPE: 'date',
      IS_NULLABLE: 'NO',
      COLUMN_KEY: 'DUP',
    },
    {
      COLUMN_NAME: 'amount',
      DATA_TYPE: 'decimal',
      COLUMN_TYPE: 'decimalv3(18, 4)',
      COLUMN_COMMENT: 'order amount',
    },
    { COLUMN_NAME: 'big_id', DATA_TYPE: 'bigint unsigned', COLUMN_TYPE: 'largeint' },
    { COLUMN_NAME: 'payload', DATA_TYPE: 'varchar', COLUMN_TYPE: 'string' },
    { COLUMN_NAME: 'created', DATA_TYPE: 'datetime', COLUMN_TYPE: 'datetime(3)' },
  ],
  showPartitions: [
    {
      PartitionId: 10101,
      PartitionName: 'p20240301',
      VisibleVersionTime: '2024-03-01 23:00:00',
      PartitionKey: 'dt',
      Range: '[types: [DATEV2]; keys: [2024-03-01]; ..types: [DATEV2]; keys: [2024-03-02]; )',
      DataSize: '1.234 MB',
      RowCount: 60000,
      ...SHOW_PARTITION_COLUMNS,
    },
    {
      PartitionId: 10102,
      PartitionName: 'p20240302',
      VisibleVersionTime: '2024-03-02 10:00:05',
      PartitionKey: 'dt',
      Range: '[types: [DATEV2]; keys: [2024-03-02]; ..types: [DATEV2]; keys: [2024-03-03]; )',
      DataSize: '0.000 ',
      RowCount: 0,
      ...SHOW_PARTITION_COLUMNS,
    },
  ],
};

export const dwdUser: FakeTable = {
  TABLE_SCHEMA: 'dwd',
  TABLE_NAME: 'dwd_user',
  ENGINE: 'Doris',
  TABLE_ROWS: 5000,
  DATA_LENGTH: 3 * 20480,
  CREATE_TIME: '2024-02-01 09:00:00',
  UPDATE_TIME: '2024-03-02 01:00:00',
  columns: [
    {
      COLUMN_NAME: 'user_id',
      DATA_TYPE: 'bigint',
      COLUMN_TYPE: 'bigint(20)',
      IS_NULLABLE: 'NO',
      COLUMN_KEY: 'UNI',
    },
    { COLUMN_NAME: 'name', DATA_TYPE: 'varchar', COLUMN_TYPE: 'varchar(64)' },
    { COLUMN_NAME: 'is_vip', DATA_TYPE: 'tinyint', COLUMN_TYPE: 'tinyint(1)' },
    { COLUMN_NAME: 'tags', DATA_TYPE: 'array', COLUMN_TYPE: 'array<varchar(20)>' },
  ],
  // Unpartitioned: one partition named after the table, no partition key (2.0: no RowCount).
  showPartitions: [
    {
      PartitionId: 20201,
      PartitionName: 'dwd_user',
      VisibleVersionTime: '2024-03-02 01:00:00',
      PartitionKey: '',
      Range: '',
      DataSize: '60.000 KB',
      ...SHOW_PARTITION_COLUMNS,
    },
  ],
};

export const dwsSales: FakeTable = {
  TABLE_SCHEMA: 'dwd',
  TABLE_NAME: 'dws_sales_agg',
  ENGINE: 'Doris',
  TABLE_ROWS: 365,
  DATA_LENGTH: 3 * 4096,
  CREATE_TIME: '2024-01-15 12:00:00',
  UPDATE_TIME: '2024-03-02 02:00:00',
  columns: [
    {
      COLUMN_NAME: 'dt',
      DATA_TYPE: 'date',
      COLUMN_TYPE: 'date',
      IS_NULLABLE: 'NO',
      COLUMN_KEY: 'AGG',
    },
    {
      COLUMN_NAME: 'region',
      DATA_TYPE: 'varchar',
      COLUMN_TYPE: 'varchar(32)',
      IS_NULLABLE: 'NO',
      COLUMN_KEY: 'AGG',
    },
    {
      COLUMN_NAME: 'total',
      DATA_TYPE: 'decimal',
      COLUMN_TYPE: 'decimalv3(27, 9)',
      IS_NULLABLE: 'NO',
    },
    { COLUMN_NAME: 'uv', DATA_TYPE: 'bitmap', COLUMN_TYPE: 'bitmap', IS_NULLABLE: 'NO' },
  ],
  showPartitions: [
    {
      PartitionId: 30301,
      PartitionName: 'p2024',
      VisibleVersionTime: '2024-03-02 02:00:00',
      PartitionKey: 'dt',
      Range: '[types: [DATEV2]; keys: [2024-01-01]; ..types: [DATEV2]; keys: [2025-01-01]; )',
      DataSize: '12.000 KB',
      RowCount: 365,
      ...SHOW_PARTITION_COLUMNS,
    },
  ],
};

/** An old-style external (MySQL ODBC) table in the internal catalog: -1 rows, 0 bytes, epoch 0. */
export const odsExternal: FakeTable = {
  TABLE_SCHEMA: 'ods',
  TABLE_NAME: 'ext_crm_contacts',
  ENGINE: 'MySQL',
  TABLE_ROWS: -1,
  DATA_LENGTH: 0,
  CREATE_TIME: '1970-01-01 08:00:00',
  UPDATE_TIME: '2024-03-02 11:11:11',
  columns: [
    { COLUMN_NAME: 'id', DATA_TYPE: 'int', COLUMN_TYPE: 'int(11)' },
    { COLUMN_NAME: 'email', DATA_TYPE: 'varchar', COLUMN_TYPE: 'varchar(255)' },
  ],
};

export const odsView: FakeTable = {
  TABLE_SCHEMA: 'ods',
  TABLE_NAME: 'v_recent_orders',
  TABLE_TYPE: 'VIEW',
  ENGINE: 'View',
  TABLE_ROWS: 0,
  DATA_LENGTH: 0,
  CREATE_TIME: '2024-03-01 10:30:00',
  UPDATE_TIME: null,
  columns: [
    { COLUMN_NAME: 'order_id', DATA_TYPE: 'bigint', COLUMN_TYPE: 'bigint(20)' },
    { COLUMN_NAME: 'amount', DATA_TYPE: 'decimal', COLUMN_TYPE: 'decimalv3(18, 4)' },
  ],
};

const hiveOrders: FakeTable = {
  TABLE_SCHEMA: 'sales',
  TABLE_NAME: 'orders',
  ENGINE: 'hms',
  TABLE_ROWS: -1,
  DATA_LENGTH: 0,
  CREATE_TIME: 0,
  UPDATE_TIME: '2024-03-02 12:00:00',
  columns: [
    { COLUMN_NAME: 'id', DATA_TYPE: 'bigint', COLUMN_TYPE: 'bigint(20)' },
    { COLUMN_NAME: 'ds', DATA_TYPE: 'varchar', COLUMN_TYPE: 'string' },
  ],
};

/** A Doris 2.1.7 front end at +08:00: information_schema.partitions is empty. */
export function doris217(overrides: Partial<FakeServerConfig> = {}): FakeServerConfig {
  return {
    flavour: 'doris',
    version: '5.7.99',
    versionComment: 'Doris version doris-2.1.7-rc01-443e87e203',
    utcOffsetSeconds: 8 * 3600,
    dorisPartitions: 'empty',
    catalogs: {
      internal: {
        schemata: ['information_schema', 'mysql', '__internal_schema', 'ods', 'dwd'],
        tables: [odsOrders, odsExternal, odsView, dwdUser, dwsSales],
      },
      hive: { schemata: ['information_schema', 'sales'], tables: [hiveOrders] },
    },
    ...overrides,
  };
}
