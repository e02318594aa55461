import { createHash, randomUUID } from 'node:crypto';
import type { DolphinClient } from '@dataportal/adapters-dolphin';
import { IdentityService, type PortalService, roleAtLeast, type SecretBox } from '@dataportal/sdk';
import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
  LogController,
} from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { installAuth } from './auth/auth-hooks';
import { createFailedAuthLimiter } from './auth/failed-auth-limiter';
import { registerLoginPage } from './auth/login-page';
import type { OidcVerifier } from './auth/oidc';
import { ROUTE_RULES } from './auth/route-rules';
import { createCallbackAuth } from './callback-auth';
import { ServerError, toErrorBody } from './errors';
import {
  clientErrorHandler,
  DEFAULT_REQUEST_LIMITS,
  limitConnectionsPerIp,
  type RequestLimits,
} from './limits';
import { accessRoutes } from './routes/access';
import { callbackRoutes } from './routes/callbacks';
import { datasourceRoutes } from './routes/datasources';
import { executionRoutes } from './routes/executions';
import { healthRoutes, type ReadinessCheck } from './routes/health';
import { lineageRoutes } from './routes/lineage';
import { openLineageRoutes } from './routes/openlineage';
import type { RouteContext } from './routes/route-context';
import { sqlRoutes } from './routes/sql';
import { streamRoutes } from './routes/streams';
import { tableRoutes } from './routes/tables';
import { taskRoutes } from './routes/tasks';
import { registerWeb, sendAppShell, wantsAppShell } from './web';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request body exactly as received (JSON bodies), for callback signatures. */
    rawBody?: string;
  }
  interface FastifyInstance {
    /** Every documented route as `METHOD /path/{param}` (what the OpenAPI document must list). */
    readonly apiRoutes: readonly string[];
  }
}

/** Paths whose values pino replaces with `[redacted]` in every log line. */
export const REDACTED_LOG_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers.token',
  'req.headers["x-dataportal-secret"]',
  'req.headers["x-dataportal-signature"]',
  '*.password',
  '*.token',
  '*.apiKey',
  '*.secret',
  '*.callbackSecret',
  '*.databaseUrl',
];

/**
 * Logs one line per finished request — `GET /api/v1/tasks 200 3.1 ms` — with the method, URL,
 * status, duration and client address as fields (Fastify logs two: incoming and completed).
 * Routes with a higher log level (e.g. `/healthz` at `warn`) stay quiet.
 */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    req: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (this.isLogDisabled(req)) return;
    const ms = Math.round(reply.elapsedTime * 10) / 10;
    const status = reply.statusCode;
    const fields = { method: req.method, url: req.url, statusCode: status, ms, remote: req.ip };
    const msg = `${req.method} ${req.url} ${status} ${ms} ms`;
    if (error || status >= 500) reply.log.error({ ...fields, ...(error && { err: error }) }, msg);
    else reply.log.info(fields, msg);
  }
}

/** How {@link buildApp} authenticates callers. */
export interface AppAuthOptions {
  /** Users and tokens; defaults to an {@link IdentityService} over the portal's store. */
  readonly identity?: IdentityService;
  /** Company OIDC tokens, when configured. */
  readonly oidc?: OidcVerifier | null;
  /** Browser session length in hours. Defaults to 12. */
  readonly sessionHours?: number;
  /** Mark the session cookie `Secure` (set when the server is reached over https). */
  readonly secureCookie?: boolean;
  /** Wrong tokens allowed per address and minute before 429. Defaults to 20. */
  readonly maxFailedAuthPerMinute?: number;
}

