import type { MetadataConnection } from '../src/metadata/index.js';

// A scripted MySQL-protocol server that answers the statements a metadata sync issues from
// recorded information_schema contents, the way Doris, MySQL 8 or MariaDB would label and
// filter them. Unknown statements fail, as a real server rejects unsupported syntax.

/** A recorded column (information_schema.columns, upper-case keys as the server stores them). */
export interface FakeColumn {
  readonly COLUMN_NAME: string;
  readonly DATA_TYPE: string;
  readonly COLUMN_TYPE: string;
  readonly IS_NULLABLE?: 'YES' | 'NO';
  readonly COLUMN_KEY?: string;
  readonly COLUMN_DEFAULT?: string | null;
  readonly EXTRA?: string;
  readonly COLUMN_COMMENT?: string;
}

/** A recorded table: information_schema.tables values plus its columns and partitions. */
export interface FakeTable {
  readonly TABLE_SCHEMA: string;
  readonly TABLE_NAME: string;
  readonly TABLE_TYPE?: string;
  readonly ENGINE?: string | null;
  readonly TABLE_ROWS?: number | string | null;
  readonly DATA_LENGTH?: number | string | null;
  /** Server-local `yyyy-MM-dd HH:mm:ss` (or 0/null), as the server renders it. */
  readonly CREATE_TIME?: string | number | null;
  readonly UPDATE_TIME?: string | number | null;
  readonly TABLE_COMMENT?: string;
  readonly columns: readonly FakeColumn[];
  /** information_schema.partitions rows (upper-case keys). */
  readonly partitions?: readonly Record<string, unknown>[];
  /** `SHOW PARTITIONS` rows (Doris labels). */
  readonly showPartitions?: readonly Record<string, unknown>[];
  /** What `COUNT(*)` returns. */
  readonly exactRows?: number;
}

/** How the fake behaves. */
export interface FakeServerConfig {
  readonly version: string;
  readonly versionComment: string;
  /** Session zone, seconds east of UTC. */
  readonly utcOffsetSeconds: number;
  /** `doris`, `mysql8` (upper-case labels for unaliased I_S columns) or `mariadb`. */
  readonly flavour: 'doris' | 'mysql8' | 'mariadb';
  /** Catalog → schemata and tables (MySQL/MariaDB use only `internal`). */
  readonly catalogs: Readonly<
    Record<string, { readonly schemata: readonly string[]; readonly tables: readonly FakeTable[] }>
  >;
  /** Doris information_schema.partitions: `rows` (≥ 2.1.8), `empty` (≤ 2.1.7) or `error`. */
  readonly dorisPartitions?: 'rows' | 'empty' | 'error';
}

/** A logged statement. */
export interface FakeStatement {
  readonly sql: string;
  readonly params: readonly unknown[];
}

type Row = Record<string, unknown>;

export class FakeMysqlServer implements MetadataConnection {
  readonly log: FakeStatement[] = [];
  readonly sessionVariables = new Map<string, string>();
  ended = false;
  readonly #config: FakeServerConfig;

  constructor(config: FakeServerConfig) {
    this.#config = config;
  }

