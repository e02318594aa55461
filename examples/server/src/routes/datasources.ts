import { type PortalService, putSecret, type SecretBox } from '@dataportal/sdk';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { runDatasourceSync } from '../datasource-sync';
import { ServerError } from '../errors';
import { snakeDeep } from '../wire/case';
import {
  ERROR_RESPONSES,
  ErrorBodySchema,
  parseRef,
  RefParamsSchema,
  versionOf,
} from '../wire/common';
import {
  DatasourceBodySchema,
  DatasourceWireSchema,
  datasourceFromWire,
  datasourceToWire,
  SyncBodySchema,
  SyncReportWireSchema,
} from '../wire/datasource';

/** Options of {@link datasourceRoutes}. */
export interface DatasourceRoutesOptions {
  /** The portal. */
  readonly portal: PortalService;
  /** Resolves a datasource's `password_ref` (`env:VAR`, `secret:name`) to the password. */
  readonly resolvePassword: (ref: string) => string | undefined;
  /** Whether the operator allows a `password_ref` (see `isSecretRefAllowed`). */
  readonly allowSecretRef: (ref: string) => boolean;
  /** Encrypts plain passwords at rest (`DATAPORTAL_SECRET_KEY`); null refuses them. */
  readonly secretBox?: SecretBox | null;
}

/**
 * Stores a plain `password` encrypted (AES-256-GCM, `dp_secret`) and returns the reference the
 * datasource keeps, or refuses it when no key is configured — never drops it silently.
 *
 * @param opts - the routes' options (portal, secret box)
 * @param name - the datasource name
 * @param password - the plain password, if sent
 * @param ref - the `password_ref` sent, if any
 * @returns the reference to store
 * @internal
 */
export async function sealPassword(
  opts: DatasourceRoutesOptions,
  name: string,
  password: string | undefined,
  ref: string | undefined,
): Promise<string | undefined> {
  if (password === undefined) return ref;
  if (ref !== undefined) {
    throw new ServerError('VALIDATION_FAILED', 400, 'send password or password_ref, not both', {
      issues: [{ in: 'body', field: 'password', message: 'conflicts with password_ref' }],
    });
  }
  if (!opts.secretBox) {
    throw new ServerError(
      'SECRET_KEY_MISSING',
      422,
      'a plain password is stored only encrypted, and DATAPORTAL_SECRET_KEY is not set: set it (32 bytes, e.g. `openssl rand -base64 32`), or send password_ref secret:<name> (read from DATAPORTAL_SECRET_<NAME>)',
      { issues: [{ in: 'body', field: 'password', message: 'no encryption key configured' }] },
    );
  }
  const secretName = `datasource.${name}`;
  await putSecret(opts.portal.store, opts.secretBox, secretName, password);
  return `secret:${secretName}`;
}

/**
 * Refuses a password reference outside the operator's allow-list, so a caller can never make
 * the server hand one of its own variables (engine tokens, store URL) to a warehouse login.
 *
 * @param ref - the `password_ref` sent, if any
 * @param allow - the allow-list check
 * @internal
 */
export function checkSecretRef(ref: string | undefined, allow: (ref: string) => boolean): void {
  if (ref === undefined || allow(ref)) return;
  throw new ServerError(
    'SECRET_REF_NOT_ALLOWED',
    422,
    `password_ref ${ref.slice(0, 80)} is not allowed: use secret:<name> (read from DATAPORTAL_SECRET_<NAME>), ` +
      'env:DATAPORTAL_SECRET_…, or a variable the operator lists in DATAPORTAL_SECRET_REFS',
    { issues: [{ in: 'body', field: 'password_ref', message: 'not in the allow-list' }] },
  );
}

/**
 * Datasources and metadata sync from Doris, MySQL 8 and MariaDB: the sync reads the warehouse's
 * catalogue and records fields, statistics and drift of the registered tables.
 *
 * @param app - the Fastify instance
 * @param opts - the portal and the password resolver
 * @example
 * ```ts
 * await app.register((a) => datasourceRoutes(a, { portal, resolvePassword }), { prefix: '/api/v1' });
 * ```
 */
