import { SdkError } from '../errors.js';
import type { MetadataConnection, MetadataRow } from './metadata-connection.js';

// Value normalisation shared by the metadata readers. Not exported from the package.

/** A whole number from a driver value (number, bigint, numeric string); null when absent. */
export function toInt(v: unknown): number | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') {
    const n = Number(v.trim());
    return Number.isFinite(n) ? Math.trunc(n) : null;
  }
  return null;
}

/** A trimmed string; null for null/undefined. */
export function toStr(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString('utf8');
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  return null;
}

/** A non-empty string, else null. */
export function toText(v: unknown): string | null {
  const s = toStr(v);
  return s === null || s.trim() === '' ? null : s;
}

/**
 * A Date from a time value: epoch seconds as computed server-side by `UNIX_TIMESTAMP()` (or
 * epoch milliseconds, which Doris uses for some BIGINT time columns), a zone-less
 * `yyyy-MM-dd HH:mm:ss` string rendered `offsetSeconds` east of UTC, or a Date. Zero, negative
 * and absent values (NULL, `0000-00-00`, external tables' 0) mean "unknown" and give null.
 */
export function toDate(v: unknown, offsetSeconds = 0): Date | null {
  if (v instanceof Date) return Number.isNaN(v.getTime()) || v.getTime() <= 0 ? null : v;
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}/.test(v.trim()))
    return localToDate(v, offsetSeconds);
  const n =
    typeof v === 'string' && v.trim() !== '' ? Number(v) : typeof v === 'bigint' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) return null;
  // Seconds stay below 1e11 until the year 5138, so larger values are milliseconds.
  return new Date(n >= 1e11 ? n : Math.round(n * 1000));
}

/**
 * A Date from a zone-less `yyyy-MM-dd HH:mm:ss` string rendered in a zone `offsetSeconds` east of
 * UTC (Doris `SHOW PARTITIONS` prints FE-local times).
 */
export function localToDate(v: unknown, offsetSeconds: number): Date | null {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
  const s = toText(v);
  if (s === null) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(s.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, se, frac] = m;
  const utc = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(se),
    frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0,
  );
  if (Number(y) < 1971) return null;
  return new Date(utc - offsetSeconds * 1000);
}

/** Reads a column of a SHOW result by name, case-insensitively (labels vary across versions). */
export function pick(row: MetadataRow, name: string): unknown {
  if (name in row) return row[name];
  const lower = name.toLowerCase();
  for (const k of Object.keys(row)) if (k.toLowerCase() === lower) return row[k];
  return undefined;
}

/** `?, ?, ?` for an IN list of `n` values. */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/** Quotes an identifier with backticks. */
export function quoteIdent(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

/** Splits a list into chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs statements on a connection, counts them, and wraps failures as `SYNC_FAILED`. */
export class QueryRunner {
  /** Statements issued so far. */
  count = 0;
  readonly #connection: MetadataConnection;

  constructor(connection: MetadataConnection) {
    this.#connection = connection;
  }

  /** Runs `sql` and returns its rows; throws `SdkError('SYNC_FAILED')` naming `what`. */
  async rows(what: string, sql: string, params: unknown[] = []): Promise<MetadataRow[]> {
    this.count += 1;
    let result: readonly [unknown, unknown];
    try {
      result = await this.#connection.query(sql, params);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new SdkError(
        'SYNC_FAILED',
        `sdk: metadata sync failed to ${what}: ${reason.slice(0, 200)}`,
        {
          cause: err,
          details: { statement: sql.slice(0, 500) },
        },
      );
    }
    const rows = result[0];
    return Array.isArray(rows) ? (rows as MetadataRow[]) : [];
  }
}
