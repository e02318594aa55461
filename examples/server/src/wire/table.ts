import {
  type Field,
  type FieldInput,
  FieldInputSchema,
  FieldKeySchema,
  LayerSchema,
  type Table,
  type TableInput,
  TableInputSchema,
  type TablePatch,
  TablePatchSchema,
  TableStatusSchema,
} from '@dataportal/sdk';
import { z } from 'zod';
import { camelKeys, snakeShape } from './case';
import { iso, PageQuerySchema, pageSchema, WireTimestampSchema } from './common';

/** A column in a request body (`default_value` on the wire). */
export const FieldBodySchema = z
  .object(snakeShape(FieldInputSchema.shape))
  .meta({ id: 'FieldSpec' });

/** `POST /api/v1/tables` body. */
export const TableBodySchema = z
  .object({
    ...snakeShape(TableInputSchema.shape),
    fields: z.array(FieldBodySchema).max(2000).optional(),
  })
  .meta({ id: 'NewTable' });

/** `PATCH /api/v1/tables/{id}` body. */
export const TablePatchBodySchema = z
  .object(snakeShape(TablePatchSchema.shape))
  .meta({ id: 'TablePatch' });

/** `PUT /api/v1/tables/{id}/fields` body. */
export const FieldsBodySchema = z.object({ fields: z.array(FieldBodySchema).max(2000) });

/** `POST /api/v1/tables/{id}/deprecate` body (optional). */
export const DeprecateBodySchema = z
  .object({ version: z.number().int().min(1).optional() })
  .nullish();

/** `GET /api/v1/tables` query. */
export const TableListQuerySchema = PageQuerySchema.extend({
  layer: LayerSchema.optional(),
  owner: z.string().max(128).optional(),
  status: TableStatusSchema.optional(),
  prefix: z.string().max(190).optional().describe('qualified-name prefix, e.g. `dwd.`'),
  datasource: z.string().max(128).optional(),
});

/** A column on the wire. */
export const FieldWireSchema = z
  .object({
    id: z.number().int(),
    table_id: z.number().int(),
    ordinal: z.number().int(),
    name: z.string(),
    type: z.string(),
    description: z.string().nullable(),
    nullable: z.boolean(),
    key: FieldKeySchema,
    default_value: z.string().nullable(),
  })
  .meta({ id: 'Field' });

/** A registered table on the wire. */
export const TableWireSchema = z
  .object({
    id: z.number().int(),
    qualified_name: z.string(),
    database: z.string(),
    name: z.string(),
    layer: LayerSchema,
    owner: z.string().nullable(),
    status: TableStatusSchema,
    description: z.string().nullable(),
    tags: z.array(z.string()),
    datasource: z.string().nullable(),
    stats: z.object({
      row_count: z.number().nullable(),
      data_size: z.number().nullable(),
      last_modified: WireTimestampSchema.nullable(),
      synced_at: WireTimestampSchema.nullable(),
      drift: z
        .object({
          columns_added: z.array(z.string()),
          columns_removed: z.array(z.string()),
          type_changed: z.array(z.object({ name: z.string(), from: z.string(), to: z.string() })),
          missing_in_warehouse: z.boolean(),
        })
        .nullable(),
    }),
    version: z.number().int(),
    created_at: WireTimestampSchema,
    updated_at: WireTimestampSchema,
  })
  .meta({ id: 'Table' });
/** A table on the wire. */
export type TableWire = z.infer<typeof TableWireSchema>;

/** A page of tables. */
export const TablePageSchema = pageSchema(TableWireSchema);

/**
 * Maps a table to the wire.
 *
 * @param t - the sdk table
 * @returns its snake_case form
 * @example
 * ```ts
 * reply.send(tableToWire(await portal.getTable('ods.orders')));
 * ```
 */
export function tableToWire(t: Table): TableWire {
  const d = t.stats.drift;
  return {
    id: t.id,
    qualified_name: t.qualifiedName,
    database: t.database,
    name: t.name,
    layer: t.layer,
    owner: t.owner,
    status: t.status,
    description: t.description,
    tags: t.tags,
    datasource: t.datasource,
    stats: {
      row_count: t.stats.rowCount,
      data_size: t.stats.dataSize,
      last_modified: iso(t.stats.lastModified),
      synced_at: iso(t.stats.syncedAt),
      drift: d
        ? {
            columns_added: d.columnsAdded,
            columns_removed: d.columnsRemoved,
            type_changed: d.typeChanged,
            missing_in_warehouse: d.missingInWarehouse,
          }
        : null,
    },
    version: t.version,
    created_at: t.createdAt.toISOString(),
    updated_at: t.updatedAt.toISOString(),
  };
}

/**
 * Maps a column to the wire.
 *
 * @param f - the sdk field
 * @returns its snake_case form
 * @example
 * ```ts
 * (await portal.getFields('ods.orders')).map(fieldToWire);
 * ```
 */
export function fieldToWire(f: Field): z.infer<typeof FieldWireSchema> {
  return {
    id: f.id,
    table_id: f.tableId,
    ordinal: f.ordinal,
    name: f.name,
    type: f.type,
    description: f.description ?? null,
    nullable: f.nullable,
    key: f.key,
    default_value: f.defaultValue ?? null,
  };
}

/**
 * Maps a column from the wire.
 *
 * @param f - a parsed `FieldBodySchema` value
 * @returns the sdk input
 * @example
 * ```ts
 * fieldFromWire({ name: 'id', type: 'bigint', nullable: false, key: 'primary' });
 * ```
 */
export function fieldFromWire(f: z.output<typeof FieldBodySchema>): FieldInput {
  return camelKeys(f) as FieldInput;
}

/**
 * Maps a table registration from the wire.
 *
 * @param body - a parsed `TableBodySchema` value
 * @returns the sdk input
 * @example
 * ```ts
 * await portal.registerTable(tableFromWire(req.body));
 * ```
 */
export function tableFromWire(body: z.output<typeof TableBodySchema>): TableInput {
  const { fields, ...rest } = body;
  const input = camelKeys(rest) as TableInput;
  return fields ? { ...input, fields: fields.map(fieldFromWire) } : input;
}

/**
 * Maps a table patch from the wire.
 *
 * @param body - a parsed `TablePatchBodySchema` value
 * @returns the sdk patch
 * @example
 * ```ts
 * await portal.updateTable(42, tablePatchFromWire({ owner: 'bi', version: 3 }));
 * ```
 */
export function tablePatchFromWire(body: z.output<typeof TablePatchBodySchema>): TablePatch {
  return camelKeys(body) as TablePatch;
}
