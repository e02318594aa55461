import {
  type ApiToken,
  type AuditEntry,
  type IdentityService,
  listAudit,
  RoleSchema,
  type Store,
  type User,
} from '@dataportal/sdk';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CSRF_HEADER, csrfTokenOf, SESSION_COOKIE } from '../auth/auth-hooks';
import type { FailedAuthLimiter } from '../auth/failed-auth-limiter';
import { ServerError } from '../errors';
import { ERROR_RESPONSES, ErrorBodySchema, IdParamsSchema, iso } from '../wire/common';

/** Options of {@link accessRoutes}. */
export interface AccessRoutesOptions {
  /** Users and tokens. */
  readonly identity: IdentityService;
  /** The store (audit rows). */
  readonly store: Store;
  /** Failed sign-ins count here. */
  readonly limiter: FailedAuthLimiter;
  /** How long a browser session lasts, in milliseconds. */
  readonly sessionTtlMs: number;
  /** Whether the session cookie is marked `Secure` (the server is reached over https). */
  readonly secureCookie: boolean;
}

const TokenWireSchema = z
  .object({
    id: z.number().int(),
    user: z.string(),
    name: z.string(),
    role: RoleSchema,
    kind: z.enum(['api', 'session', 'bootstrap']),
    prefix: z.string().describe('the first characters of the token, to tell tokens apart'),
    created_at: z.string(),
    expires_at: z.string().nullable(),
    revoked_at: z.string().nullable(),
    last_used_at: z.string().nullable(),
  })
  .meta({ id: 'ApiToken' });

const NewTokenWireSchema = TokenWireSchema.extend({
  token: z.string().describe('the token itself: shown this once, only its hash is stored'),
}).meta({ id: 'NewApiToken' });

const UserWireSchema = z
  .object({
    name: z.string(),
    display_name: z.string().nullable(),
    email: z.string().nullable(),
    role: RoleSchema,
    created_at: z.string(),
  })
  .meta({ id: 'User' });

const SessionWireSchema = z
  .object({
    user: z.string(),
    role: RoleSchema,
    via: z.enum(['token', 'session', 'oidc', 'off']),
    csrf_token: z
      .string()
      .nullable()
      .describe(`send as \`${CSRF_HEADER}\` on writes made with the session cookie`),
    expires_at: z.string().nullable(),
  })
  .meta({ id: 'Session' });

const AuditWireSchema = z
  .object({
    id: z.number().int(),
    at: z.string(),
    actor: z.string(),
    role: z.string(),
    action: z.string(),
    entity: z.string(),
    entity_id: z.string().nullable(),
    version_before: z.number().int().nullable(),
    version_after: z.number().int().nullable(),
    request_id: z.string().nullable(),
    source_ip: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'AuditEntry' });

const tokenToWire = (t: ApiToken): z.infer<typeof TokenWireSchema> => ({
  id: t.id,
  user: t.userName,
  name: t.name,
  role: t.role,
  kind: t.kind,
  prefix: t.prefix,
  created_at: t.createdAt.toISOString(),
  expires_at: iso(t.expiresAt),
  revoked_at: iso(t.revokedAt),
  last_used_at: iso(t.lastUsedAt),
});

const userToWire = (u: User): z.infer<typeof UserWireSchema> => ({
  name: u.name,
  display_name: u.displayName,
  email: u.email,
  role: u.role,
  created_at: u.createdAt.toISOString(),
});

const auditToWire = (a: AuditEntry): z.infer<typeof AuditWireSchema> => ({
  id: a.id,
  at: a.at.toISOString(),
  actor: a.actor,
  role: a.role,
  action: a.action,
  entity: a.entity,
  entity_id: a.entityId,
  version_before: a.versionBefore,
  version_after: a.versionAfter,
  request_id: a.requestId,
  source_ip: a.sourceIp,
  details: { ...a.details },
});

const AUTH_ERRORS = { ...ERROR_RESPONSES, 401: ErrorBodySchema, 403: ErrorBodySchema } as const;

/**
 * Sign-in, tokens, users and the audit log: `POST/GET/DELETE /api/v1/session` (the web page's
 * sign-in with a token, an httpOnly SameSite=Strict cookie and a CSRF token),
 * `POST/GET /api/v1/tokens`, `DELETE /api/v1/tokens/{id}`, `GET/POST /api/v1/users` and
 * `GET /api/v1/audit`.
 *
 * @param app - the Fastify instance (zod type provider)
 * @param opts - identity, store, limiter, session settings
 */
