import { createHash } from 'node:crypto';
import {
  type Actor,
  assertMayChange,
  type IdentityService,
  isSdkError,
  type PortalService,
  roleAtLeast,
  runAs,
} from '@dataportal/sdk';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ServerError } from '../errors';
import { parseRef } from '../wire/common';
import type { FailedAuthLimiter } from './failed-auth-limiter';
import type { OidcVerifier } from './oidc';
import { isUndocumentedPublicPath, ROUTE_RULES, type RouteRule } from './route-rules';

/** Name of the browser session cookie (httpOnly, SameSite=Strict). */
export const SESSION_COOKIE = 'dp_session';
/** Header a cookie-authenticated write must carry: the session's CSRF token. */
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling, once authenticated; null for public routes and callbacks by secret. */
    actor: Actor | null;
    /** How the caller authenticated. */
    authVia: 'token' | 'session' | 'oidc' | 'off' | null;
    /** The session token, when the caller came with the session cookie. */
    sessionToken: string | null;
  }
}

/** How the app authenticates callers. */
export interface AuthSettings {
  /** Users and tokens. */
  readonly identity: IdentityService;
  /** The portal (ownership checks read tasks and tables). */
  readonly portal: PortalService;
  /** Company OIDC tokens, when configured. */
  readonly oidc?: OidcVerifier | null;
  /** Slows down guessing: failures per address. */
  readonly limiter: FailedAuthLimiter;
}

/**
 * The CSRF token of a session: derived from the session token, which the page cannot read
 * (httpOnly) and another site cannot guess, so only the page that signed in knows it.
 *
 * @param sessionToken - the session token
 * @returns the CSRF token
 */
export function csrfTokenOf(sessionToken: string): string {
  return createHash('sha256').update(`dataportal-csrf:${sessionToken}`).digest('base64url');
}

const unauthorized = (message: string) =>
  new ServerError('UNAUTHORIZED', 401, message, {
    how: 'send Authorization: Bearer <token> (dp_… API token or OIDC token), or sign in at /login',
  });

function bearer(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m?.[1] ?? '';
}

/**
 * The rule of the route a request matched, or undefined when none applies.
 *
 * @param req - the request
 * @returns the rule
 * @internal
 */
export function ruleOf(req: FastifyRequest): RouteRule | undefined {
  const url = req.routeOptions.url;
  if (url === undefined) return undefined;
  const path = url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
  return ROUTE_RULES[`${req.method} ${path}`];
}

async function authenticate(
  req: FastifyRequest,
  settings: AuthSettings,
): Promise<{ actor: Actor; via: 'token' | 'session' | 'oidc'; session: string | null } | null> {
  const token = bearer(req);
  const cookie = req.cookies?.[SESSION_COOKIE];
  if (token === null && !cookie) return null;
  const ip = req.ip;
  settings.limiter.check(ip);
  const fail = (message: string): never => {
    settings.limiter.fail(ip);
    throw unauthorized(message);
  };
  if (token !== null) {
    if (token === '') return fail('malformed Authorization header: use Bearer <token>');
    if (token.startsWith('dp_')) {
      const v = await settings.identity.verifyToken(token);
      if (!v || v.token.kind === 'session') return fail('unknown, expired or revoked token');
      return { actor: v.actor, via: 'token', session: null };
    }
    if (settings.oidc) {
      const actor = await settings.oidc.verify(token);
      if (!actor) return fail('the OIDC token is invalid or expired');
      return { actor, via: 'oidc', session: null };
    }
    return fail('unknown token (DataPortal tokens start with dp_)');
  }
  const v = await settings.identity.verifyToken(cookie as string);
  if (v?.token.kind !== 'session') return fail('the session expired; sign in again');
  return { actor: v.actor, via: 'session', session: cookie as string };
}

/**
 * Installs authentication and authorisation on every route: a route without a rule in
 * {@link ROUTE_RULES} makes the app refuse to start; callers are identified by a `dp_` token,
 * an OIDC token or the session cookie (401 otherwise), checked against the route's role (403),
 * and — for routes that change a task or table — against its owner (403). Cookie-authenticated
 * writes must carry the session's CSRF token. With `settings` null (DATAPORTAL_AUTH=off) every
 * caller acts as an anonymous admin.
 *
 * @param app - the app (before routes are registered)
 * @param settings - identity, portal, OIDC, limiter; null when auth is off
 */
