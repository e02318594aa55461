import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Datasource, PortalService } from '../src/index.js';
import {
  type MetadataSyncReport,
  readWarehouse,
  type SyncMetadataOptions,
  syncMetadata,
} from '../src/metadata/index.js';
import { createTestStore, type TestStore } from '../src/testing/index.js';
import { MYSQL_URL, storeDialects } from './support/dialects.js';

// Runs against the real MariaDB (DATAPORTAL_TEST_MYSQL_URL, default mysql://root@127.0.0.1:3306/test).
// With CI=true an unreachable server fails the suite; otherwise it is skipped with a warning.
// The registry runs on every store dialect (SQLite, and MariaDB itself when reachable).
const dialects = await storeDialects();
const available = dialects.includes('mysql');

const url = new URL(MYSQL_URL);
const suffix = randomBytes(3).toString('hex');

const datasource: Datasource = {
  id: 1,
  name: 'warehouse',
  kind: 'mariadb',
  host: url.hostname,
  port: Number(url.port || 3306),
  user: decodeURIComponent(url.username || 'root'),
  passwordRef: 'env:DP_TEST_WAREHOUSE_PASSWORD',
  version: 1,
  createdAt: new Date(0),
  updatedAt: new Date(0),
};

const connectOptions: Pick<SyncMetadataOptions, 'connect' | 'resolvePassword'> = {
  // The test plays the application: it knows where the password lives.
  resolvePassword: () => decodeURIComponent(url.password),
  connect: async (t) =>
    mysql.createConnection({
      host: t.host,
      port: t.port,
      ...(t.user !== undefined && { user: t.user }),
      ...(t.password !== undefined && { password: t.password }),
    }),
};

