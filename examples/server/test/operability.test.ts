import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeDialects } from './support/dialects';
import { createHarness, type Harness } from './support/harness';

const dialects = await storeDialects();

describe.each(dialects)('health, errors and limits on %s', (dialect) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(dialect, {
      app: { bodyLimit: 4096, corsOrigins: ['https://ui.example'] },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('/healthz answers ok and /readyz checks the store and the local engine', async () => {
    expect((await h.call({ method: 'GET', url: '/healthz' })).body).toEqual({ status: 'ok' });
    const r = await h.call({ method: 'GET', url: '/readyz' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      status: 'ready',
      checks: { store: { ok: true }, local: { ok: true } },
    });
  });

  it('gives every response a request id (echoing the caller’s)', async () => {
    const r = await h.call({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'abc-123' },
    });
    expect(r.res.headers['x-request-id']).toBe('abc-123');
    const fresh = await h.call({ method: 'GET', url: '/healthz' });
    expect(fresh.res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown routes with 404 ROUTE_NOT_FOUND in the error shape', async () => {
    const r = await h.call({ method: 'GET', url: '/api/v1/nothing' });
    expect(r.status).toBe(404);
    expect(r.body).toEqual({
      statusCode: 404,
      code: 'ROUTE_NOT_FOUND',
      error: 'Not Found',
      message: 'no route for GET /api/v1/nothing',
    });
  });

  it('answers malformed JSON with 400 and oversized bodies with 413', async () => {
    const bad = await h.call({
      method: 'POST',
      url: '/api/v1/tables',
      headers: { 'content-type': 'application/json' },
      payload: '{"qualified_name":',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('BAD_REQUEST');
    const big = await h.call({
      method: 'POST',
      url: '/api/v1/tables',
      payload: { qualified_name: 'ods.big', layer: 'ODS', description: 'x'.repeat(5000) },
    });
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses prototype-poisoning bodies', async () => {
    const r = await h.call({
      method: 'POST',
      url: '/api/v1/tables',
      headers: { 'content-type': 'application/json' },
      payload: '{"qualified_name":"ods.p","layer":"ODS","__proto__":{"x":1}}',
    });
    expect(r.status).toBe(400);
  });

  it('answers CORS preflights for configured origins only', async () => {
    const ok = await h.call({
      method: 'OPTIONS',
      url: '/api/v1/tasks',
      headers: { origin: 'https://ui.example', 'access-control-request-method': 'POST' },
    });
    expect(ok.res.headers['access-control-allow-origin']).toBe('https://ui.example');
    const other = await h.call({
      method: 'GET',
      url: '/api/v1/tasks',
      headers: { origin: 'https://evil.example' },
    });
    expect(other.res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('readiness when a dependency is down', () => {
  it('answers 503 naming the failing check', async () => {
    const h = await createHarness('sqlite', {
      app: {
        readinessChecks: {
          store: async () => undefined,
          dolphin: async () => {
            throw new Error('connect ECONNREFUSED 127.0.0.1:12345');
          },
        },
      },
    });
    try {
      const r = await h.call({ method: 'GET', url: '/readyz' });
      expect(r.status).toBe(503);
      expect(r.body.checks.dolphin).toEqual({
        ok: false,
        error: 'connect ECONNREFUSED 127.0.0.1:12345',
      });
    } finally {
      await h.close();
    }
  });
});

describe('logging', () => {
  it('logs every request with its id and never the callback secret', async () => {
    const lines: string[] = [];
    const stream = { write: (l: string) => lines.push(l) };
    const h = await createHarness('sqlite', {
      app: { logger: { level: 'info', stream }, callbackSecret: 'top-secret-value' },
    });
    try {
      await h.call({
        method: 'POST',
        url: '/api/v1/tasks/callback',
        headers: { 'x-request-id': 'req-42', 'x-dataportal-secret': 'top-secret-value' },
        payload: { task_id: 1, status: 'SUCCESS', run_id: 'r1' },
      });
      const mine = lines.filter((l) => l.includes('"reqId":"req-42"'));
      expect(mine.length).toBeGreaterThanOrEqual(2);
      expect(lines.join('\n')).not.toContain('top-secret-value');
    } finally {
      await h.close();
    }
  });
});
