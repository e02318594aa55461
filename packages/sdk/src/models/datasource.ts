import { z } from 'zod';
import { NameSchema } from './common.js';

/** Kinds of datasource the portal knows. */
export const DatasourceKindSchema = z.enum(['doris', 'mysql', 'mariadb', 'sqlite', 'postgres']);
/** A datasource kind, see {@link DatasourceKindSchema}. */
export type DatasourceKind = z.infer<typeof DatasourceKindSchema>;

/**
 * Where a datasource's password comes from: `env:VAR_NAME` (read from the environment by the
 * application) or `secret:name` (resolved by a secret resolver the application provides).
 * The password itself is never stored.
 */
export const PasswordRefSchema = z
  .string()
  .regex(/^(env|secret):[A-Za-z0-9_./-]+$/, 'must be env:VAR_NAME or secret:name');

/** Input to create or update a datasource. */
export const DatasourceInputSchema = z.object({
  name: NameSchema,
  kind: DatasourceKindSchema,
  host: z.string().trim().min(1).max(255).optional(),
  port: z.number().int().min(1).max(65535).optional(),
  user: z.string().max(128).optional(),
  passwordRef: PasswordRefSchema.optional(),
  database: z.string().max(128).optional(),
  /** For sqlite: the file path (or `:memory:`). */
  path: z.string().max(1024).optional(),
  /** Name of the matching datasource inside DolphinScheduler, used when publishing SQL nodes. */
  dolphinDatasource: z.string().max(128).optional(),
  description: z.string().max(2000).optional(),
  options: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});
/** Input to create or update a datasource, see {@link DatasourceInputSchema}. */
export type DatasourceInput = z.input<typeof DatasourceInputSchema>;

/** A stored datasource. */
export const DatasourceSchema = DatasourceInputSchema.extend({
  id: z.number().int(),
  version: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
/** A stored datasource, see {@link DatasourceSchema}. */
export type Datasource = z.infer<typeof DatasourceSchema>;
