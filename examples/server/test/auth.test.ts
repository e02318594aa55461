import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOidcVerifier } from '../src/auth/oidc';
import { ConfigError, loadConfig } from '../src/config';
import { createHarness, type Harness } from './support/harness';

describe('API tokens', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('sqlite');
  });
  afterAll(async () => {
    await h?.close();
  });

  it('shows a new token once, lists it without the token, and refuses it once revoked', async () => {
    const made = await h.call({
      as: 'developer',
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: 'notebook', expires_in_days: 30 },
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      user: 'test-developer',
      role: 'developer',
      name: 'notebook',
    });
    expect(made.body.token).toMatch(/^dp_[A-Za-z0-9_-]{43}$/);
    const token = made.body.token as string;
    const mine = { authorization: `Bearer ${token}` };
    expect((await h.call({ method: 'GET', url: '/api/v1/tasks', headers: mine })).status).toBe(200);
    const list = await h.call({ as: 'developer', method: 'GET', url: '/api/v1/tokens' });
    expect(list.body.items.map((t: { name: string }) => t.name)).toContain('notebook');
    expect(JSON.stringify(list.body)).not.toContain(token.slice(7));
    const revoked = await h.call({
      as: 'developer',
      method: 'DELETE',
      url: `/api/v1/tokens/${made.body.id}`,
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revoked_at).not.toBeNull();
    const after = await h.call({ method: 'GET', url: '/api/v1/tasks', headers: mine });
    expect(after.status).toBe(401);
  });

  it('refuses a token above the caller’s role and tokens for others, except for admins', async () => {
    const up = await h.call({
      as: 'viewer',
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: 'x', role: 'admin' },
    });
    expect(up.status).toBe(403);
    const other = await h.call({
      as: 'developer',
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: 'x', user: 'test-admin' },
    });
    expect(other.status).toBe(403);
    const admin = await h.call({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: 'for-viewer', user: 'test-viewer' },
    });
    expect(admin.status).toBe(201);
    expect(admin.body.role).toBe('viewer');
  });

  it('refuses expired tokens', async () => {
    const { token } = await h.identity.createToken(
      { userName: 'test-viewer', name: 'brief', expiresInMs: 50 },
      { name: 'system', role: 'admin' },
    );
    await new Promise((r) => setTimeout(r, 80));
    const r = await h.call({
      method: 'GET',
      url: '/api/v1/tasks',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(r.status).toBe(401);
  });

  it('manages users (admin only) and answers who am I', async () => {
    const u = await h.call({
      method: 'POST',
      url: '/api/v1/users',
      payload: { name: 'ann', role: 'developer', email: 'ann@example.com' },
    });
    expect(u.status).toBe(200);
    expect((await h.call({ as: 'developer', method: 'GET', url: '/api/v1/users' })).status).toBe(
      403,
    );
    const me = await h.call({ as: 'viewer', method: 'GET', url: '/api/v1/session' });
    expect(me.body).toMatchObject({
      user: 'test-viewer',
      role: 'viewer',
      via: 'token',
      csrf_token: null,
    });
  });

  it('sends security headers and no CORS headers by default', async () => {
    const r = await h.call({
      method: 'GET',
      url: '/api/v1/tasks',
      headers: { origin: 'https://evil.example', authorization: `Bearer ${h.tokens.admin}` },
    });
    expect(r.res.headers['x-content-type-options']).toBe('nosniff');
    expect(r.res.headers['content-security-policy']).toBeDefined();
    expect(r.res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('declares the bearer scheme in the OpenAPI document and marks public routes', async () => {
    const doc = (await h.call({ method: 'GET', url: '/openapi.json' })).body;
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    expect(doc.security).toContainEqual({ bearerAuth: [] });
    expect(doc.paths['/healthz'].get.security).toEqual([]);
  });
});

describe('abuse limits', () => {
  it('answers 429 with Retry-After beyond the rate limit', async () => {
    const h = await createHarness('sqlite', { app: { rateLimit: { max: 5, windowMs: 60_000 } } });
    try {
      const statuses: number[] = [];
      let last: Awaited<ReturnType<Harness['call']>> | undefined;
      for (let i = 0; i < 7; i++) {
        last = await h.call({ as: 'viewer', method: 'GET', url: '/api/v1/tables' });
        statuses.push(last.status);
      }
      expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(last?.status).toBe(429);
      expect(last?.body.code).toBe('RATE_LIMITED');
      expect(Number(last?.res.headers['retry-after'])).toBeGreaterThan(0);
      // Another caller has their own budget.
      expect((await h.call({ as: 'developer', method: 'GET', url: '/api/v1/tables' })).status).toBe(
        200,
      );
    } finally {
      await h.close();
    }
  });

  it('slows guessing: 10,000 wrong tokens get 429 and other callers are still served', async () => {
    const h = await createHarness('sqlite');
    try {
      const counts: Record<number, number> = {};
      for (let i = 0; i < 10_000; i++) {
        const r = await h.app.inject({
          method: 'GET',
          url: '/api/v1/tasks',
          remoteAddress: '10.9.8.7',
          headers: { authorization: `Bearer dp_${i.toString(36).padStart(43, 'x')}` },
        });
        counts[r.statusCode] = (counts[r.statusCode] ?? 0) + 1;
        if (i === 9_999) expect(r.headers['retry-after']).toBeDefined();
      }
      expect(counts[401]).toBe(20);
      expect(counts[429]).toBe(9_980);
      const ok = await h.app.inject({
        method: 'GET',
        url: '/api/v1/tasks',
        remoteAddress: '10.1.1.1',
        headers: h.headersFor('viewer'),
      });
      expect(ok.statusCode).toBe(200);
    } finally {
      await h.close();
    }
  }, 120_000);

  it('caps the body size', async () => {
    const h = await createHarness('sqlite', { app: { bodyLimit: 2048 } });
    try {
      const r = await h.call({
        method: 'POST',
        url: '/api/v1/sql/lineage',
        payload: { sql: `select ${'x,'.repeat(4000)}1` },
      });
      expect(r.status).toBe(413);
    } finally {
      await h.close();
    }
  });
});

describe('bootstrap configuration', () => {
  it('refuses DATAPORTAL_AUTH=off unless listening on loopback', () => {
    expect(() => loadConfig({ DATAPORTAL_AUTH: 'off', HOST: '0.0.0.0' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATAPORTAL_AUTH: 'off', HOST: '0.0.0.0' })).toThrow(/loopback/);
    expect(loadConfig({ DATAPORTAL_AUTH: 'off' }).auth).toBe(false);
    expect(loadConfig({}).auth).toBe(true);
  });

  it('wants an admin token of at least 32 characters and a 32-byte secret key', () => {
    expect(() => loadConfig({ DATAPORTAL_ADMIN_TOKEN: 'short' })).toThrow(/DATAPORTAL_ADMIN_TOKEN/);
    expect(() => loadConfig({ DATAPORTAL_SECRET_KEY: 'abc' })).toThrow(/DATAPORTAL_SECRET_KEY/);
    expect(loadConfig({ DATAPORTAL_SECRET_KEY: 'a'.repeat(64) }).secretKey).toBe('a'.repeat(64));
  });
});

describe('OIDC tokens against a JWKS served on loopback', () => {
  let server: Server;
  let issuer: string;
  let sign: (claims: Record<string, unknown>, exp?: string) => Promise<string>;
  let h: Harness;
  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/.well-known/openid-configuration') {
        res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
      } else if (req.url === '/jwks') res.end(JSON.stringify({ keys: [jwk] }));
      else res.writeHead(404).end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    sign = (claims, exp = '5m') =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(issuer)
        .setAudience('dataportal')
        .setIssuedAt()
        .setExpirationTime(exp)
        .sign(privateKey);
    h = await createHarness('sqlite', {
      app: { auth: { oidc: createOidcVerifier({ issuer, audience: 'dataportal' }) } },
    });
  });
  afterAll(async () => {
    await h?.close();
    await new Promise((r) => server?.close(r));
  });

  const as = async (jwt: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    h.call({
      method,
      url,
      headers: { authorization: `Bearer ${jwt}` },
      ...(payload ? { payload } : {}),
    });

  it('accepts a signed token and takes the role from its roles claim', async () => {
    const jwt = await sign({ preferred_username: 'oidc-ann', roles: ['dataportal-viewer'] });
    const me = await as(jwt, 'GET', '/api/v1/session');
    expect(me.body).toMatchObject({ user: 'oidc-ann', role: 'viewer', via: 'oidc' });
    expect((await as(jwt, 'GET', '/api/v1/tasks')).status).toBe(200);
    const write = await as(jwt, 'POST', '/api/v1/tables', { qualified_name: 'x.y', layer: 'ODS' });
    expect(write.status).toBe(403);
  });

  it('refuses expired, foreign-audience and role-less tokens', async () => {
    const expired = await sign({ sub: 'bob', roles: ['admin'] }, '-1m');
    expect((await as(expired, 'GET', '/api/v1/tasks')).status).toBe(401);
    const noRole = await sign({ sub: 'bob', roles: ['finance'] });
    expect((await as(noRole, 'GET', '/api/v1/tasks')).status).toBe(401);
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ sub: 'eve', roles: ['admin'] })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(issuer)
      .setAudience('dataportal')
      .setExpirationTime('5m')
      .sign(privateKey);
    expect((await as(forged, 'GET', '/api/v1/tasks')).status).toBe(401);
  });
});

