import { z } from 'zod';
import { LayerSchema, NameSchema, TableNameSchema, TagsSchema } from './common.js';

/** Lifecycle of a registered table. */
export const TableStatusSchema = z.enum(['draft', 'active', 'deprecated']);
/** A table status, see {@link TableStatusSchema}. */
export type TableStatus = z.infer<typeof TableStatusSchema>;

/** Kind of key a column takes part in (`duplicate`/`aggregate` are Doris key models). */
export const FieldKeySchema = z.enum([
  'primary',
  'unique',
  'duplicate',
  'aggregate',
  'index',
  'none',
]);
/** A field key kind, see {@link FieldKeySchema}. */
export type FieldKey = z.infer<typeof FieldKeySchema>;

/** A column of a table, as given by a user or a metadata sync. */
export const FieldInputSchema = z.object({
  name: z.string().trim().min(1).max(128),
  type: z.string().trim().min(1).max(128),
  description: z.string().max(2000).optional(),
  nullable: z.boolean().default(true),
  key: FieldKeySchema.default('none'),
  defaultValue: z.string().max(1000).nullable().optional(),
});
/** A column definition, see {@link FieldInputSchema}. */
export type FieldInput = z.input<typeof FieldInputSchema>;

/** A stored column of a table. */
export const FieldSchema = FieldInputSchema.extend({
  id: z.number().int(),
  tableId: z.number().int(),
  ordinal: z.number().int().min(0),
  nullable: z.boolean(),
  key: FieldKeySchema,
});
/** A stored column, see {@link FieldSchema}. */
export type Field = z.infer<typeof FieldSchema>;

/** How a registered table differs from what the warehouse reported at the last sync. */
export const TableDriftSchema = z.object({
  /** Columns the warehouse has and the registry did not. */
  columnsAdded: z.array(z.string()),
  /** Columns the registry had and the warehouse no longer has. */
  columnsRemoved: z.array(z.string()),
  /** Columns whose type changed. */
  typeChanged: z.array(z.object({ name: z.string(), from: z.string(), to: z.string() })),
  /** The table was not found in the warehouse at all. */
  missingInWarehouse: z.boolean(),
});
/** Drift found by the last sync, see {@link TableDriftSchema}. */
export type TableDrift = z.infer<typeof TableDriftSchema>;

/** Statistics read from the warehouse by a metadata sync. */
export const TableStatsSchema = z.object({
  rowCount: z.number().int().nullable(),
  dataSize: z.number().int().nullable(),
  lastModified: z.date().nullable(),
  syncedAt: z.date().nullable(),
  drift: TableDriftSchema.nullable(),
});
/** Synced table statistics, see {@link TableStatsSchema}. */
export type TableStats = z.infer<typeof TableStatsSchema>;

/** Input to register a table. */
export const TableInputSchema = z.object({
  qualifiedName: TableNameSchema,
  layer: LayerSchema,
  owner: z.string().trim().max(128).optional(),
  status: TableStatusSchema.default('active'),
  description: z.string().max(4000).optional(),
  tags: TagsSchema.default([]),
  datasource: NameSchema.optional(),
  fields: z.array(FieldInputSchema).max(2000).optional(),
});
/** Input to register a table, see {@link TableInputSchema}. */
export type TableInput = z.input<typeof TableInputSchema>;

/** Changes to a registered table; `version` is the version the caller read (optimistic lock). */
export const TablePatchSchema = z.object({
  layer: LayerSchema.optional(),
  owner: z.string().trim().max(128).nullable().optional(),
  status: TableStatusSchema.optional(),
  description: z.string().max(4000).nullable().optional(),
  tags: TagsSchema.optional(),
  datasource: NameSchema.nullable().optional(),
  version: z.number().int().min(1).optional(),
});
/** Changes to a table, see {@link TablePatchSchema}. */
export type TablePatch = z.input<typeof TablePatchSchema>;

/** A registered table. */
export const TableSchema = z.object({
  id: z.number().int(),
  qualifiedName: z.string(),
  database: z.string(),
  name: z.string(),
  layer: LayerSchema,
  owner: z.string().nullable(),
  status: TableStatusSchema,
  description: z.string().nullable(),
  tags: z.array(z.string()),
  datasource: z.string().nullable(),
  stats: TableStatsSchema,
  version: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
/** A registered table, see {@link TableSchema}. */
export type Table = z.infer<typeof TableSchema>;