/** Options of {@link buildApp}. */
export interface BuildAppOptions {
  /** The portal the routes serve (its store and engines are the app's). */
  readonly portal: PortalService;
  /**
   * Logging: false (default, for tests), true, or pino options (level, transport …). Secrets
   * in {@link REDACTED_LOG_PATHS} are always redacted.
   */
  readonly logger?: boolean | Record<string, unknown>;
  /** A ready pino logger (overrides `logger`); create it with {@link REDACTED_LOG_PATHS}. */
  readonly loggerInstance?: FastifyBaseLogger;
  /** Shared secret for callbacks; null or absent leaves callbacks open. */
  readonly callbackSecret?: string | null;
  /** Replay window for signed callbacks, in seconds. Defaults to 300. */
  readonly callbackWindowSeconds?: number;
  /** Allowed CORS origins: `true` for any, a list, or false/absent for none. */
  readonly corsOrigins?: boolean | readonly string[];
  /** Largest accepted request body in bytes. Defaults to 2 MiB. */
  readonly bodyLimit?: number;
  /** How each engine is provided (`embedded`, `simulated`, `external`), shown by `/healthz`. */
  readonly engineModes?: Readonly<Record<string, 'embedded' | 'simulated' | 'external'>>;
  /** Readiness checks; defaults to pinging the store and every configured engine. */
  readonly readinessChecks?: Readonly<Record<string, ReadinessCheck>>;
  /** Resolves a datasource's password reference for metadata sync (none by default). */
  readonly resolvePassword?: (ref: string) => string | undefined;
  /**
   * Which `password_ref` values a datasource may carry. Defaults to `secret:<name>` only; the
   * CLI passes `isSecretRefAllowed` over its environment.
   */
  readonly allowSecretRef?: (ref: string) => boolean;
  /** Encrypts datasource passwords at rest (from `DATAPORTAL_SECRET_KEY`); null refuses plain ones. */
  readonly secretBox?: SecretBox | null;
  /** Zone DolphinScheduler's alert server prints dates in. Defaults to `UTC`. */
  readonly dolphinAlertTimeZone?: string;
  /** Client of the DolphinScheduler engine: resolves workflow alerts into per-task executions. */
  readonly dolphinClient?: DolphinClient;
  /** Called when the app closes, after in-flight requests finished (stop engines, close pools). */
  readonly onClose?: () => Promise<void>;
  /** The server's public URL, shown in the OpenAPI document. */
  readonly publicUrl?: string;
  /**
   * Authentication: tokens, OIDC and sessions (the default), or `'off'` — every caller acts as
   * an anonymous admin; the CLI allows that only when listening on loopback.
   */
  readonly auth?: AppAuthOptions | 'off';
  /**
   * Requests per caller (token, else address) and window; 429 with `Retry-After` beyond.
   * Defaults to 600 a minute; false turns it off (tests).
   */
  readonly rateLimit?: { readonly max: number; readonly windowMs: number } | false;
  /**
   * Folder of the built web app (`examples/web/dist`), served at `/` with a fallback to its
   * `index.html` for the app's own page paths. Absent (or a folder without `index.html`): no
   * web app, only the API.
   */
  readonly webRoot?: string;
  /** Request, header and keep-alive timeouts and connections per address (defaults: {@link DEFAULT_REQUEST_LIMITS}). */
  readonly limits?: Partial<RequestLimits>;
}

function defaultChecks(portal: PortalService): Record<string, ReadinessCheck> {
  const checks: Record<string, ReadinessCheck> = { store: () => portal.store.ping() };
  for (const name of portal.engines) {
    const engine = name === 'dinky' ? portal.streamEngine('dinky') : portal.batchEngine(name);
    const ping = engine?.ping?.bind(engine);
    if (ping) checks[name] = () => ping();
  }
  return checks;
}