export const accessRoutes: FastifyPluginAsyncZod<AccessRoutesOptions> = async (app, opts) => {
  const { identity } = opts;
  const tags = ['access'];
  const actorOf = (req: { actor: import('@dataportal/sdk').Actor | null }) => {
    if (!req.actor) throw new ServerError('UNAUTHORIZED', 401, 'authentication required');
    return req.actor;
  };

  app.post(
    '/session',
    {
      schema: {
        tags,
        summary: 'Sign in with a token: sets the httpOnly session cookie',
        description:
          'Send a dp_… token; the answer sets `dp_session` (httpOnly, SameSite=Strict) and gives ' +
          `the CSRF token to send as \`${CSRF_HEADER}\` on writes. Wrong tokens are counted per address (429 after 20 a minute).`,
        body: z.object({ token: z.string().min(1).max(256) }),
        response: { 200: SessionWireSchema, ...AUTH_ERRORS, 429: ErrorBodySchema },
      },
    },
    async (req, reply) => {
      opts.limiter.check(req.ip);
      const v = await identity.verifyToken(req.body.token);
      if (!v || v.token.kind === 'session') {
        opts.limiter.fail(req.ip);
        throw new ServerError('UNAUTHORIZED', 401, 'unknown, expired or revoked token');
      }
      const session = await identity.createToken(
        {
          userName: v.user.name,
          name: 'web session',
          role: v.actor.role,
          kind: 'session',
          expiresInMs: opts.sessionTtlMs,
        },
        { name: v.user.name, role: v.actor.role },
      );
      reply.setCookie(SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: opts.secureCookie,
        path: '/',
        maxAge: Math.floor(opts.sessionTtlMs / 1000),
      });
      return {
        user: v.user.name,
        role: v.actor.role,
        via: 'session' as const,
        csrf_token: csrfTokenOf(session.token),
        expires_at: iso(session.record.expiresAt),
      };
    },
  );

  app.get(
    '/session',
    {
      schema: {
        tags,
        summary: 'Who am I: user, role, and the CSRF token of a cookie session',
        response: { 200: SessionWireSchema, ...AUTH_ERRORS },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      return {
        user: actor.name,
        role: actor.role,
        via: req.authVia ?? 'token',
        csrf_token: req.sessionToken ? csrfTokenOf(req.sessionToken) : null,
        expires_at: null,
      };
    },
  );

  app.delete(
    '/session',
    {
      schema: {
        tags,
        summary: 'Sign out: revokes the session and clears the cookie',
        response: { 204: z.null(), ...AUTH_ERRORS },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      if (req.sessionToken) {
        const v = await identity.verifyToken(req.sessionToken);
        if (v) await identity.revokeToken(v.token.id, actor);
      }
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/tokens',
    {
      schema: {
        tags,
        summary: 'Make an API token (shown once)',
        description:
          'Admins make tokens for any user (`user`); everyone else for themselves, up to their own role.',
        body: z.object({
          name: z.string().trim().min(1).max(128),
          role: RoleSchema.optional().describe("defaults to the user's role"),
          expires_in_days: z.number().int().min(1).max(3650).nullish(),
          user: z.string().min(1).max(128).optional().describe('admins only; defaults to you'),
        }),
        response: { 201: NewTokenWireSchema, ...AUTH_ERRORS },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const b = req.body;
      const created = await identity.createToken(
        {
          userName: b.user ?? actor.name,
          name: b.name,
          ...(b.role && { role: b.role }),
          expiresInDays: b.expires_in_days ?? null,
        },
        actor,
      );
      return reply.code(201).send({ ...tokenToWire(created.record), token: created.token });
    },
  );

  app.get(
    '/tokens',
    {
      schema: {
        tags,
        summary: 'List tokens (never the tokens themselves): yours, or everyone’s for admins',
        querystring: z.object({
          user: z.string().min(1).max(128).optional(),
          include_revoked: z.enum(['true', 'false']).optional(),
        }),
        response: { 200: z.object({ items: z.array(TokenWireSchema) }), ...AUTH_ERRORS },
      },
    },
    async (req) => {
      const items = await identity.listTokens(actorOf(req), {
        ...(req.query.user && { userName: req.query.user }),
        includeRevoked: req.query.include_revoked === 'true',
      });
      return { items: items.map(tokenToWire) };
    },
  );

  app.delete(
    '/tokens/:id',
    {
      schema: {
        tags,
        summary: 'Revoke a token (effective at once)',
        params: IdParamsSchema,
        response: { 200: TokenWireSchema, ...AUTH_ERRORS },
      },
    },
    async (req) => tokenToWire(await identity.revokeToken(req.params.id, actorOf(req))),
  );

  app.get(
    '/users',
    {
      schema: {
        tags,
        summary: 'List users (admin)',
        response: { 200: z.object({ items: z.array(UserWireSchema) }), ...AUTH_ERRORS },
      },
    },
    async () => ({ items: (await identity.listUsers()).map(userToWire) }),
  );

  app.post(
    '/users',
    {
      schema: {
        tags,
        summary: 'Create or update a user (admin)',
        body: z.object({
          name: z.string().trim().min(1).max(128),
          display_name: z.string().max(255).optional(),
          email: z.email().max(255).optional(),
          role: RoleSchema,
        }),
        response: { 200: UserWireSchema, ...AUTH_ERRORS },
      },
    },
    async (req) => {
      const b = req.body;
      return userToWire(
        await identity.saveUser(
          {
            name: b.name,
            role: b.role,
            ...(b.display_name !== undefined && { displayName: b.display_name }),
            ...(b.email !== undefined && { email: b.email }),
          },
          actorOf(req),
        ),
      );
    },
  );

  app.get(
    '/audit',
    {
      schema: {
        tags,
        summary: 'The audit log, newest first (admin)',
        querystring: z.object({
          entity: z.string().max(64).optional(),
          entity_id: z.string().max(255).optional(),
          actor: z.string().max(128).optional(),
          since: z.iso.datetime({ offset: true }).optional(),
          before_id: z.coerce.number().int().positive().optional(),
          limit: z.coerce.number().int().min(1).max(500).optional(),
        }),
        response: { 200: z.object({ items: z.array(AuditWireSchema) }), ...AUTH_ERRORS },
      },
    },
    async (req) => {
      const q = req.query;
      const rows = await listAudit(opts.store.db, {
        ...(q.entity && { entity: q.entity }),
        ...(q.entity_id && { entityId: q.entity_id }),
        ...(q.actor && { actor: q.actor }),
        ...(q.since && { since: new Date(q.since) }),
        ...(q.before_id !== undefined && { beforeId: q.before_id }),
        ...(q.limit !== undefined && { limit: q.limit }),
      });
      return { items: rows.map(auditToWire) };
    },
  );
};