describe('log redaction', () => {
  it('never writes a token, session, password or callback secret to the log', async () => {
    const lines: string[] = [];
    const stream = { write: (l: string) => lines.push(l) };
    const { createSecretBox, parseSecretKey } = await import('@dataportal/sdk');
    const h = await createHarness('sqlite', {
      app: {
        logger: { level: 'trace', stream },
        callbackSecret: 'cb-secret-value-123',
        secretBox: createSecretBox(parseSecretKey('b'.repeat(64))),
      },
    });
    try {
      const signIn = await h.call({
        as: 'anonymous',
        method: 'POST',
        url: '/api/v1/session',
        payload: { token: h.tokens.developer },
      });
      const cookie = String(signIn.res.headers['set-cookie']).split(';')[0] as string;
      await h.call({ method: 'GET', url: '/api/v1/session', headers: { cookie } });
      await h.call({
        method: 'POST',
        url: '/api/v1/datasources',
        payload: { name: 'wh', kind: 'mysql', host: 'db', password: 'plain-pa55-word' },
      });
      await h.call({
        as: 'anonymous',
        method: 'POST',
        url: '/api/v1/tasks/callback',
        headers: { 'x-dataportal-secret': 'cb-secret-value-123' },
        payload: { task_id: 1, status: 'SUCCESS', run_id: 'r1' },
      });
      await h.call({
        method: 'GET',
        url: '/api/v1/tasks',
        headers: { authorization: 'Bearer dp_wrong_token_value_that_is_long_enough_xx' },
      });
      const log = lines.join('\n');
      expect(lines.length).toBeGreaterThan(5);
      for (const secret of [
        h.tokens.admin,
        h.tokens.developer,
        cookie.split('=')[1] as string,
        'plain-pa55-word',
        'cb-secret-value-123',
        'dp_wrong_token_value',
      ]) {
        expect(log).not.toContain(secret);
      }
    } finally {
      await h.close();
    }
  });
});