/**
 * Builds the DataPortal HTTP API (Fastify 5, zod schemas, OpenAPI 3.1 at `/openapi.json`,
 * docs at `/docs`) around a portal. It never listens: call `listen` (the CLI does) or `inject`
 * (tests do).
 *
 * @param options - portal, logging, callback secret, CORS, limits
 * @returns the ready-to-listen Fastify instance
 * @example
 * ```ts
 * const store = await openStore({ url: 'sqlite::memory:', migrate: true });
 * const app = await buildApp({ portal: new PortalService({ store }) });
 * const res = await app.inject({ method: 'GET', url: '/api/v1/lineage' });
 * ```
 */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const loggerOption: FastifyServerOptions['logger'] =
    options.logger === undefined || options.logger === false
      ? false
      : {
          ...(options.logger === true ? {} : options.logger),
          redact: { paths: [...REDACTED_LOG_PATHS], censor: '[redacted]' },
        };
  const limits: RequestLimits = { ...DEFAULT_REQUEST_LIMITS, ...options.limits };
  let logger: FastifyBaseLogger | undefined;
  const app = Fastify({
    // Bounded requests: the whole request within requestTimeout, headers within headersTimeout
    // (Node answers through clientErrorHandler: 408), idle keep-alive sockets closed.
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    http: {
      headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
      connectionsCheckingInterval: limits.checkIntervalMs,
    },
    clientErrorHandler: clientErrorHandler(limits, () => logger as FastifyBaseLogger),
    ...(options.loggerInstance
      ? { loggerInstance: options.loggerInstance }
      : { logger: loggerOption }),
    bodyLimit: options.bodyLimit ?? 2 * 1024 * 1024,
    requestIdHeader: 'x-request-id',
    // One line per request instead of Fastify's two.
    logController: new OneLinePerRequest(),
    genReqId: () => randomUUID(),
    // Idle keep-alive sockets must not hold a graceful shutdown open.
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 300 },
  });
  logger = app.log;
  limitConnectionsPerIp(app.server, limits.maxConnectionsPerIp, () => app.log);
  const apiRoutes: string[] = [];
  app.decorate('apiRoutes', apiRoutes);
  app.addHook('onRoute', (route) => {
    const hidden = (route.schema as { hide?: boolean } | undefined)?.hide === true;
    if (hidden || route.url.startsWith('/docs')) return;
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods) if (m !== 'HEAD') apiRoutes.push(`${m} ${path}`);
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const jsonParser = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    req.rawBody = body as string;
    jsonParser(req, body as string, done);
  });

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  app.setErrorHandler((err, req, reply) => {
    const body = toErrorBody(err);
    const retry = body.details?.['retryAfterSeconds'];
    if (body.statusCode === 429 && typeof retry === 'number') reply.header('retry-after', retry);
    if (body.statusCode >= 500) req.log.error({ err }, 'request failed');
    else req.log.info({ code: body.code, message: body.message }, 'request refused');
    return reply.code(body.statusCode).type('application/json').send(JSON.stringify(body));
  });
  let webServed = false;
  app.setNotFoundHandler((req, reply) => {
    if (webServed && wantsAppShell(req)) return sendAppShell(reply);
    const body = toErrorBody(
      Object.assign(new Error(`no route for ${req.method} ${req.url.split('?')[0]}`), {
        statusCode: 404,
      }),
    );
    return reply.code(404).type('application/json').send(JSON.stringify(body));
  });

  await app.register(cookie);
  // Security headers; the docs page brings its own CSP for its static files.
  await app.register(helmet, { global: true });
  const rate = options.rateLimit ?? { max: 600, windowMs: 60_000 };
  if (rate !== false) {
    await app.register(rateLimit, {
      global: true,
      max: rate.max,
      timeWindow: rate.windowMs,
      keyGenerator: (req) => {
        const credential = req.headers.authorization ?? req.cookies?.['dp_session'];
        return credential
          ? `c:${createHash('sha256').update(credential).digest('base64url').slice(0, 22)}`
          : `ip:${req.ip}`;
      },
      errorResponseBuilder: (_req, ctx) =>
        new ServerError('RATE_LIMITED', 429, `rate limit exceeded: retry in ${ctx.after}`, {
          retryAfterSeconds: Math.max(1, Math.ceil(ctx.ttl / 1000)),
        }),
    });
  }
  const authOptions = options.auth ?? {};
  const identity =
    authOptions === 'off'
      ? null
      : (authOptions.identity ?? new IdentityService({ store: options.portal.store }));
  const limiter = createFailedAuthLimiter({
    maxFailures: authOptions === 'off' ? 20 : (authOptions.maxFailedAuthPerMinute ?? 20),
  });
  installAuth(
    app,
    identity === null || authOptions === 'off'
      ? null
      : { identity, portal: options.portal, oidc: authOptions.oidc ?? null, limiter },
  );
  // Public routes say so in the OpenAPI document; every other route needs a credential.
  app.addHook('onRoute', (route) => {
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const method = Array.isArray(route.method) ? route.method[0] : route.method;
    const rule = ROUTE_RULES[`${method} ${path}`];
    if (!rule || !route.schema || (route.schema as { hide?: boolean }).hide) return;
    const schema = route.schema as { security?: unknown; description?: string };
    if (rule.access === 'public') schema.security = [];
    else if (rule.access === 'callback') {
      schema.security = [{ callbackSecret: [] }, { callbackSignature: [] }, { bearerAuth: [] }];
    }
    const needs =
      rule.access === 'role'
        ? `Needs the ${rule.role} role${rule.owner ? ` and ownership of the ${rule.owner.entity} (admins: any)` : ''}.`
        : rule.access === 'user'
          ? 'Needs any signed-in user.'
          : rule.access === 'callback'
            ? 'Needs the callback secret or signature, or a developer token.'
            : 'Public.';
    schema.description = schema.description ? `${schema.description}\n\n${needs}` : needs;
  });

  if (options.corsOrigins) {
    await app.register(cors, {
      origin: options.corsOrigins === true ? true : [...options.corsOrigins],
    });
  }

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'DataPortal API',
        version: '1.0.0',
        description:
          'Tables, tasks and their lineage for a DolphinScheduler + Dinky + Doris warehouse. ' +
          'Every error answers `{statusCode, code, error, message, details?}`.',
      },
      ...(options.publicUrl ? { servers: [{ url: options.publicUrl }] } : {}),
      components: {
        securitySchemes: {
          bearerAuth: {
            type: 'http',
            scheme: 'bearer',
            description: 'a dp_… API token (POST /api/v1/tokens) or a company OIDC token',
          },
          cookieAuth: {
            type: 'apiKey',
            in: 'cookie',
            name: 'dp_session',
            description:
              'the browser session of POST /api/v1/session; writes also need x-csrf-token',
          },
          callbackSecret: { type: 'apiKey', in: 'header', name: 'x-dataportal-secret' },
          callbackSignature: { type: 'apiKey', in: 'header', name: 'x-dataportal-signature' },
        },
      },
      security: [{ bearerAuth: [] }, { cookieAuth: [] }],
      tags: [
        { name: 'tables', description: 'Registered tables and their fields' },
        { name: 'tasks', description: 'Tasks, publishing and runs' },
        { name: 'executions', description: 'Recorded runs, logs, statistics' },
        { name: 'lineage', description: 'Table lineage queries' },
        { name: 'streams', description: 'Stream jobs on Dinky' },
        { name: 'callbacks', description: 'Run reports from engines' },
        { name: 'datasources', description: 'Warehouses and metadata sync' },
        { name: 'health', description: 'Liveness and readiness' },
        { name: 'access', description: 'Sign-in, API tokens, users and the audit log' },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  registerLoginPage(app);
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const ctx: RouteContext = {
    portal: options.portal,
    callbackAuth: createCallbackAuth({
      secret: options.callbackSecret ?? null,
      ...(options.callbackWindowSeconds !== undefined && {
        windowSeconds: options.callbackWindowSeconds,
      }),
    }),
    // With auth on, a callback needs the secret/signature or a developer's token.
    callbackCaller: (req) =>
      identity === null
        ? 'open'
        : req.actor && roleAtLeast(req.actor.role, 'developer')
          ? 'trusted'
          : 'unknown',
    ...(options.dolphinAlertTimeZone && { dolphinAlertTimeZone: options.dolphinAlertTimeZone }),
    ...(options.dolphinClient && { dolphinClient: options.dolphinClient }),
  };
  await app.register(healthRoutes, {
    checks: options.readinessChecks ?? defaultChecks(options.portal),
    ...(options.engineModes && { engines: options.engineModes }),
  });
  await app.register(
    async (api) => {
      if (identity !== null && authOptions !== 'off') {
        await api.register(accessRoutes, {
          identity,
          store: options.portal.store,
          limiter,
          sessionTtlMs: (authOptions.sessionHours ?? 12) * 3_600_000,
          secureCookie:
            authOptions.secureCookie ?? options.publicUrl?.startsWith('https:') ?? false,
        });
      }
      await api.register(tableRoutes, ctx);
      await api.register(taskRoutes, ctx);
      await api.register(callbackRoutes, ctx);
      await api.register(streamRoutes, ctx);
      await api.register(executionRoutes, ctx);
      await api.register(lineageRoutes, ctx);
      await api.register(sqlRoutes, ctx);
      await api.register(openLineageRoutes, ctx);
      await api.register(async (a) =>
        datasourceRoutes(a, {
          portal: options.portal,
          resolvePassword: options.resolvePassword ?? (() => undefined),
          allowSecretRef: options.allowSecretRef ?? ((ref) => ref.startsWith('secret:')),
          secretBox: options.secretBox ?? null,
        }),
      );
    },
    { prefix: '/api/v1' },
  );
  if (options.webRoot) webServed = await registerWeb(app, options.webRoot);
  if (options.onClose) {
    const onClose = options.onClose;
    app.addHook('onClose', async () => {
      await onClose();
    });
  }
  return app.withTypeProvider<ZodTypeProvider>();
}
