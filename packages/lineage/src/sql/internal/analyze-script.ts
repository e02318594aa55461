import type {
  AnalyzeSqlOptions,
  ColumnLineage,
  ColumnRef,
  ColumnSource,
  SqlLineage,
  SqlStatementLineage,
  SqlTableDefinition,
  SqlWarning,
  SqlWarningCode,
} from '../sql-lineage';
import { composeColumns, indirectSubtype } from './compose-columns';
import { lex, significant, type Token, unquote } from './lexer';
import { maskVariables, restoreVariables } from './mask-variables';
import type { ParsedQuery, ParserSchema, QueryParser, RawColumnRef } from './query-parser';
import { type DescriptorMap, rewriteFlink, scanTables, stripForParser } from './rewrite-query';
import { splitStatements } from './split-statements';
import { planStatement } from './statement-header';

const PENALTY: Readonly<Record<SqlWarningCode, number>> = {
  PARSE_FAILED: 0.5,
  UNSUPPORTED_STATEMENT: 0.4,
  TABLE_NOT_RESOLVED: 0.7,
  VARIABLE_IN_NAME: 0.8,
  STAR_WITHOUT_SCHEMA: 0.9,
  UNRESOLVED_COLUMN: 0.9,
  COLUMN_COUNT_MISMATCH: 0.9,
  VARIABLE_MASKED: 1,
};

const WINDOW_COLUMNS: ReadonlySet<string> = new Set(['window_start', 'window_end', 'window_time']);

interface ScriptState {
  db: string | undefined;
  /** Flink views: normalised name → query text with earlier views already inlined. */
  readonly views: Map<string, string>;
  readonly placeholders: Map<string, string>;
}

interface StatementContext {
  readonly index: number;
  readonly warnings: SqlWarning[];
  confidence: number;
}

function warn(ctx: StatementContext, code: SqlWarningCode, message: string): void {
  if (ctx.warnings.some((w) => w.code === code && w.message === message)) return;
  ctx.warnings.push({ code, message: `statement ${ctx.index}: ${message}`, statement: ctx.index });
  ctx.confidence = Math.min(ctx.confidence, PENALTY[code]);
}

function normalise(parts: ReadonlyArray<string>, state: ScriptState): string {
  const clean = parts.map((p) => unquote(p).toLowerCase());
  const qualified = clean.length === 1 && state.db !== undefined ? [state.db, ...clean] : clean;
  return restoreVariables(qualified.join('.'), state.placeholders);
}

function splitName(name: string): string[] {
  return significant(lex(name))
    .filter((t) => t.kind === 'word' || t.kind === 'quoted')
    .map((t) => t.text);
}

function buildSchema(
  schema: AnalyzeSqlOptions['schema'],
): { parser: ParserSchema; byName: Map<string, ReadonlyArray<string>> } | undefined {
  if (schema === undefined) return undefined;
  const byName = new Map<string, ReadonlyArray<string>>();
  for (const [name, cols] of Object.entries(schema)) {
    byName.set(
      name.toLowerCase(),
      cols.map((c) => c.toLowerCase()),
    );
  }
  return { parser: byName, byName };
}

/** Prepends Flink views used by a query as CTEs (views hold earlier views already inlined). */
function inlineViews(query: string, state: ScriptState): string {
  if (state.views.size === 0) return query;
  const toks = significant(lex(query));
  const used: string[] = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Token;
    if (
      (t.kind !== 'word' && t.kind !== 'quoted') ||
      toks[i - 1]?.text === '.' ||
      toks[i + 1]?.text === '.'
    )
      continue;
    const name = normalise([t.text], { ...state, db: undefined });
    if (state.views.has(name) && !used.includes(name)) used.push(name);
  }
  if (used.length === 0) return query;
  const ctes = used.map((v) => `${v} AS (${state.views.get(v)})`).join(',\n');
  const first = toks[0];
  if (first?.upper === 'WITH') {
    return `WITH ${ctes},\n${query.slice(first.end)}`;
  }
  return `WITH ${ctes}\n${query}`;
}

interface QueryReading {
  readonly inputs: string[];
  readonly parsed: ParsedQuery | undefined;
  readonly descriptors: DescriptorMap;
  /** CTE names of the query (lower case): column references to them are not table columns. */
  readonly ctes: ReadonlySet<string>;
}