for (const dialect of dialects) {
  describe.skipIf(!available)(`metadata sync on MariaDB, registry on ${dialect}`, () => {
    const ods = `dp_sync_${suffix}_${dialect}_ods`;
    const dwd = `dp_sync_${suffix}_${dialect}_dwd`;
    let admin: mysql.Connection;
    let store: TestStore;
    let portal: PortalService;

    const q = (sql: string) => admin.query(sql);
    const sync = (
      options: Omit<SyncMetadataOptions, 'connect'> = {},
    ): Promise<MetadataSyncReport> =>
      syncMetadata(portal, datasource, { databases: [ods, dwd], ...connectOptions, ...options });

    beforeAll(async () => {
      admin = await mysql.createConnection({ uri: MYSQL_URL });
      await q(`CREATE DATABASE \`${ods}\``);
      await q(`CREATE DATABASE \`${dwd}\``);
      await q(
        `CREATE TABLE \`${ods}\`.orders (
         id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
         customer_id INT NOT NULL,
         amount DECIMAL(12,2) NOT NULL DEFAULT 0.00,
         note VARCHAR(200) DEFAULT 'it''s n/a' COMMENT 'free text',
         created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
         KEY idx_customer (customer_id)
       ) ENGINE=InnoDB COMMENT='customer orders'`,
      );
      await q(
        `INSERT INTO \`${ods}\`.orders (customer_id, amount) VALUES (1, 10), (2, 250), (1, 99.5)`,
      );
      await q(
        `CREATE TABLE \`${ods}\`.customers (id INT PRIMARY KEY, email VARCHAR(100) NOT NULL UNIQUE, vip TINYINT(1) NOT NULL DEFAULT 0)`,
      );
      await q(`INSERT INTO \`${ods}\`.customers (id, email) VALUES (1, 'a@x'), (2, 'b@x')`);
      await q(
        `CREATE TABLE \`${ods}\`.events (id INT NOT NULL, d DATE NOT NULL)
       PARTITION BY RANGE (YEAR(d)) (PARTITION p2023 VALUES LESS THAN (2024), PARTITION pmax VALUES LESS THAN MAXVALUE)`,
      );
      await q(
        `CREATE VIEW \`${ods}\`.v_big_orders AS SELECT id, amount FROM \`${ods}\`.orders WHERE amount > 100`,
      );
      await q(
        `CREATE TABLE \`${dwd}\`.dwd_order_detail (order_id BIGINT, sku VARCHAR(40), qty INT)`,
      );
      await q(`CREATE TABLE \`${dwd}\`.dim_date (d DATE PRIMARY KEY, y SMALLINT)`);

      store = await createTestStore({ dialect, serverUrl: MYSQL_URL });
      portal = new PortalService({ store });
      await portal.registerTable({
        qualifiedName: `${ods}.orders`,
        layer: 'ODS',
        datasource: 'warehouse',
        fields: [
          { name: 'id', type: 'bigint' },
          { name: 'amount', type: 'decimal(10,2)' },
          { name: 'legacy_code', type: 'varchar(10)' },
        ],
      });
      await portal.registerTable({
        qualifiedName: `${ods}.gone_table`,
        layer: 'ODS',
        datasource: 'warehouse',
      });
      await portal.registerTable({
        qualifiedName: 'other_db.t1',
        layer: 'ODS',
        datasource: 'warehouse',
      });
      // Registered without a datasource: the sync adopts it because the warehouse has it.
      await portal.registerTable({
        qualifiedName: `${dwd}.dim_date`,
        layer: 'DIM',
        fields: [
          { name: 'd', type: 'date' },
          { name: 'y', type: 'smallint' },
        ],
      });
    });

    afterAll(async () => {
      if (admin) {
        await q(`DROP DATABASE IF EXISTS \`${ods}\``);
        await q(`DROP DATABASE IF EXISTS \`${dwd}\``);
        await admin.end();
      }
      await store?.drop();
    });

    it('reads tables, views, columns and partitions with MariaDB quirks normalised', async () => {
      const s = await readWarehouse(admin, { databases: [ods] });
      expect(s.server.kind).toBe('mariadb');
      expect(s.tables.map((t) => [t.name, t.kind])).toEqual([
        ['customers', 'table'],
        ['events', 'table'],
        ['orders', 'table'],
        ['v_big_orders', 'view'],
      ]);
      const orders = s.tables.find((t) => t.name === 'orders');
      expect(orders).toMatchObject({
        engine: 'InnoDB',
        comment: 'customer orders',
        dataSizeIncludesReplicas: false,
      });
      expect(
        orders?.columns.map((c) => [
          c.name,
          c.columnType,
          c.portableType,
          c.key,
          c.nullable,
          c.defaultValue,
        ]),
      ).toEqual([
        ['id', 'bigint(20)', 'bigint', 'primary', false, null],
        ['customer_id', 'int(11)', 'int', 'index', false, null],
        ['amount', 'decimal(12,2)', 'decimal(12,2)', 'none', false, '0.00'],
        // MariaDB returns 'it''s n/a' quoted; the snapshot holds the value.
        ['note', 'varchar(200)', 'varchar(200)', 'none', true, "it's n/a"],
        ['created_at', 'datetime', 'datetime', 'none', false, 'current_timestamp()'],
      ]);
      expect(orders?.columns[3]?.comment).toBe('free text');
      expect(orders?.columns[0]?.extra).toBe('auto_increment');
      expect(orders?.partitions).toEqual([]);
      const events = s.tables.find((t) => t.name === 'events');
      expect(events?.partitions?.map((p) => [p.name, p.method, p.description])).toEqual([
        ['p2023', 'RANGE', '2024'],
        ['pmax', 'RANGE', 'MAXVALUE'],
      ]);
      expect(s.tables.find((t) => t.name === 'v_big_orders')).toMatchObject({
        rowCount: null,
        partitions: null,
      });
      const customers = s.tables.find((t) => t.name === 'customers');
      expect(
        customers?.columns.map((c) => [c.name, c.key, c.portableType, c.defaultValue]),
      ).toEqual([
        ['id', 'primary', 'int', null],
        ['email', 'unique', 'varchar(100)', null],
        ['vip', 'none', 'boolean', '0'],
      ]);
    });

    it('gives the same instants whatever the session time zone and mysql2 date options', async () => {
      const read = async (zone: string, options: mysql.ConnectionOptions) => {
        const c = await mysql.createConnection({ uri: MYSQL_URL, ...options });
        try {
          await c.query(`SET time_zone = '${zone}'`);
          const s = await readWarehouse(c, { tables: [`${ods}.orders`], partitions: 'none' });
          return s.tables[0]?.createdAt ?? null;
        } finally {
          await c.end();
        }
      };
      const utc = await read('+00:00', {});
      const east = await read('+05:00', { timezone: '+09:00' });
      const west = await read('-07:00', { dateStrings: true });
      expect(utc).toBeInstanceOf(Date);
      expect(east).toEqual(utc);
      expect(west).toEqual(utc);
      // The table was created by this suite a moment ago.
      expect(Math.abs((utc?.getTime() ?? 0) - Date.now())).toBeLessThan(10 * 60 * 1000);
    });

    it('first sync: records stats, reports drift, adopts and registers tables', async () => {
      const report = await sync({ registerUnknown: true, exactCounts: true });
      // detect, schemata, tables, columns, partitions (both databases in one IN list), one
      // COUNT(*) batch per database.
      expect(report.queries).toBe(7);
      expect(report.tables.map((t) => [t.qualifiedName, t.status])).toEqual([
        [`${dwd}.dim_date`, 'in-sync'],
        [`${ods}.gone_table`, 'missing'],
        [`${ods}.orders`, 'drifted'],
      ]);
      expect(report.tables[2]).toMatchObject({
        columnsAdded: ['customer_id', 'note', 'created_at'],
        columnsRemoved: ['legacy_code'],
        typeChanged: [{ name: 'amount', from: 'decimal(10,2)', to: 'decimal(12,2)' }],
        missingInWarehouse: false,
      });
      expect(report.unregistered.map((u) => [u.qualifiedName, u.kind, u.registeredLayer])).toEqual([
        [`${dwd}.dwd_order_detail`, 'table', 'DWD'],
        [`${ods}.customers`, 'table', 'ODS'],
        [`${ods}.events`, 'table', 'ODS'],
        [`${ods}.v_big_orders`, 'view', 'ODS'],
      ]);
      expect(report.counts).toMatchObject({
        registered: 3,
        newlyRegistered: 4,
        statsRecorded: 7,
        missing: 1,
      });
      expect(report.errors).toEqual([]);

      const orders = await portal.getTable(`${ods}.orders`);
      expect(orders.stats.rowCount).toBe(3);
      expect(orders.stats.dataSize).toBeGreaterThan(0);
      // InnoDB keeps UPDATE_TIME in memory after the INSERTs above.
      expect(Math.abs((orders.stats.lastModified?.getTime() ?? 0) - Date.now())).toBeLessThan(
        10 * 60 * 1000,
      );
      expect(orders.stats.drift?.typeChanged).toEqual([
        { name: 'amount', from: 'decimal(10,2)', to: 'decimal(12,2)' },
      ]);
      const fields = await portal.getFields(`${ods}.orders`);
      expect(
        fields.map((f) => [
          f.name,
          f.type,
          f.key,
          f.nullable,
          f.defaultValue ?? null,
          f.description ?? null,
        ]),
      ).toEqual([
        ['id', 'bigint(20)', 'primary', false, null, null],
        ['customer_id', 'int(11)', 'index', false, null, null],
        ['amount', 'decimal(12,2)', 'none', false, '0.00', null],
        ['note', 'varchar(200)', 'none', true, "it's n/a", 'free text'],
        ['created_at', 'datetime', 'none', false, 'current_timestamp()', null],
      ]);
      expect((await portal.getTable(`${ods}.customers`)).stats.rowCount).toBe(2);
      expect(await portal.getTable(`${ods}.customers`)).toMatchObject({
        status: 'draft',
        layer: 'ODS',
        datasource: 'warehouse',
      });
      expect(await portal.getTable(`${dwd}.dwd_order_detail`)).toMatchObject({
        status: 'draft',
        layer: 'DWD',
      });
      const dim = await portal.getTable(`${dwd}.dim_date`);
      expect(dim.stats.syncedAt).not.toBeNull();
      expect(dim.stats.drift).toBeNull();
      // Outside the synced databases: untouched, not reported missing.
      expect((await portal.getTable('other_db.t1')).stats.syncedAt).toBeNull();
      expect(report.missingInWarehouse).toEqual([`${ods}.gone_table`]);
    });

    it('second sync after ALTER and DROP: reports the changes and updates the registry', async () => {
      await q(
        `ALTER TABLE \`${ods}\`.orders ADD COLUMN status VARCHAR(20) NOT NULL DEFAULT 'new', DROP COLUMN note, MODIFY amount DECIMAL(14,2) NOT NULL DEFAULT 0.00`,
      );
      await q(`DROP TABLE \`${ods}\`.customers`);

      const report = await sync();
      expect(report.queries).toBe(5);
      const status = Object.fromEntries(report.tables.map((t) => [t.qualifiedName, t.status]));
      expect(status).toEqual({
        [`${dwd}.dim_date`]: 'in-sync',
        [`${dwd}.dwd_order_detail`]: 'in-sync',
        [`${ods}.customers`]: 'missing',
        [`${ods}.events`]: 'in-sync',
        [`${ods}.gone_table`]: 'missing',
        [`${ods}.orders`]: 'drifted',
        // The view's column follows the retyped base column.
        [`${ods}.v_big_orders`]: 'drifted',
      });
      expect(
        report.tables.find((t) => t.qualifiedName === `${ods}.v_big_orders`)?.typeChanged,
      ).toEqual([{ name: 'amount', from: 'decimal(12,2)', to: 'decimal(14,2)' }]);
      expect(report.tables.find((t) => t.qualifiedName === `${ods}.orders`)).toMatchObject({
        columnsAdded: ['status'],
        columnsRemoved: ['note'],
        typeChanged: [{ name: 'amount', from: 'decimal(12,2)', to: 'decimal(14,2)' }],
      });
      expect(report.missingInWarehouse).toEqual([`${ods}.customers`, `${ods}.gone_table`]);
      expect(report.unregistered).toEqual([]);
      expect(report.counts).toMatchObject({ drifted: 2, missing: 2, inSync: 3, fieldsUpdated: 2 });

      expect((await portal.getFields(`${ods}.orders`)).map((f) => [f.name, f.type])).toEqual([
        ['id', 'bigint(20)'],
        ['customer_id', 'int(11)'],
        ['amount', 'decimal(14,2)'],
        ['created_at', 'datetime'],
        ['status', 'varchar(20)'],
      ]);
      const customers = await portal.getTable(`${ods}.customers`);
      expect(customers.stats.drift).toMatchObject({ missingInWarehouse: true });
      // A dropped table keeps its last known stats.
      expect(customers.stats.rowCount).toBe(2);
    });

    it('third sync: in sync again, and statements do not grow with tables', async () => {
      for (let i = 0; i < 20; i++) {
        await q(`CREATE TABLE \`${dwd}\`.t_${i} (id INT PRIMARY KEY, v VARCHAR(10))`);
      }
      const report = await sync();
      expect(report.queries).toBe(5);
      expect(report.tables.find((t) => t.qualifiedName === `${ods}.orders`)?.status).toBe(
        'in-sync',
      );
      expect(report.counts).toMatchObject({ drifted: 0, fieldsUpdated: 0, unregistered: 20 });
      expect((await portal.getTable(`${ods}.orders`)).stats.drift).toBeNull();
    });

    it('syncs single tables without touching the rest of the registry', async () => {
      const report = await sync({ databases: [], tables: [`${ods}.orders`] });
      expect(report.tables.map((t) => t.qualifiedName)).toEqual([`${ods}.orders`]);
      expect(report.missingInWarehouse).toEqual([]);
      expect(report.unregistered).toEqual([]);
    });
  });
}
