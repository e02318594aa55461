import { randomUUID } from 'node:crypto';
import { bodyOf, type FakeState, MSG, needParam } from './state';
import type { FakeDinkyRequest } from './types';

// Login and tokens (`controller/AdminController.java` login, sa-token settings in
// `dinky-admin/src/main/resources/application.yml`: `token-name` token ≤1.1 / dinky-token on 1.2,
// `is-concurrent: false`). Mirrors ../../client/auth.ts.

/** Whether the request carries a live token (query parameter, header or cookie, sa-token's order). */
export function authorised(s: FakeState, req: FakeDinkyRequest): boolean {
  const cookieHeader = req.headers['cookie'] ?? '';
  const cookie = cookieHeader
    .split(';')
    .map((c) => c.trim().split('='))
    .find(([k]) => k === s.tokenName)?.[1];
  const token = req.query[s.tokenName] ?? req.headers[s.tokenName] ?? cookie;
  return token !== undefined && s.tokens.has(token);
}

/** `POST /api/login` and `POST /api/chooseTenant` (1.x). */
export function registerAuthRoutes(s: FakeState): void {
  if (s.legacy) return;
  s.route('POST', '/api/login', (req) => {
    const b = bodyOf(req);
    const user = s.users.find((u) => u.username === b['username'] && u.password === b['password']);
    // `UserServiceImpl.loginUser`: an AuthException becomes `Result.authorizeFailed` — code 7 in
    // HTTP 200 (only NotLoginException is HTTP 401).
    if (!user) return { body: s.envelope(7, s.msg(MSG.login), null) };
    // is-concurrent: false — a new login replaces the user's other sessions.
    for (const [t, u] of s.tokens) if (u === user.username) s.tokens.delete(t);
    const token = randomUUID();
    s.tokens.set(token, user.username);
    return {
      body: s.envelope(0, s.msg(MSG.ok), {
        user: { id: 1, username: user.username },
        tokenInfo: { tokenName: s.tokenName, tokenValue: null },
      }),
      headers: { [s.tokenName]: token, 'set-cookie': [`${s.tokenName}=${token}; Path=/`] },
    };
  });
  s.route('POST', '/api/chooseTenant', (req) => {
    needParam(req.query['tenantId'], 'tenantId');
    return s.ok({ id: Number(req.query['tenantId']), tenantCode: 'DefaultTenant' });
  });
}
