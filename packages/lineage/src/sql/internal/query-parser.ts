import { LineageError } from '../../lineage-error';

/** A column reference as a parser reports it (table may be unknown). */
export interface RawColumnRef {
  readonly table: string | null;
  readonly column: string;
}

/** One item of the outermost select list. */
export interface RawProjection {
  readonly name: string | null;
  /** `direct`, `aggregation`, `expression`, `constant`, `star`, … */
  readonly kind: string;
  readonly sources: ReadonlyArray<RawColumnRef>;
  /** For `*` / `t.*`: the qualifier and the columns it expands to (empty when unknown). */
  readonly star?: { readonly table: string | null; readonly expanded: ReadonlyArray<string> };
}

/** What the parser read from one query (a SELECT, possibly with CTEs and set operations). */
export interface ParsedQuery {
  /** Base tables read (CTE names and derived tables excluded). */
  readonly tables: ReadonlyArray<string>;
  readonly projections: ReadonlyArray<RawProjection>;
  /** Columns that filter, join, group or window the result (statement-wide). */
  readonly indirect: ReadonlyArray<RawColumnRef & { readonly context: string }>;
}

/** Table schemas in the parser's format: qualified name → column names. */
export type ParserSchema = ReadonlyMap<string, ReadonlyArray<string>>;

/**
 * The one internal interface every SQL parser backend implements. The analyzer never talks to a
 * parser library directly, so backends can be swapped or combined per dialect.
 */
export interface QueryParser {
  readonly name: string;
  /** Reads one query; returns an error message instead of throwing. */
  parseQuery(
    sql: string,
    dialect: string,
    schema: ParserSchema | undefined,
  ): ParsedQuery | { readonly error: string };
}

interface PolyglotColumnRef {
  table?: string | null;
  column: string;
}
interface PolyglotModule {
  init?: () => Promise<void>;
  isInitialized?: () => boolean;
  analyzeQuery: (
    sql: string,
    options: { dialect: string; schema?: unknown },
  ) => {
    success: boolean;
    error?: string | null;
    analysis?: {
      baseTables: Array<{ name: string }>;
      projections: Array<{
        name?: string | null;
        transformKind: string;
        upstream: PolyglotColumnRef[];
        isStar: boolean;
        index: number;
      }>;
      starProjections?: Array<{ index: number; table?: string | null; expandedColumns: string[] }>;
      columnUses?: Array<{ context: string; references: PolyglotColumnRef[] }>;
    };
  };
}

function toPolyglotSchema(schema: ParserSchema): unknown {
  const tables: Array<{ name: string; columns: Array<{ name: string; type: string }> }> = [];
  for (const [name, columns] of schema) {
    tables.push({ name, columns: columns.map((c) => ({ name: c, type: 'STRING' })) });
  }
  return { tables, strict: false };
}

/** polyglot dialect names for ours; Flink SQL reads best through the Hive grammar (measured). */
const DIALECTS: Readonly<Record<string, string>> = {
  mysql: 'mysql',
  doris: 'doris',
  hive: 'hive',
  flink: 'hive',
};

function polyglotParser(mod: PolyglotModule): QueryParser {
  const schemaCache = new WeakMap<ParserSchema, unknown>();
  return {
    name: 'polyglot',
    parseQuery(sql, dialect, schema) {
      let polySchema: unknown;
      if (schema !== undefined && schema.size > 0) {
        polySchema = schemaCache.get(schema);
        if (polySchema === undefined) {
          polySchema = toPolyglotSchema(schema);
          schemaCache.set(schema, polySchema);
        }
      }
      let result: ReturnType<PolyglotModule['analyzeQuery']>;
      try {
        result = mod.analyzeQuery(
          sql,
          polySchema === undefined
            ? { dialect: DIALECTS[dialect] ?? dialect }
            : { dialect: DIALECTS[dialect] ?? dialect, schema: polySchema },
        );
      } catch (err) {
        return { error: err instanceof Error ? err.message : String(err) };
      }
      const a = result.analysis;
      if (!result.success || a === undefined) return { error: result.error ?? 'parse failed' };
      const stars = new Map((a.starProjections ?? []).map((s) => [s.index, s]));
      return {
        tables: a.baseTables.map((t) => t.name),
        projections: a.projections.map((p) => {
          const star = stars.get(p.index);
          const base = {
            name: p.name ?? null,
            kind: p.transformKind,
            sources: p.upstream.map((u) => ({ table: u.table ?? null, column: u.column })),
          };
          return p.isStar
            ? {
                ...base,
                star: { table: star?.table ?? null, expanded: star?.expandedColumns ?? [] },
              }
            : base;
        }),
        indirect: (a.columnUses ?? []).flatMap((u) =>
          u.references.map((r) => ({
            table: r.table ?? null,
            column: r.column,
            context: u.context,
          })),
        ),
      };
    },
  };
}

let loading: Promise<QueryParser> | undefined;

/**
 * Loads the parser backends once (lazily: the WASM module is only fetched on first use).
 *
 * @throws LineageError PARSER_UNAVAILABLE when the parser package cannot be loaded.
 */
export function loadQueryParser(): Promise<QueryParser> {
  loading ??= (async () => {
    try {
      const mod = (await import('@polyglot-sql/sdk')) as unknown as PolyglotModule;
      if (typeof mod.init === 'function' && mod.isInitialized?.() !== true) await mod.init();
      return polyglotParser(mod);
    } catch (err) {
      loading = undefined;
      throw new LineageError(
        'PARSER_UNAVAILABLE',
        'lineage/analyzeSql: could not load the SQL parser @polyglot-sql/sdk',
        { cause: err },
      );
    }
  })();
  return loading;
}