function readQuery(
  query: string,
  dialect: AnalyzeSqlOptions['dialect'],
  parser: QueryParser,
  schema: ParserSchema | undefined,
  state: ScriptState,
  ctx: StatementContext,
): QueryReading {
  let text = stripForParser(query);
  let descriptors: DescriptorMap = new Map();
  if (dialect === 'flink') {
    text = inlineViews(text, state);
    const r = rewriteFlink(text);
    text = r.text;
    descriptors = r.descriptors;
  }
  const scanned = scanTables(text);
  const viewNames = new Set(state.views.keys());
  const scannedTables = scanned.tables
    .filter((t) => !scanned.ctes.has(t.toLowerCase()) && !viewNames.has(t.toLowerCase()))
    .map((t) => normalise(splitName(t), state));
  const result = parser.parseQuery(text, dialect, schema);
  if ('error' in result) {
    warn(
      ctx,
      'PARSE_FAILED',
      `the parser could not read the query (${result.error.slice(0, 160)}); tables come from a token scan`,
    );
    return {
      inputs: [...new Set(scannedTables)],
      parsed: undefined,
      descriptors,
      ctes: scanned.ctes,
    };
  }
  const inputs = [...new Set(result.tables.map((t) => normalise(splitName(t), state)))];
  for (const t of scannedTables) {
    if (!inputs.includes(t)) {
      inputs.push(t);
      warn(
        ctx,
        'TABLE_NOT_RESOLVED',
        `table ${t} appears in the text but the parser did not report it`,
      );
    }
  }
  return { inputs, parsed: result, descriptors, ctes: scanned.ctes };
}

function resolveRef(
  ref: RawColumnRef,
  inputs: ReadonlyArray<string>,
  schema: Map<string, ReadonlyArray<string>> | undefined,
  state: ScriptState,
  descriptors: DescriptorMap,
): ColumnRef | undefined {
  const column = ref.column.toLowerCase();
  let table: string | undefined;
  if (ref.table !== null && ref.table !== '') table = normalise(splitName(ref.table), state);
  else if (inputs.length === 1) table = inputs[0];
  else if (schema !== undefined) {
    const owners = inputs.filter((t) => schema.get(t)?.includes(column) === true);
    if (owners.length === 1) table = owners[0];
  }
  if (table === undefined) return undefined;
  if (WINDOW_COLUMNS.has(column)) {
    for (const [src, descriptor] of descriptors) {
      if (normalise(splitName(src), state) === table)
        return { table, column: descriptor.toLowerCase() };
    }
  }
  return { table, column };
}

function dedupe(refs: ReadonlyArray<ColumnRef>): ColumnRef[] {
  const seen = new Set<string>();
  const out: ColumnRef[] = [];
  for (const r of refs) {
    const k = `${r.table}\u0000${r.column}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(r);
  }
  return out.sort((a, b) => (a.table + a.column < b.table + b.column ? -1 : 1));
}

/** The statement-wide indirect columns with their OpenLineage subtype (for composition). */
function resolveInfluences(
  reading: QueryReading,
  schema: Map<string, ReadonlyArray<string>> | undefined,
  state: ScriptState,
): ColumnSource[] {
  const out: ColumnSource[] = [];
  const seen = new Set<string>();
  for (const r of reading.parsed?.indirect ?? []) {
    if (r.context === 'order') continue;
    const subtype = indirectSubtype(r.context) ?? 'FILTER';
    const c = resolveRef(r, reading.inputs, schema, state, reading.descriptors);
    if (c === undefined) continue;
    const k = `${c.table}\u0000${c.column}\u0000${subtype}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ ...c, type: 'INDIRECT', subtype });
  }
  return out;
}