export function installAuth(app: FastifyInstance, settings: AuthSettings | null): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('authVia', null);
  app.decorateRequest('sessionToken', null);
  app.addHook('onRoute', (route) => {
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    if (isUndocumentedPublicPath(path)) return;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods) {
      if (m === 'HEAD' || m === 'OPTIONS') continue;
      if (!ROUTE_RULES[`${m} ${path}`]) {
        throw new Error(
          `route ${m} ${path} has no rule in ROUTE_RULES (examples/server/src/auth/route-rules.ts): say who may call it`,
        );
      }
    }
  });

  app.addHook('onRequest', async (req: FastifyRequest) => {
    const rule = ruleOf(req);
    if (!rule || rule.access === 'public') return;
    if (settings === null) {
      req.actor = { name: 'anonymous', role: 'admin', requestId: req.id, sourceIp: req.ip };
      req.authVia = 'off';
      return;
    }
    const who = await authenticate(req, settings);
    if (who) {
      req.actor = { ...who.actor, requestId: req.id, sourceIp: req.ip };
      req.authVia = who.via;
      req.sessionToken = who.session;
    }
    // Callbacks may instead carry the callback secret; their route checks that.
    if (rule.access === 'callback') return;
    if (!req.actor) throw unauthorized('authentication required');
    if (
      req.authVia === 'session' &&
      !['GET', 'HEAD', 'OPTIONS'].includes(req.method) &&
      req.headers[CSRF_HEADER] !== csrfTokenOf(req.sessionToken ?? '')
    ) {
      throw new ServerError(
        'CSRF_FAILED',
        403,
        `a write with the session cookie needs the ${CSRF_HEADER} header (from GET /api/v1/session)`,
      );
    }
    if (rule.access === 'role' && !roleAtLeast(req.actor.role, rule.role)) {
      throw new ServerError(
        'FORBIDDEN',
        403,
        `${req.actor.name} (${req.actor.role}) may not ${req.method} ${req.routeOptions.url}: it needs the ${rule.role} role`,
        { role: req.actor.role, needed: rule.role },
      );
    }
  });

  // Ownership needs the validated params/body, so it runs after validation.
  app.addHook('preHandler', async (req: FastifyRequest, _reply: FastifyReply) => {
    const rule = ruleOf(req);
    const actor = req.actor;
    if (rule?.access !== 'role' || !rule.owner || !actor || actor.role === 'admin') return;
    const raw =
      rule.owner.from === 'params.id'
        ? (req.params as { id?: string } | undefined)?.id
        : (req.body as { task_id?: number } | undefined)?.task_id;
    if (raw === undefined || settings === null) return;
    const ref = typeof raw === 'number' ? raw : parseRef(String(raw));
    let owner: string | null;
    let label: string;
    try {
      if (rule.owner.entity === 'task') {
        const t = await settings.portal.getTask(ref);
        owner = t.owner;
        label = `task ${t.name}`;
      } else {
        const t = await settings.portal.getTable(ref);
        owner = t.owner;
        label = `table ${t.qualifiedName}`;
      }
    } catch (err) {
      // Not found: the route answers 404 itself.
      if (isSdkError(err, 'NOT_FOUND')) return;
      throw err;
    }
    assertMayChange(actor, owner, `${req.method} ${label}`);
  });

  // Every sdk write of the request acts as the caller: role and ownership checks and audit rows
  // happen in the sdk, in the transaction of the change (callback style keeps the async context).
  app.addHook('preHandler', (req, _reply, done) => {
    if (req.actor) runAs(req.actor, done);
    else done();
  });

  // What a developer creates is theirs unless they name another owner.
  app.addHook('preHandler', async (req: FastifyRequest) => {
    if (req.method !== 'POST' || !req.actor || req.authVia === 'off') return;
    const url = req.routeOptions.url;
    if (url !== '/api/v1/tasks' && url !== '/api/v1/tables') return;
    const body = req.body as { owner?: string } | null;
    if (body && typeof body === 'object' && body.owner === undefined) body.owner = req.actor.name;
  });
}
