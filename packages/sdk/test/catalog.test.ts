import { beforeEach, describe, expect, it } from 'vitest';
import type { PortalService } from '../src/index.js';
import type { TestStore } from '../src/testing/index.js';
import { storeDialects } from './support/dialects.js';
import { caught, portalSuite } from './support/portal-suite.js';

const dialects = await storeDialects();

describe.each(dialects)('catalog (tables, fields, datasources, sync) on %s', (dialect) => {
  const suite = portalSuite(dialect);
  const { tables } = suite;
  let store: TestStore;
  let portal: PortalService;
  beforeEach(() => {
    ({ store, portal } = suite);
  });

  describe('migrations', () => {
    it('are idempotent', async () => {
      expect(await store.migrate()).toEqual([]);
    });
  });

  describe('tables', () => {
    it('registers a table with fields and reads it by id and by name', async () => {
      const t = await portal.registerTable({
        qualifiedName: 'ODS.Orders',
        layer: 'ODS',
        owner: 'alice',
        tags: ['finance'],
        fields: [
          { name: 'id', type: 'bigint', nullable: false, key: 'primary' },
          { name: 'amount', type: 'decimal(10,2)' },
        ],
      });
      expect(t.qualifiedName).toBe('ods.orders');
      expect(t.database).toBe('ods');
      expect(t.name).toBe('orders');
      expect(t.version).toBe(1);
      expect((await portal.getTable(t.id)).qualifiedName).toBe('ods.orders');
      expect((await portal.getTable('ods.ORDERS')).id).toBe(t.id);
      const fields = await portal.getFields(t.id);
      expect(fields.map((f) => [f.name, f.ordinal, f.nullable, f.key])).toEqual([
        ['id', 0, false, 'primary'],
        ['amount', 1, true, 'none'],
      ]);
    });

    it('rejects a duplicate name with CONFLICT and leaves the first intact', async () => {
      await portal.registerTable({ qualifiedName: 'ods.a', layer: 'ODS', owner: 'x' });
      const err = await caught(portal.registerTable({ qualifiedName: 'ods.a', layer: 'DWD' }));
      expect(err.code).toBe('CONFLICT');
      expect((await portal.getTable('ods.a')).layer).toBe('ODS');
    });

    it('names the offending field on bad input', async () => {
      const err = await caught(portal.registerTable({ qualifiedName: 'no schema', layer: 'ODS' }));
      expect(err.code).toBe('VALIDATION_FAILED');
      expect(err.issues[0]?.path).toEqual(['qualifiedName']);
      const err2 = await caught(
        portal.registerTable({ qualifiedName: 'a.b', layer: 'XXX' as 'ODS' }),
      );
      expect(err2.issues[0]?.path).toEqual(['layer']);
    });

    it('rejects duplicate field names without writing any field', async () => {
      const err = await caught(
        portal.registerTable({
          qualifiedName: 'ods.f',
          layer: 'ODS',
          fields: [
            { name: 'a', type: 'int' },
            { name: 'A', type: 'int' },
          ],
        }),
      );
      expect(err.code).toBe('VALIDATION_FAILED');
      expect(await portal.findTable('ods.f')).toBeNull();
    });

    it('lists with filters and cursor pagination', async () => {
      for (let i = 0; i < 7; i++) {
        await portal.registerTable({
          qualifiedName: `${i % 2 ? 'dwd' : 'ods'}.t${i}`,
          layer: i % 2 ? 'DWD' : 'ODS',
          owner: i < 3 ? 'alice' : 'bob',
        });
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await portal.listTables({ limit: 2, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((t) => t.qualifiedName));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toHaveLength(7);
      expect(new Set(seen).size).toBe(7);
      const ods = await portal.listTables({ layer: 'ODS' });
      expect(ods.items.map((t) => t.qualifiedName).sort()).toEqual([
        'ods.t0',
        'ods.t2',
        'ods.t4',
        'ods.t6',
      ]);
      const alice = await portal.listTables({ owner: 'alice', prefix: 'dwd.' });
      expect(alice.items.map((t) => t.qualifiedName)).toEqual(['dwd.t1']);
      const err = await caught(portal.listTables({ cursor: 'garbage' }));
      expect(err.code).toBe('VALIDATION_FAILED');
    });

    it('treats LIKE wildcards in a prefix literally', async () => {
      await tables('ods.a_b', 'ods.axb');
      const page = await portal.listTables({ prefix: 'ods.a_' });
      expect(page.items.map((t) => t.qualifiedName)).toEqual(['ods.a_b']);
    });

    it('updates with optimistic locking and deprecates', async () => {
      const t = await portal.registerTable({ qualifiedName: 'ods.u', layer: 'ODS' });
      const u = await portal.updateTable(t.id, { owner: 'carol', version: 1 });
      expect(u.owner).toBe('carol');
      expect(u.version).toBe(2);
      const err = await caught(portal.updateTable(t.id, { owner: 'dave', version: 1 }));
      expect(err.code).toBe('CONFLICT');
      const d = await portal.deprecateTable('ods.u');
      expect(d.status).toBe('deprecated');
      expect((await caught(portal.getTable('ods.nope'))).code).toBe('NOT_FOUND');
    });

    it('stores synced stats and drift', async () => {
      await tables('ods.s');
      const t = await portal.recordTableSync('ods.s', {
        stats: { rowCount: 42, dataSize: 4096, lastModified: new Date(1_600_000_000_000) },
        drift: {
          columnsAdded: ['x'],
          columnsRemoved: [],
          typeChanged: [],
          missingInWarehouse: false,
        },
      });
      expect(t.stats.rowCount).toBe(42);
      expect(t.version).toBe(1);
      expect(t.stats.lastModified?.getTime()).toBe(1_600_000_000_000);
      expect(t.stats.drift?.columnsAdded).toEqual(['x']);
      expect(t.stats.syncedAt).not.toBeNull();
    });
  });

  describe('datasources', () => {
    beforeEach(async () => {
      await store.db.deleteFrom('dp_datasource').execute();
    });

    it('creates, reads, updates with locking and deletes; stores only a password reference', async () => {
      const d = await portal.createDatasource({
        name: 'doris_prod',
        kind: 'doris',
        host: 'fe.internal',
        port: 9030,
        user: 'etl',
        passwordRef: 'env:DORIS_PASSWORD',
        dolphinDatasource: 'doris-prod',
      });
      expect(d).toMatchObject({ name: 'doris_prod', kind: 'doris', port: 9030, version: 1 });
      expect((await portal.getDatasource('doris_prod')).id).toBe(d.id);
      const stored = await store.db.selectFrom('dp_datasource').selectAll().execute();
      expect(JSON.stringify(stored)).not.toMatch(/password"\s*:\s*"[^e]/);
      expect(
        (await caught(portal.createDatasource({ name: 'doris_prod', kind: 'mysql' }))).code,
      ).toBe('CONFLICT');
      const err = await caught(
        portal.createDatasource({ name: 'x', kind: 'doris', passwordRef: 'hunter2' }),
      );
      expect(err.issues[0]?.path).toEqual(['passwordRef']);
      const u = await portal.updateDatasource(d.id, {
        name: 'doris_prod',
        kind: 'doris',
        port: 9031,
        version: 1,
      });
      expect(u.port).toBe(9031);
      expect(u.host).toBeUndefined();
      expect(
        (
          await caught(
            portal.updateDatasource(d.id, { name: 'doris_prod', kind: 'doris', version: 1 }),
          )
        ).code,
      ).toBe('CONFLICT');
      expect((await portal.listDatasources()).map((x) => x.name)).toEqual(['doris_prod']);
      await portal.deleteDatasource('doris_prod');
      expect((await caught(portal.getDatasource(d.id))).code).toBe('NOT_FOUND');
    });
  });
});