  async query(sql: string, params: unknown[] = []): Promise<readonly [unknown, unknown]> {
    this.log.push({ sql, params });
    return [this.#answer(sql, params), []];
  }

  async end(): Promise<void> {
    this.ended = true;
  }

  #answer(sql: string, params: readonly unknown[]): Row[] {
    const c = this.#config;
    if (/^SET SESSION information_schema_stats_expiry\s*=\s*0$/i.test(sql)) {
      if (c.flavour !== 'mysql8')
        throw serverError("Unknown system variable 'information_schema_stats_expiry'");
      this.sessionVariables.set('information_schema_stats_expiry', '0');
      return [];
    }
    const show = /^SHOW PARTITIONS FROM `([^`]+)`\.`([^`]+)`$/i.exec(sql);
    if (show) {
      if (c.flavour !== 'doris')
        throw serverError('You have an error in your SQL syntax near PARTITIONS');
      const t = this.#tables('internal').find(
        (x) => x.TABLE_SCHEMA === show[1] && x.TABLE_NAME === show[2],
      );
      if (!t) throw serverError(`Unknown table '${show[2]}'`);
      return (t.showPartitions ?? []).map((r) => ({ ...r }));
    }
    if (/^SHOW CATALOGS$/i.test(sql)) {
      if (c.flavour !== 'doris')
        throw serverError('You have an error in your SQL syntax near CATALOGS');
      return Object.keys(c.catalogs).map((name, i) => ({
        CatalogId: name === 'internal' ? 0 : 10000 + i,
        CatalogName: name,
        Type: name === 'internal' ? 'internal' : 'hms',
        IsCurrent: name === 'internal' ? 'yes' : '',
      }));
    }
    if (/ UNION ALL |COUNT\(\*\)/i.test(sql)) return this.#counts(sql, params);
    const from = /\bFROM\s+(?:`([^`]+)`\.)?information_schema\.(\w+)/i.exec(sql);
    if (/^SELECT VERSION\(\)/i.test(sql)) {
      return [
        this.#label(sql, {
          'VERSION()': c.version,
          '@@VERSION_COMMENT': c.versionComment,
          'TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), NOW())': c.utcOffsetSeconds,
        }),
      ];
    }
    if (!from) throw serverError(`fake server: unexpected statement: ${sql.slice(0, 120)}`);
    const catalog = from[1] ?? 'internal';
    if (catalog !== 'internal' && c.flavour !== 'doris')
      throw serverError(`Unknown database '${catalog}'`);
    const what = (from[2] ?? '').toLowerCase();
    const filters = this.#filters(sql, params);
    const keep = (r: Row) =>
      (filters.schemas === null || filters.schemas.includes(String(r['TABLE_SCHEMA']))) &&
      (filters.tables === null || filters.tables.includes(String(r['TABLE_NAME'])));
    if (what === 'schemata') {
      return (c.catalogs[catalog]?.schemata ?? []).map((s) => this.#label(sql, { SCHEMA_NAME: s }));
    }
    const tables = this.#tables(catalog);
    if (what === 'tables') {
      return tables
        .map((t) => ({
          TABLE_CATALOG: c.flavour === 'doris' ? catalog : 'def',
          TABLE_TYPE: 'BASE TABLE',
          TABLE_COMMENT: '',
          ...t,
        }))
        .filter(keep)
        .map((t) => this.#label(sql, t));
    }
    if (what === 'columns') {
      return tables.flatMap((t) =>
        t.columns
          .map((col, i) => ({
            TABLE_SCHEMA: t.TABLE_SCHEMA,
            TABLE_NAME: t.TABLE_NAME,
            ORDINAL_POSITION: i + 1,
            IS_NULLABLE: 'YES',
            COLUMN_KEY: '',
            COLUMN_DEFAULT: null,
            EXTRA: '',
            COLUMN_COMMENT: '',
            ...col,
          }))
          .filter(keep)
          .map((r) => this.#label(sql, r)),
      );
    }
    if (what === 'partitions') {
      if (c.flavour === 'doris' && c.dorisPartitions === 'error') {
        throw serverError("Unknown column 'SUBPARTITION_NAME' in 'table list'");
      }
      if (c.flavour === 'doris' && c.dorisPartitions !== 'rows') return [];
      const notNull = /PARTITION_NAME IS NOT NULL/i.test(sql);
      return tables.flatMap((t) => {
        const rows: Row[] =
          t.partitions && t.partitions.length > 0
            ? t.partitions.map((p) => ({
                TABLE_SCHEMA: t.TABLE_SCHEMA,
                TABLE_NAME: t.TABLE_NAME,
                ...p,
              }))
            : c.flavour === 'doris'
              ? []
              : // MySQL/MariaDB list unpartitioned tables with a NULL partition name.
                [
                  {
                    TABLE_SCHEMA: t.TABLE_SCHEMA,
                    TABLE_NAME: t.TABLE_NAME,
                    PARTITION_NAME: null,
                    TABLE_ROWS: t.TABLE_ROWS,
                  },
                ];
        return rows
          .filter(keep)
          .filter((r) => !notNull || r['PARTITION_NAME'] !== null)
          .map((r) => this.#label(sql, r));
      });
    }
    throw serverError(`fake server: unknown information_schema table ${what}`);
  }

  #tables(catalog: string): readonly FakeTable[] {
    return this.#config.catalogs[catalog]?.tables ?? [];
  }

  #counts(sql: string, params: readonly unknown[]): Row[] {
    const parts = sql.split(/ UNION ALL /i);
    return parts.map((part, i) => {
      const m = /FROM\s+(?:`[^`]+`\.)?`([^`]+)`\.`([^`]+)`$/.exec(part.trim());
      const t = this.#tables('internal').find(
        (x) => x.TABLE_SCHEMA === m?.[1] && x.TABLE_NAME === m?.[2],
      );
      if (!t) throw serverError(`Unknown table in ${part}`);
      return this.#label(part, { '?': params[i], 'COUNT(*)': t.exactRows ?? 0 });
    });
  }

  /** Values bound to `TABLE_SCHEMA = ?`/`IN (…)` and `TABLE_NAME = ?`/`IN (…)`, in order. */
  #filters(sql: string, params: readonly unknown[]) {
    let schemas: string[] | null = null;
    let tables: string[] | null = null;
    let next = 0;
    const re = /(TABLE_SCHEMA|TABLE_NAME)\s*(?:=\s*\?|IN\s*\(([?,\s]+)\))/gi;
    for (let m = re.exec(sql); m; m = re.exec(sql)) {
      const n = m[2] === undefined ? 1 : (m[2].match(/\?/g) ?? []).length;
      const values = params.slice(next, next + n).map(String);
      next += n;
      if ((m[1] ?? '').toUpperCase() === 'TABLE_SCHEMA') schemas = values;
      else tables = values;
    }
    return { schemas, tables };
  }

  /**
   * Projects a stored row onto the statement's select list and labels the result as the server
   * would: an alias as written; an unaliased column as written, except on MySQL 8, whose
   * information_schema views label it in upper case.
   */
  #label(sql: string, stored: Row): Row {
    const list = selectList(sql);
    const out: Row = {};
    for (const item of list) {
      const m = /^(.*?)\s+AS\s+([A-Za-z_][A-Za-z0-9_]*)$/is.exec(item);
      const expr = (m ? m[1] : item)?.trim() ?? '';
      const label = m?.[2] ?? (this.#config.flavour === 'mysql8' ? expr.toUpperCase() : expr);
      out[label] = this.#evaluate(expr, stored);
    }
    return out;
  }

  #evaluate(expr: string, stored: Row): unknown {
    const unix = /^UNIX_TIMESTAMP\((\w+)\)$/i.exec(expr);
    if (unix)
      return unixTimestamp(stored[(unix[1] ?? '').toUpperCase()], this.#config.utcOffsetSeconds);
    const key = Object.keys(stored).find((k) => k.toUpperCase() === expr.toUpperCase());
    return key === undefined ? null : stored[key];
  }
}

function selectList(sql: string): string[] {
  const body = sql.replace(/^\s*SELECT\s+/i, '');
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] ?? '';
    if (depth === 0 && /^\s+FROM\s/i.test(body.slice(i, i + 6))) break;
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      items.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim() !== '') items.push(current.trim());
  return items;
}

/** What `UNIX_TIMESTAMP(col)` returns for a value the server renders in its session zone. */
function unixTimestamp(v: unknown, offset: number): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(String(v));
  if (!m) return null;
  const utc = Date.UTC(
    +(m[1] ?? 0),
    +(m[2] ?? 1) - 1,
    +(m[3] ?? 1),
    +(m[4] ?? 0),
    +(m[5] ?? 0),
    +(m[6] ?? 0),
  );
  return Math.max(0, Math.floor(utc / 1000) - offset);
}

function serverError(message: string): Error {
  return Object.assign(new Error(message), { code: 'ER_PARSE_ERROR' });
}
