import type { EntityRef } from '@dataportal/sdk';
import { z } from 'zod';

/** An ISO-8601 timestamp on the wire. */
export const WireTimestampSchema = z.string().meta({ format: 'date-time' });

/**
 * A date as the wire spells it.
 *
 * @param d - a date or null
 * @returns the ISO-8601 string, or null
 * @example
 * ```ts
 * iso(new Date(0)); // '1970-01-01T00:00:00.000Z'
 * ```
 */
export function iso(d: Date | null): string | null {
  return d === null ? null : d.toISOString();
}

/**
 * The wire schema of a page of items: `{items, next_cursor}`.
 *
 * @param item - the item schema
 * @returns the page schema
 * @example
 * ```ts
 * const TablePage = pageSchema(TableWireSchema);
 * ```
 */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    next_cursor: z
      .string()
      .nullable()
      .describe('pass as `cursor` for the next page; null at the end'),
  });
}

/** Path parameters naming a task or table: numeric id, or name (qualified name for tables). */
export const RefParamsSchema = z.object({
  id: z.string().min(1).max(300).describe('numeric id, or the name (db.table for tables)'),
});

/** Path parameters with a numeric id. */
export const IdParamsSchema = z.object({
  id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
});

/**
 * Turns a path segment into an sdk entity reference: digits are an id, anything else a name.
 *
 * @param raw - the path segment
 * @returns the id or the name
 * @example
 * ```ts
 * parseRef('42'); // 42
 * parseRef('ods.orders'); // 'ods.orders'
 * ```
 */
export function parseRef(raw: string): EntityRef {
  if (/^\d{1,15}$/.test(raw)) return Number(raw);
  return raw;
}

/** Page size and cursor, shared by every list. */
export const PageQuerySchema = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .optional()
    .describe('page size, 1–1000 (default 100)'),
  cursor: z.string().min(1).max(200).optional().describe('`next_cursor` of the previous page'),
});

/** Optional `version` query parameter (optimistic lock) for deletes. */
export const VersionQuerySchema = z.object({
  version: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .describe('the version you read; 409 when stale'),
});

/**
 * The one error body every failure answers with.
 */
export const ErrorBodySchema = z
  .object({
    statusCode: z.number().int(),
    code: z.string().describe('machine-readable code, e.g. NOT_FOUND, VALIDATION_FAILED'),
    error: z.string().describe('HTTP status text'),
    message: z.string(),
    details: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('structured data: `issues` (field, message), `tables`, `cycle`, versions…'),
  })
  .meta({ id: 'Error' });
/** The error body, see {@link ErrorBodySchema}. */
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** Error responses most routes can give, for the OpenAPI document. */
export const ERROR_RESPONSES = {
  400: ErrorBodySchema,
  404: ErrorBodySchema,
  409: ErrorBodySchema,
  422: ErrorBodySchema,
} as const;

/**
 * The version a write says it read: the body's `version`, else the `If-Match` ETag (`"3"` or
 * `W/"3"`, as `ETag` answers carry it). Without either the sdk answers 428
 * `PRECONDITION_REQUIRED` with the current version.
 *
 * @param bodyVersion - `version` from the body, when sent
 * @param ifMatch - the `If-Match` header, when sent
 * @returns the version, or undefined
 * @example
 * ```ts
 * versionOf(undefined, 'W/"3"'); // 3
 * ```
 */
export function versionOf(
  bodyVersion: number | undefined,
  ifMatch: string | string[] | undefined,
): number | undefined {
  if (bodyVersion !== undefined) return bodyVersion;
  const header = Array.isArray(ifMatch) ? ifMatch[0] : ifMatch;
  const m = header === undefined ? null : /^\s*(?:W\/)?"(\d+)"\s*$/.exec(header);
  return m ? Number(m[1]) : undefined;
}

/**
 * The ETag of a versioned entity (what `If-Match` sends back).
 *
 * @param version - the entity's version
 * @returns `"<version>"`
 */
export function etagOf(version: number): string {
  return `"${version}"`;
}
