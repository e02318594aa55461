import { createSecretBox, getSecret, parseSecretKey } from '@dataportal/sdk';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MYSQL_URL, storeDialects } from './support/dialects';
import { createHarness, type Harness } from './support/harness';

const dialects = await storeDialects();
// The sync reads a real MySQL-protocol warehouse: the MariaDB server the MySQL store tests use.
const warehouseReachable = dialects.includes('mysql');

describe.each(dialects)('datasources on %s', (dialect) => {
  let h: Harness;
  const db = `dp_wh_${Math.random().toString(16).slice(2, 10)}`;
  beforeAll(async () => {
    h = await createHarness(dialect, { app: { resolvePassword: () => undefined } });
  });
  afterAll(async () => {
    await h?.close();
    if (warehouseReachable) {
      const c = await mysql.createConnection({ uri: MYSQL_URL });
      await c.query(`DROP DATABASE IF EXISTS \`${db}\``);
      await c.end();
    }
  });

  it('registers, reads, lists, updates and deletes a datasource', async () => {
    const u = new URL(MYSQL_URL);
    const created = await h.call({
      method: 'POST',
      url: '/api/v1/datasources',
      payload: {
        name: 'warehouse',
        kind: 'mariadb',
        host: u.hostname,
        port: Number(u.port || 3306),
        user: decodeURIComponent(u.username),
        password_ref: 'secret:dp-test-none',
        dolphin_datasource: 'warehouse',
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'warehouse',
      kind: 'mariadb',
      password_ref: 'secret:dp-test-none',
    });
    expect(JSON.stringify(created.body)).not.toContain('password"');
    const byName = await h.call({ method: 'GET', url: '/api/v1/datasources/warehouse' });
    expect(byName.body.id).toBe(created.body.id);
    const list = await h.call({ method: 'GET', url: '/api/v1/datasources' });
    expect(list.body.items).toHaveLength(1);
    const bad = await h.call({
      method: 'POST',
      url: '/api/v1/datasources',
      payload: { name: 'x', kind: 'mysql', password_ref: 'plaintext' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details.issues[0].field).toBe('password_ref');
    const tmp = await h.call({
      method: 'POST',
      url: '/api/v1/datasources',
      payload: { name: 'tmp', kind: 'sqlite', path: ':memory:' },
    });
    expect(
      (await h.call({ method: 'DELETE', url: `/api/v1/datasources/${tmp.body.id}` })).status,
    ).toBe(204);
    expect((await h.call({ method: 'GET', url: '/api/v1/datasources/tmp' })).status).toBe(404);
  });

  // The attack: password_ref env:DOLPHIN_TOKEN on a datasource pointing at the caller's own
  // MySQL listener; a sync would log in there with the server's DolphinScheduler token.
  it('refuses a password_ref outside the allow-list with 422', async () => {
    const r = await h.call({
      method: 'POST',
      url: '/api/v1/datasources',
      payload: {
        name: 'trap',
        kind: 'mysql',
        host: '127.0.0.1',
        port: 3307,
        password_ref: 'env:DOLPHIN_TOKEN',
      },
    });
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('SECRET_REF_NOT_ALLOWED');
    expect((await h.call({ method: 'GET', url: '/api/v1/datasources/trap' })).status).toBe(404);
  });

  it.runIf(warehouseReachable)(
    'syncs metadata from the warehouse into registered tables',
    async () => {
      const c = await mysql.createConnection({ uri: MYSQL_URL });
      await c.query(`CREATE DATABASE \`${db}\``);
      await c.query(
        `CREATE TABLE \`${db}\`.orders (id BIGINT PRIMARY KEY, amount DECIMAL(12,2), note VARCHAR(20))`,
      );
      await c.query(`INSERT INTO \`${db}\`.orders VALUES (1, 10, 'a'), (2, 20, 'b')`);
      await c.end();
      await h.call({
        method: 'POST',
        url: '/api/v1/tables',
        payload: {
          qualified_name: `${db}.orders`,
          layer: 'ODS',
          datasource: 'warehouse',
          fields: [
            { name: 'id', type: 'bigint' },
            { name: 'gone', type: 'int' },
          ],
        },
      });
      const r = await h.call({
        method: 'POST',
        url: '/api/v1/datasources/warehouse/sync',
        payload: { databases: [db], exact_counts: true },
      });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        datasource: 'warehouse',
        counts: { registered: 1, drifted: 1 },
      });
      const t = await h.call({ method: 'GET', url: `/api/v1/tables/${db}.orders` });
      expect(t.body.stats.row_count).toBe(2);
      expect(t.body.stats.drift).toMatchObject({
        columns_added: ['amount', 'note'],
        columns_removed: ['gone'],
      });
    },
  );

  it('answers 502 SYNC_FAILED when the warehouse cannot be reached', async () => {
    await h.call({
      method: 'POST',
      url: '/api/v1/datasources',
      payload: { name: 'down', kind: 'mysql', host: '127.0.0.1', port: 1 },
    });
    const r = await h.call({ method: 'POST', url: '/api/v1/datasources/down/sync' });
    expect(r.status).toBe(502);
    expect(r.body.code).toBe('SYNC_FAILED');
  });
});

describe('plain datasource passwords', () => {
  it('refuses a plain password with 422 SECRET_KEY_MISSING when no key is configured', async () => {
    const h = await createHarness('sqlite');
    try {
      const r = await h.call({
        method: 'POST',
        url: '/api/v1/datasources',
        payload: { name: 'wh', kind: 'mysql', host: 'db', password: 'pa55-word' },
      });
      expect(r.status).toBe(422);
      expect(r.body.code).toBe('SECRET_KEY_MISSING');
      expect(r.body.message).toContain('DATAPORTAL_SECRET_KEY');
    } finally {
      await h.close();
    }
  });

  it('stores it encrypted under DATAPORTAL_SECRET_KEY and never answers it back', async () => {
    const box = createSecretBox(parseSecretKey('a'.repeat(64)));
    const h = await createHarness('sqlite', { app: { secretBox: box } });
    try {
      const r = await h.call({
        method: 'POST',
        url: '/api/v1/datasources',
        payload: { name: 'wh', kind: 'mysql', host: 'db', password: 'pa55-word' },
      });
      expect(r.status).toBe(201);
      expect(r.body.password_ref).toBe('secret:datasource.wh');
      expect(JSON.stringify(r.body)).not.toContain('pa55');
      const rows = await h.portal.store.db.selectFrom('dp_secret').selectAll().execute();
      expect(JSON.stringify(rows)).not.toContain('pa55');
      expect(await getSecret(h.portal.store, box, 'datasource.wh')).toBe('pa55-word');
    } finally {
      await h.close();
    }
  });
});
