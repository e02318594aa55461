import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './support/harness';

// The built web app at `/`: files, cache headers, the SPA fallback, and the API untouched.
describe('web app at /', () => {
  let h: Harness;
  let root: string;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'dataportal-web-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><div id="app"></div>');
    writeFileSync(join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
    h = await createHarness('sqlite', { app: { webRoot: root } });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves index.html at / and revalidates it on every load', async () => {
    const r = await h.call({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
    expect(r.status).toBe(200);
    expect(r.res.headers['content-type']).toContain('text/html');
    expect(r.res.headers['cache-control']).toBe('no-cache');
    expect(r.res.body).toContain('<div id="app">');
  });

  it('caches hashed assets for a year', async () => {
    const r = await h.call({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(r.status).toBe(200);
    expect(r.res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it("falls back to index.html for the app's own page paths", async () => {
    for (const url of ['/tasks/12', '/lineage?table=ods_user', '/tables', '/tables/ods.orders']) {
      const r = await h.call({ method: 'GET', url, headers: { accept: 'text/html' } });
      expect(r.status, url).toBe(200);
      expect(r.res.body, url).toContain('<div id="app">');
    }
  });

  it('answers a missing file and an unknown API path with the JSON 404, not the app', async () => {
    const file = await h.call({ method: 'GET', url: '/assets/missing.js' });
    expect(file.status).toBe(404);
    const apiPath = await h.call({
      method: 'GET',
      url: '/api/v1/nothing-here',
      headers: { accept: 'text/html' },
    });
    expect(apiPath.status).toBe(404);
    expect(apiPath.body.code).toBe('ROUTE_NOT_FOUND');
  });

  it('keeps the API and the OpenAPI document as they were', async () => {
    const tables = await h.call({ method: 'GET', url: '/api/v1/tables' });
    expect(tables.status).toBe(200);
    const doc = await h.call({ method: 'GET', url: '/openapi.json' });
    expect(
      Object.keys(doc.body.paths).some(
        (p) => !p.startsWith('/api/') && p !== '/healthz' && p !== '/readyz',
      ),
    ).toBe(false);
  });
});