function mapColumns(
  reading: QueryReading,
  target: string,
  targetColumns: ReadonlyArray<string> | undefined,
  schema: Map<string, ReadonlyArray<string>> | undefined,
  state: ScriptState,
  ctx: StatementContext,
): ColumnLineage[] {
  const parsed = reading.parsed;
  if (parsed === undefined) return [];
  const unresolved = new Set<string>();
  const resolveAll = (refs: ReadonlyArray<RawColumnRef>): ColumnRef[] => {
    const out: ColumnRef[] = [];
    for (const r of refs) {
      // A recursive CTE's columns refer to the CTE itself, which is not a table.
      if (r.table !== null && reading.ctes.has(unquote(r.table).toLowerCase())) continue;
      const c = resolveRef(r, reading.inputs, schema, state, reading.descriptors);
      if (c === undefined) unresolved.add(r.column);
      else out.push(c);
    }
    return dedupe(out);
  };
  if (parsed.projections.some((p) => p.star !== undefined && p.star.expanded.length === 0)) {
    warn(
      ctx,
      'STAR_WITHOUT_SCHEMA',
      'SELECT * with unknown columns: pass `schema` to get column lineage',
    );
    return [];
  }
  const projections = parsed.projections.flatMap((p) =>
    p.star === undefined
      ? [p]
      : p.star.expanded.map((c) => ({
          name: c,
          kind: 'direct',
          sources:
            p.sources.length > 0
              ? p.sources.filter((s) => s.column === c)
              : [{ table: p.star?.table ?? null, column: c }],
        })),
  );
  if (targetColumns !== undefined && targetColumns.length !== projections.length) {
    warn(
      ctx,
      'COLUMN_COUNT_MISMATCH',
      `${target} lists ${targetColumns.length} columns but the query selects ${projections.length}`,
    );
  }
  const indirect = resolveAll(parsed.indirect.filter((r) => r.context !== 'order'));
  const influences = resolveInfluences(reading, schema, state);
  const out: ColumnLineage[] = projections.map((p, k) => ({
    target: { table: target, column: (targetColumns?.[k] ?? p.name ?? `_c${k}`).toLowerCase() },
    direct: resolveAll(p.sources),
    indirect,
    transform: p.kind,
    influences,
  }));
  if (unresolved.size > 0) {
    warn(
      ctx,
      'UNRESOLVED_COLUMN',
      `could not tell which table holds ${[...unresolved].sort().join(', ')}`,
    );
  }
  return out;
}

