import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeDialects } from './support/dialects';
import { createHarness, type Harness } from './support/harness';

const dialects = await storeDialects();

describe.each(dialects)('tables and fields on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(dialect);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('registers a table with fields and answers 201 in snake_case', async () => {
    const r = await h.call({
      method: 'POST',
      url: '/api/v1/tables',
      payload: {
        qualified_name: 'ODS.Orders',
        layer: 'ODS',
        owner: 'platform',
        tags: ['core'],
        fields: [
          { name: 'id', type: 'bigint', nullable: false, key: 'primary' },
          { name: 'amount', type: 'decimal(12,2)', default_value: '0' },
        ],
      },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      qualified_name: 'ods.orders',
      database: 'ods',
      name: 'orders',
      layer: 'ODS',
      status: 'active',
      version: 1,
      stats: { row_count: null, drift: null },
    });
    const f = await h.call({ method: 'GET', url: '/api/v1/tables/ods.orders/fields' });
    expect(f.body.items.map((x: { name: string }) => x.name)).toEqual(['id', 'amount']);
    expect(f.body.items[1]).toMatchObject({ default_value: '0', nullable: true, key: 'none' });
  });

  it('reads a table by id and by qualified name', async () => {
    const byName = await h.call({ method: 'GET', url: '/api/v1/tables/ods.orders' });
    const byId = await h.call({ method: 'GET', url: `/api/v1/tables/${byName.body.id}` });
    expect(byId.status).toBe(200);
    expect(byId.body.qualified_name).toBe('ods.orders');
  });

  it('answers 409 CONFLICT for a name already registered', async () => {
    const r = await h.call({
      method: 'POST',
      url: '/api/v1/tables',
      payload: { qualified_name: 'ods.orders', layer: 'ODS' },
    });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ statusCode: 409, code: 'CONFLICT', error: 'Conflict' });
  });

  it('names the offending field in a 400', async () => {
    const r = await h.call({
      method: 'POST',
      url: '/api/v1/tables',
      payload: { qualified_name: 'no dot!', layer: 'XYZ' },
    });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('VALIDATION_FAILED');
    const fields = r.body.details.issues.map((i: { field: string }) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['qualified_name', 'layer']));
    expect(r.body.message).toContain('qualified_name');
  });

  it('lists with filters and cursor pagination', async () => {
    for (const n of ['dwd.a', 'dwd.b', 'dwd.c']) {
      await h.call({
        method: 'POST',
        url: '/api/v1/tables',
        payload: { qualified_name: n, layer: 'DWD', owner: 'bi' },
      });
    }
    const p1 = await h.call({ method: 'GET', url: '/api/v1/tables?layer=DWD&limit=2' });
    expect(p1.body.items.map((t: { name: string }) => t.name)).toEqual(['a', 'b']);
    expect(p1.body.next_cursor).toEqual(expect.any(String));
    const p2 = await h.call({
      method: 'GET',
      url: `/api/v1/tables?layer=DWD&limit=2&cursor=${encodeURIComponent(p1.body.next_cursor)}`,
    });
    expect(p2.body.items.map((t: { name: string }) => t.name)).toEqual(['c']);
    expect(p2.body.next_cursor).toBeNull();
    const byOwner = await h.call({ method: 'GET', url: '/api/v1/tables?owner=platform' });
    expect(byOwner.body.items).toHaveLength(1);
    const byPrefix = await h.call({ method: 'GET', url: '/api/v1/tables?prefix=dwd.' });
    expect(byPrefix.body.items).toHaveLength(3);
  });

  it('rejects a malformed cursor with 400 naming cursor', async () => {
    const r = await h.call({ method: 'GET', url: '/api/v1/tables?cursor=%25%25' });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body.details)).toContain('cursor');
  });

  it('updates with the version read and answers 409 on a stale version', async () => {
    const t = (await h.call({ method: 'GET', url: '/api/v1/tables/dwd.a' })).body;
    const ok = await h.call({
      method: 'PATCH',
      url: '/api/v1/tables/dwd.a',
      payload: { description: 'first', version: t.version },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ description: 'first', version: t.version + 1 });
    const stale = await h.call({
      method: 'PATCH',
      url: '/api/v1/tables/dwd.a',
      payload: { description: 'second', version: t.version },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('CONFLICT');
  });

  it('deprecates a table', async () => {
    const r = await h.call({ method: 'POST', url: '/api/v1/tables/dwd.b/deprecate' });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('deprecated');
  });

  it('replaces fields and refuses duplicate names', async () => {
    const ok = await h.call({
      method: 'PUT',
      url: '/api/v1/tables/dwd.c/fields',
      payload: { fields: [{ name: 'k', type: 'int' }] },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.items).toHaveLength(1);
    const dup = await h.call({
      method: 'PUT',
      url: '/api/v1/tables/dwd.c/fields',
      payload: {
        fields: [
          { name: 'k', type: 'int' },
          { name: 'K', type: 'int' },
        ],
      },
    });
    expect(dup.status).toBe(400);
    expect(dup.body.details.issues[0].field).toBe('fields.1.name');
  });

  it('answers 404 in the error shape for unknown ids', async () => {
    for (const url of ['/api/v1/tables/999999', '/api/v1/tables/nope.nope/fields']) {
      const r = await h.call({ method: 'GET', url });
      expect(r.status).toBe(404);
      expect(r.body).toMatchObject({ statusCode: 404, code: 'NOT_FOUND', error: 'Not Found' });
    }
  });
});
