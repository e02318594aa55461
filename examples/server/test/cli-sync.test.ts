import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, PortalService } from '@dataportal/sdk';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProgram } from '../src/cli-program';
import { MYSQL_URL, storeDialects } from './support/dialects';

const withMysql = (await storeDialects()).includes('mysql');

// `dataportal sync` against the real MariaDB: a registered table whose columns drifted, and an
// unregistered one that the sync registers as a draft.
describe.runIf(withMysql)('dataportal sync <datasource>', () => {
  const schema = `dp_cli_${randomBytes(4).toString('hex')}`;
  const dir = mkdtempSync(join(tmpdir(), 'dp-cli-sync-'));
  let admin: mysql.Connection;
  const saved = { ...process.env };

  beforeAll(async () => {
    admin = await mysql.createConnection({ uri: MYSQL_URL });
    await admin.query(`CREATE DATABASE \`${schema}\``);
    await admin.query(
      `CREATE TABLE \`${schema}\`.ods_orders (id BIGINT PRIMARY KEY, amount DECIMAL(12,2), status VARCHAR(16))`,
    );
    await admin.query(`CREATE TABLE \`${schema}\`.dim_city (id INT, name VARCHAR(64))`);
    process.env['DATAPORTAL_DATA_DIR'] = dir;
    delete process.env['DATAPORTAL_DATABASE_URL'];
    const store = await openStore({ url: `sqlite:${join(dir, 'portal.db')}`, migrate: true });
    const portal = new PortalService({ store });
    const u = new URL(MYSQL_URL);
    await portal.createDatasource({
      name: 'wh',
      kind: 'mariadb',
      host: u.hostname,
      port: Number(u.port || 3306),
      user: decodeURIComponent(u.username || 'root'),
    });
    await portal.registerTable({
      qualifiedName: `${schema}.ods_orders`,
      layer: 'ODS',
      datasource: 'wh',
      fields: [
        { name: 'id', type: 'bigint' },
        { name: 'amount', type: 'decimal(10,2)' },
        { name: 'note', type: 'varchar(64)' },
      ],
    });
    await store.close();
  });

  afterAll(async () => {
    process.env = saved;
    await admin?.query(`DROP DATABASE IF EXISTS \`${schema}\``);
    await admin?.end();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the drift report and writes the registry', async () => {
    let out = '';
    let err = '';
    const program = createProgram({
      out: (t) => (out += t),
      err: (t) => (err += t),
      interactive: false,
    });
    program.exitOverride();
    await program.parseAsync([
      'node',
      'dataportal',
      'sync',
      'wh',
      '--databases',
      schema,
      '--register-unknown',
    ]);
    expect(out).toMatch(/2 warehouse table\(s\), 1 registered, 0 in sync, 1 drifted/);
    expect(out).toContain(
      `${schema}.ods_orders: drifted (added status; removed note; amount: decimal(10,2) -> decimal(12,2))`,
    );
    expect(err).toContain('write');
    const store = await openStore({ url: `sqlite:${join(dir, 'portal.db')}` });
    try {
      const portal = new PortalService({ store });
      const fields = await portal.getFields(`${schema}.ods_orders`);
      expect(fields.map((f) => f.name)).toEqual(['id', 'amount', 'status']);
      const city = await portal.getTable(`${schema}.dim_city`);
      expect(city).toMatchObject({ status: 'draft', layer: 'DIM' });
    } finally {
      await store.close();
    }
  });
});