export async function datasourceRoutes(
  app: FastifyInstance,
  opts: DatasourceRoutesOptions,
): Promise<void> {
  const { portal } = opts;
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['datasources'];

  api.get(
    '/datasources',
    {
      schema: {
        tags,
        summary: 'List datasources',
        response: { 200: z.object({ items: z.array(DatasourceWireSchema) }) },
      },
    },
    async () => ({ items: (await portal.listDatasources()).map(datasourceToWire) }),
  );

  api.post(
    '/datasources',
    {
      schema: {
        tags,
        summary: 'Register a datasource (the password stays outside: password_ref env:VAR)',
        body: DatasourceBodySchema,
        response: { 201: DatasourceWireSchema, ...ERROR_RESPONSES, 422: ErrorBodySchema },
      },
    },
    async (req, reply) => {
      const { input } = datasourceFromWire(req.body);
      checkSecretRef(input.passwordRef, opts.allowSecretRef);
      const passwordRef = await sealPassword(
        opts,
        input.name,
        req.body.password,
        input.passwordRef,
      );
      const ds = await portal.createDatasource({
        ...input,
        ...(passwordRef !== undefined && { passwordRef }),
      });
      return reply.code(201).send(datasourceToWire(ds));
    },
  );

  api.get(
    '/datasources/:id',
    {
      schema: {
        tags,
        summary: 'Read a datasource by id or name',
        params: RefParamsSchema,
        response: { 200: DatasourceWireSchema, ...ERROR_RESPONSES },
      },
    },
    async (req) => datasourceToWire(await portal.getDatasource(parseRef(req.params.id))),
  );

  api.put(
    '/datasources/:id',
    {
      schema: {
        tags,
        summary:
          'Replace a datasource’s settings (send the `version` you read, or `If-Match`; 428 without)',
        params: RefParamsSchema,
        body: DatasourceBodySchema,
        response: { 200: DatasourceWireSchema, ...ERROR_RESPONSES },
      },
    },
    async (req) => {
      const parsed = datasourceFromWire(req.body);
      const { input } = parsed;
      const version = versionOf(parsed.version, req.headers['if-match']);
      checkSecretRef(input.passwordRef, opts.allowSecretRef);
      const passwordRef = await sealPassword(
        opts,
        input.name,
        req.body.password,
        input.passwordRef,
      );
      return datasourceToWire(
        await portal.updateDatasource(parseRef(req.params.id), {
          ...input,
          ...(passwordRef !== undefined && { passwordRef }),
          ...(version !== undefined && { version }),
        }),
      );
    },
  );

  api.delete(
    '/datasources/:id',
    {
      schema: {
        tags,
        summary: 'Delete a datasource',
        params: RefParamsSchema,
        response: { 204: z.null(), ...ERROR_RESPONSES },
      },
    },
    async (req, reply) => {
      await portal.deleteDatasource(parseRef(req.params.id));
      return reply.code(204).send(null);
    },
  );

  api.post(
    '/datasources/:id/sync',
    {
      schema: {
        tags,
        summary: 'Sync metadata: fields, row counts, sizes and drift of the registered tables',
        params: RefParamsSchema,
        body: SyncBodySchema,
        response: { 200: SyncReportWireSchema, ...ERROR_RESPONSES, 502: ErrorBodySchema },
      },
    },
    async (req) => {
      const ds = await portal.getDatasource(parseRef(req.params.id));
      const b = req.body ?? {};
      const report = await runDatasourceSync(portal, ds, {
        ...(b.databases && { databases: b.databases }),
        ...(b.tables && { tables: b.tables }),
        ...(b.catalog && { catalog: b.catalog }),
        ...(b.register_unknown !== undefined && { registerUnknown: b.register_unknown }),
        ...(b.default_layer && { defaultLayer: b.default_layer }),
        ...(b.update_fields !== undefined && { updateFields: b.update_fields }),
        ...(b.exact_counts !== undefined && { exactCounts: b.exact_counts }),
        resolvePassword: opts.resolvePassword,
        secretBox: opts.secretBox ?? null,
      });
      return snakeDeep(report) as z.infer<typeof SyncReportWireSchema>;
    },
  );
}
