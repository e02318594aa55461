import { Cron } from 'croner';
import { z } from 'zod';

/** Warehouse layers, in the order data flows through them. */
export const LAYERS = ['ODS', 'DWD', 'DIM', 'DWS', 'ADS'] as const;

/** A warehouse layer: `ODS`, `DWD`, `DIM`, `DWS` or `ADS`. */
export const LayerSchema = z.enum(LAYERS);
/** A warehouse layer, see {@link LayerSchema}. */
export type Layer = z.infer<typeof LayerSchema>;

const IDENT = '[A-Za-z_][A-Za-z0-9_$]*';
const TABLE_NAME = new RegExp(`^${IDENT}(\\.${IDENT}){0,2}$`);

/**
 * A table name as people write it in SQL: `ods_user`, `db.table`, or `catalog.db.table` (Doris
 * multi-catalog); compared case-insensitively and stored lower-case. Which registered table a
 * name means is one rule, documented in docs/architecture.md ("Table names").
 */
export const TableNameSchema = z
  .string()
  .trim()
  .max(190)
  .regex(TABLE_NAME, 'must be a table name like ods_user or db.table')
  .transform((s) => s.toLowerCase());

/**
 * The former name of {@link TableNameSchema}, which now also accepts unqualified names.
 *
 * @deprecated Use {@link TableNameSchema}; this alias goes in the next minor version.
 */
export const QualifiedNameSchema = TableNameSchema;

/** Name of a task or datasource: letters, digits, `_`, `-`, `.`; starts with a letter or `_`. */
export const NameSchema = z
  .string()
  .trim()
  .min(1)
  .max(128)
  .regex(
    /^[A-Za-z_][A-Za-z0-9_.-]*$/,
    'must start with a letter or _ and use only letters, digits, _ . -',
  );

/**
 * Checks a 5-field Unix cron expression (minute hour day-of-month month day-of-week).
 *
 * @param expr - the expression
 * @returns `null` when valid, else a message naming what is wrong
 * @example
 * ```ts
 * cronProblem('0 2 * * *'); // null
 * cronProblem('0 2 * *'); // 'cron must have 5 fields (minute hour day month weekday), got 4'
 * ```
 */
export function cronProblem(expr: string): string | null {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) {
    return `cron must have 5 fields (minute hour day month weekday), got ${fields.length}`;
  }
  if (!fields.every((f) => /^[0-9A-Za-z*,/-]+$/.test(f))) {
    return 'cron fields may contain only digits, names, * , / and -';
  }
  try {
    new Cron(expr, { paused: true });
    return null;
  } catch (err) {
    return `invalid cron: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** A 5-field Unix cron expression such as `0 2 * * *`. */
export const CronSchema = z
  .string()
  .trim()
  .superRefine((v, ctx) => {
    const problem = cronProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .transform((s) => s.split(/\s+/).join(' '));

/** A timestamp: a Date, or an ISO-8601 / `YYYY-MM-DD HH:mm:ss` string, normalised to a Date. */
export const TimestampSchema = z.union([
  z.date(),
  z
    .string()
    .trim()
    .min(1)
    .transform((s, ctx) => {
      const d = new Date(/^\d{4}-\d{2}-\d{2} \d/.test(s) ? s.replace(' ', 'T') : s);
      if (Number.isNaN(d.getTime())) {
        ctx.addIssue({ code: 'custom', message: `not a timestamp: ${s.slice(0, 40)}` });
        return z.NEVER;
      }
      return d;
    }),
]);

/** Free-form tags attached to tables. */
export const TagsSchema = z.array(z.string().trim().min(1).max(64)).max(50);

/**
 * Guesses a table's layer from naming conventions: a table prefix (`ods_`, `dwd_`, `dim_`,
 * `dws_`, `ads_`) or a database named after the layer (`ods`, `dw_ods`, `ods_db` …).
 *
 * @param qualifiedName - `db.table`
 * @returns the layer, or null when nothing in the name says
 * @example
 * ```ts
 * guessLayer('warehouse.dwd_orders'); // 'DWD'
 * guessLayer('ads.report'); // 'ADS'
 * guessLayer('misc.t1'); // null
 * ```
 */
export function guessLayer(qualifiedName: string): Layer | null {
  const parts = qualifiedName.toLowerCase().split('.');
  const table = parts[parts.length - 1] ?? '';
  const db = parts[parts.length - 2] ?? '';
  for (const layer of LAYERS) {
    const l = layer.toLowerCase();
    if (table.startsWith(`${l}_`)) return layer;
  }
  for (const layer of LAYERS) {
    const l = layer.toLowerCase();
    if (db === l || db.startsWith(`${l}_`) || db.endsWith(`_${l}`)) return layer;
  }
  return null;
}
