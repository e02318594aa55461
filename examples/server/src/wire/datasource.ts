import {
  type Datasource,
  type DatasourceInput,
  DatasourceInputSchema,
  DatasourceKindSchema,
  LayerSchema,
} from '@dataportal/sdk';
import { z } from 'zod';
import { camelKeys, snakeShape } from './case';

/** `POST /api/v1/datasources` and `PUT /api/v1/datasources/{id}` body. */
export const DatasourceBodySchema = z
  .object({
    ...snakeShape(DatasourceInputSchema.shape),
    password: z
      .string()
      .min(1)
      .max(1024)
      .optional()
      .describe(
        'the password itself: stored encrypted (AES-256-GCM) when DATAPORTAL_SECRET_KEY is set, refused (422) otherwise; never answered back',
      ),
    version: z.number().int().min(1).optional().describe('for PUT: the version you read'),
  })
  .meta({ id: 'NewDatasource' });

/** A datasource on the wire (never a password: only where to find it). */
export const DatasourceWireSchema = z
  .object({
    id: z.number().int(),
    name: z.string(),
    kind: DatasourceKindSchema,
    host: z.string().nullable(),
    port: z.number().int().nullable(),
    user: z.string().nullable(),
    password_ref: z.string().nullable().describe('env:VAR or secret:name; never the password'),
    database: z.string().nullable(),
    path: z.string().nullable(),
    dolphin_datasource: z.string().nullable(),
    description: z.string().nullable(),
    options: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    version: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'Datasource' });

/**
 * Maps a datasource to the wire.
 *
 * @param d - the sdk datasource
 * @returns its snake_case form
 * @example
 * ```ts
 * (await portal.listDatasources()).map(datasourceToWire);
 * ```
 */
export function datasourceToWire(d: Datasource): z.infer<typeof DatasourceWireSchema> {
  return {
    id: d.id,
    name: d.name,
    kind: d.kind,
    host: d.host ?? null,
    port: d.port ?? null,
    user: d.user ?? null,
    password_ref: d.passwordRef ?? null,
    database: d.database ?? null,
    path: d.path ?? null,
    dolphin_datasource: d.dolphinDatasource ?? null,
    description: d.description ?? null,
    options: d.options ?? {},
    version: d.version,
    created_at: d.createdAt.toISOString(),
    updated_at: d.updatedAt.toISOString(),
  };
}

/**
 * Maps a datasource body from the wire.
 *
 * @param body - a parsed `DatasourceBodySchema` value
 * @returns the sdk input and the version read (for updates)
 * @example
 * ```ts
 * const { input } = datasourceFromWire(req.body);
 * ```
 */
export function datasourceFromWire(body: z.output<typeof DatasourceBodySchema>): {
  input: DatasourceInput;
  version: number | undefined;
} {
  // A plain password never goes further than the route, which seals it (see `sealPassword`).
  const { version, password: _plain, ...rest } = body;
  return { input: camelKeys(rest) as DatasourceInput, version };
}

/** `POST /api/v1/datasources/{id}/sync` body. */
export const SyncBodySchema = z
  .object({
    databases: z.array(z.string().min(1).max(128)).max(1000).optional(),
    tables: z.array(z.string().min(1).max(190)).max(10_000).optional(),
    catalog: z.string().max(128).optional(),
    register_unknown: z.boolean().optional().describe('register unknown tables as drafts'),
    default_layer: LayerSchema.optional(),
    update_fields: z.boolean().optional(),
    exact_counts: z.boolean().optional(),
  })
  .nullish()
  .meta({ id: 'SyncRequest' });

/** The report of a metadata sync (counts, drift per table, errors), snake_case. */
export const SyncReportWireSchema = z
  .object({
    datasource: z.string(),
    duration_ms: z.number(),
    counts: z.record(z.string(), z.number()),
  })
  .catchall(z.unknown())
  .meta({ id: 'SyncReport' });