/** Runs the whole pipeline on a script with an already loaded parser. */
export function analyzeScript(
  parser: QueryParser,
  sql: string,
  options: AnalyzeSqlOptions,
): SqlLineage {
  const dialect = options.dialect;
  let schemaInfo = buildSchema(options.schema);
  const state: ScriptState = {
    db: options.defaultDatabase?.toLowerCase(),
    views: new Map(),
    placeholders: new Map(),
  };
  const statements: SqlStatementLineage[] = [];
  const definitions: SqlTableDefinition[] = [];
  const raw = splitStatements(sql);
  const drops: Array<{ index: number; name: string }> = [];
  for (const [index, stmt] of raw.entries()) {
    const ctx: StatementContext = { index, warnings: [], confidence: 1 };
    const masked = maskVariables(stmt.text, options.variables, state.placeholders.size);
    const text = masked.text;
    for (const [ph, original] of masked.placeholders) state.placeholders.set(ph, original);
    const plan = planStatement(text, dialect === 'flink');
    const inputs: string[] = [];
    const outputs: string[] = [];
    const columns: ColumnLineage[] = [];
    let parserUsed: 'polyglot' | 'fallback' | 'none' = 'none';
    const stmtDefinitions: SqlTableDefinition[] = [];
    if (plan.useDatabase !== undefined && plan.useDatabase.length > 0) {
      state.db = plan.useDatabase.toLowerCase();
    }
    if (plan.definition !== undefined) {
      const def: SqlTableDefinition = {
        table: normalise(plan.definition.table, state),
        options: plan.definition.options,
        statement: index,
        ...(plan.definition.options['connector'] === undefined
          ? {}
          : { connector: plan.definition.options['connector'] }),
      };
      stmtDefinitions.push(def);
      // Declared columns (Flink connector tables, Doris/Hive DDL) act as schema for later statements.
      if (plan.definition.columns.length > 0) {
        const byName = new Map(schemaInfo?.byName ?? []);
        if (!byName.has(def.table)) {
          byName.set(
            def.table,
            plan.definition.columns.map((c) => c.toLowerCase()),
          );
          schemaInfo = { parser: byName, byName };
        }
      }
    }
    if (plan.view !== undefined) {
      const name = normalise(plan.view.name, { ...state, db: undefined });
      state.views.set(name, inlineViews(plan.view.query, state));
    }
    for (const t of plan.readTables ?? []) {
      const name = normalise(t, state);
      if (!inputs.includes(name)) inputs.push(name);
    }
    for (const d of plan.dropTables ?? []) {
      state.views.delete(normalise(d, { ...state, db: undefined }));
      drops.push({ index, name: normalise(d, state) });
    }
    const readOnly = (query: string, exclude: ReadonlyArray<string>): void => {
      const r = readQuery(query, dialect, parser, schemaInfo?.parser, state, ctx);
      parserUsed = r.parsed === undefined ? 'fallback' : 'polyglot';
      for (const t of r.inputs) if (!exclude.includes(t) && !inputs.includes(t)) inputs.push(t);
    };
    for (const w of plan.writes) {
      const target = normalise(w.target, state);
      if (!outputs.includes(target)) outputs.push(target);
      if (w.query === null) continue;
      const r = readQuery(w.query, dialect, parser, schemaInfo?.parser, state, ctx);
      parserUsed = r.parsed === undefined ? 'fallback' : 'polyglot';
      const exclude = plan.kind === 'update' ? [target] : [];
      for (const t of r.inputs) if (!exclude.includes(t) && !inputs.includes(t)) inputs.push(t);
      let targetColumns = w.columns;
      if (targetColumns === undefined) {
        const known = schemaInfo?.byName.get(target);
        if (known !== undefined) {
          const statics = new Set(w.staticPartitions.map((c) => c.toLowerCase()));
          targetColumns = known.filter((c) => !statics.has(c));
        }
      }
      const mapped = mapColumns(r, target, targetColumns, schemaInfo?.byName, state, ctx);
      columns.push(...mapped);
      // A table the script creates (temp table, CTAS, view) is schema for later statements, so
      // `SELECT *` from it expands and column lineage composes through it.
      if (mapped.length > 0 && schemaInfo?.byName.has(target) !== true) {
        const byName = new Map(schemaInfo?.byName ?? []);
        byName.set(
          target,
          mapped.map((c) => c.target.column),
        );
        schemaInfo = { parser: byName, byName };
      }
    }
    if (plan.readQuery !== undefined) {
      readOnly(
        plan.readQuery,
        plan.writes.map((w) => normalise(w.target, state)),
      );
    }
    if (plan.kind === 'unknown') {
      const scanned = scanTables(text);
      for (const t of scanned.tables) {
        const name = normalise(splitName(t), state);
        if (!scanned.ctes.has(t.toLowerCase()) && !inputs.includes(name)) inputs.push(name);
      }
      parserUsed = 'fallback';
      warn(
        ctx,
        'UNSUPPORTED_STATEMENT',
        `statement kind not supported (${text.slice(0, 40).replace(/\s+/g, ' ')}…); tables come from a token scan`,
      );
    }
    const varNames = [...inputs, ...outputs].filter((t) => t.includes('${') || t.includes('$['));
    if (varNames.length > 0) {
      warn(
        ctx,
        'VARIABLE_IN_NAME',
        `unknown variables in table names ${varNames.join(', ')}; reported as written`,
      );
    } else if (masked.masked.length > 0) {
      warn(
        ctx,
        'VARIABLE_MASKED',
        `unknown variables masked: ${[...new Set(masked.masked)].join(', ')}`,
      );
    }
    definitions.push(...stmtDefinitions);
    statements.push({
      index,
      kind: plan.kind,
      start: stmt.start,
      end: stmt.end,
      inputs,
      outputs,
      columns,
      warnings: ctx.warnings,
      confidence: Math.round(ctx.confidence * 100) / 100,
      parser: parserUsed,
      inStatementSet: stmt.inStatementSet,
      ...(stmtDefinitions.length === 0 ? {} : { definitions: stmtDefinitions }),
    });
  }
  // Script level: intermediate tables are written and then read or dropped by a later statement.
  const written = new Set<string>();
  const inputs = new Set<string>();
  const outputs = new Set<string>();
  const intermediates = new Set<string>();
  for (const s of statements) {
    for (const d of drops) {
      if (d.index === s.index && written.has(d.name)) {
        outputs.delete(d.name);
        intermediates.add(d.name);
      }
    }
    for (const t of s.inputs) {
      if (written.has(t)) intermediates.add(t);
      else inputs.add(t);
    }
    for (const t of s.outputs) {
      written.add(t);
      outputs.add(t);
    }
  }
  const lineageStatements = statements.filter((s) => s.kind !== 'command' && s.kind !== 'ddl');
  const confidence =
    lineageStatements.length === 0 ? 1 : Math.min(...lineageStatements.map((s) => s.confidence));
  return {
    dialect,
    inputs: [...inputs].sort(),
    outputs: [...outputs].sort(),
    intermediates: [...intermediates].sort(),
    columns: statements.flatMap((s) => s.columns),
    scriptColumns: composeColumns(statements, [...outputs]),
    statements,
    definitions,
    warnings: statements.flatMap((s) => s.warnings),
    confidence,
  };
}
