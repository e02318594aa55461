import { analyzeSql } from '@dataportal/lineage';
import type { EngineRef, Task } from '@dataportal/sdk';
import type { DinkyCallOptions, DinkyClient } from './client';
import { readDinkyEngineRef, taskStatements } from './engine';
import { DinkyError } from './errors';
import type { DinkyLineage } from './schemas';

/**
 * A SQL lineage function: `analyzeSql` from `@dataportal/lineage`, or a stand-in in tests.
 *
 * @example
 * ```ts
 * const analyze: FlinkSqlAnalyzer = async () => ({ inputs: ['ods.orders'], outputs: ['dws.agg'] });
 * ```
 */
export type FlinkSqlAnalyzer = (
  sql: string,
  options: { readonly dialect: 'flink' },
) => Promise<{ readonly inputs: readonly string[]; readonly outputs: readonly string[] }>;

/**
 * Where a table was found.
 *
 * @example
 * ```ts
 * const source: StreamLineageSource = 'dinky';
 * ```
 */
export type StreamLineageSource = 'declared' | 'parsed' | 'dinky';

/**
 * One table of a stream task's reconciled lineage.
 *
 * @example
 * ```ts
 * const row: StreamLineageTable = { table: 'ods.orders', role: 'input', foundBy: ['declared'], missingFrom: ['parsed'] };
 * ```
 */
export interface StreamLineageTable {
  /** Normalised table name (lower-case, Flink's default catalog and database removed). */
  readonly table: string;
  /** Whether the task reads or writes it. */
  readonly role: 'input' | 'output';
  /** Which sources list it. */
  readonly foundBy: readonly StreamLineageSource[];
  /** Which of the sources that answered do not list it (empty when all agree). */
  readonly missingFrom: readonly StreamLineageSource[];
}

/**
 * A column-level edge as Dinky reports it.
 *
 * @example
 * ```ts
 * const edge: StreamColumnEdge = { source: { table: 'ods.orders', column: 'id' }, target: { table: 'dws.agg', column: 'id' } };
 * ```
 */
export interface StreamColumnEdge {
  /** Source table and column. */
  readonly source: { readonly table: string; readonly column: string };
  /** Target table and column. */
  readonly target: { readonly table: string; readonly column: string };
}

/**
 * The reconciled lineage of a stream task; see {@link reconcileStreamLineage}.
 *
 * @example
 * ```ts
 * const report: StreamLineageReport = await reconcileStreamLineage(task);
 * console.log(report.differences);
 * ```
 */
export interface StreamLineageReport {
  /** Inputs found by any source (union), sorted. */
  readonly inputs: readonly string[];
  /** Outputs found by any source (union), sorted. */
  readonly outputs: readonly string[];
  /** Every table with the sources that list it. */
  readonly tables: readonly StreamLineageTable[];
  /** The tables on which the answering sources disagree (reported, never dropped). */
  readonly differences: readonly StreamLineageTable[];
  /** What the portal's SQL parser found, or null when it failed. */
  readonly parsed: {
    readonly inputs: readonly string[];
    readonly outputs: readonly string[];
  } | null;
  /** What Dinky answered and from which call, or null when it gave nothing. */
  readonly dinky: {
    readonly inputs: readonly string[];
    readonly outputs: readonly string[];
    readonly via: 'task' | 'job-instance';
    readonly columns: readonly StreamColumnEdge[];
  } | null;
  /** Why a source is missing (parser failure, Dinky's null answer, no login). */
  readonly warnings: readonly string[];
}

/**
 * Options of {@link reconcileStreamLineage}.
 *
 * @example
 * ```ts
 * const options: ReconcileStreamLineageOptions = { client, catalogs: ['hive'] };
 * ```
 */
export interface ReconcileStreamLineageOptions {
  /** Client for Dinky's lineage; without it only declared and parsed lineage are compared. */
  readonly client?: DinkyClient;
  /** SQL analyzer. Defaults to `analyzeSql` from `@dataportal/lineage`. */
  readonly analyze?: FlinkSqlAnalyzer;
  /** Catalog names to strip besides `default_catalog` (e.g. a Hive catalog the portal omits). */
  readonly catalogs?: readonly string[];
}

/**
 * Normalises a Flink table name for comparison: lower-case, without quotes, without the default
 * catalog (`default_catalog` or one of `catalogs`) and without `default_database`.
 *
 * @param name - `catalog.database.table`, `database.table` or `table`
 * @param catalogs - extra catalog names to strip
 * @returns the normalised name
 * @example
 * ```ts
 * normalizeFlinkTable('default_catalog.ods.orders'); // 'ods.orders'
 * normalizeFlinkTable('default_catalog.default_database.orders'); // 'orders'
 * ```
 */
export function normalizeFlinkTable(name: string, catalogs: readonly string[] = []): string {
  const parts = name
    .replace(/[`"]/g, '')
    .toLowerCase()
    .split('.')
    .filter((p) => p !== '');
  const strip = new Set(['default_catalog', ...catalogs.map((c) => c.toLowerCase())]);
  if (parts.length === 3 && strip.has(parts[0] as string)) parts.shift();
  if (parts.length === 2 && parts[0] === 'default_database') parts.shift();
  return parts.join('.');
}

/**
 * Splits Dinky's lineage answer into input and output tables: a table that is the source of a
 * column relation is an input, a target is an output.
 *
 * @param lineage - Dinky's `LineageResult`
 * @param catalogs - extra catalog names to strip
 * @returns normalised inputs, outputs and the column edges
 * @example
 * ```ts
 * dinkyLineageTables({ tables: [], relations: [] }); // { inputs: [], outputs: [], columns: [] }
 * ```
 */
export function dinkyLineageTables(
  lineage: DinkyLineage,
  catalogs: readonly string[] = [],
): { inputs: string[]; outputs: string[]; columns: StreamColumnEdge[] } {
  const byId = new Map(lineage.tables.map((t) => [t.id, normalizeFlinkTable(t.name, catalogs)]));
  const inputs = new Set<string>();
  const outputs = new Set<string>();
  const columns: StreamColumnEdge[] = [];
  for (const r of lineage.relations) {
    const src = byId.get(r.srcTableId);
    const tgt = byId.get(r.tgtTableId);
    if (src) inputs.add(src);
    if (tgt) outputs.add(tgt);
    if (src && tgt) {
      columns.push({
        source: { table: src, column: r.srcTableColName ?? '' },
        target: { table: tgt, column: r.tgtTableColName ?? '' },
      });
    }
  }
  for (const o of outputs) inputs.delete(o);
  return { inputs: [...inputs].sort(), outputs: [...outputs].sort(), columns };
}

async function dinkyAnswer(
  client: DinkyClient,
  ref: EngineRef | null,
  warnings: string[],
  options: DinkyCallOptions,
): Promise<{ lineage: DinkyLineage; via: 'task' | 'job-instance' } | null> {
  const dinky = readDinkyEngineRef(ref);
  if (!dinky) {
    warnings.push('the task is not published to dinky, so dinky was not asked');
    return null;
  }
  const byTask = await client.getTaskLineage(dinky.dinkyTaskId, options);
  if (byTask && byTask.tables.length > 0) return { lineage: byTask, via: 'task' };
  warnings.push(
    `dinky answered no lineage for task ${dinky.dinkyTaskId} (dinky 1.x does not for flink sql tasks)`,
  );
  if (dinky.jobInstanceId === undefined) return null;
  if (!client.canUseApi) {
    warnings.push(
      'no dinky login: the job instance lineage (/api/jobInstance/getLineage) was skipped',
    );
    return null;
  }
  const byInstance = await client.getJobInstanceLineage(dinky.jobInstanceId, options);
  if (byInstance && byInstance.tables.length > 0)
    return { lineage: byInstance, via: 'job-instance' };
  warnings.push(`dinky answered no lineage for job instance ${dinky.jobInstanceId}`);
  return null;
}

/**
 * Reconciles a stream task's lineage from up to three sources — the inputs/outputs declared on the
 * task, the tables parsed from its Flink SQL (`analyzeSql` with the `flink` dialect), and Dinky's own
 * answer (`/openapi/getTaskLineage`, falling back to `/api/jobInstance/getLineage` for the task's
 * last job when a login is configured) — and reports every table on which the answering sources
 * disagree instead of dropping it. A source that fails or answers nothing adds a warning and takes
 * no part in the comparison.
 *
 * @param task - the portal stream task (its SQL, declared tables and engine reference)
 * @param options - Dinky client, analyzer, extra catalogs
 * @param callOptions - abort signal for Dinky calls
 * @returns the reconciled report
 * @throws {@link DinkyError} `ABORTED` when the signal aborts (other Dinky failures become warnings)
 * @example
 * ```ts
 * const report = await reconcileStreamLineage(task, { client: engine.client });
 * for (const d of report.differences) console.log(d.table, d.role, 'missing from', d.missingFrom);
 * ```
 */
export async function reconcileStreamLineage(
  task: Pick<Task, 'sql' | 'preStatements' | 'postStatements' | 'inputs' | 'outputs' | 'engineRef'>,
  options: ReconcileStreamLineageOptions = {},
  callOptions: DinkyCallOptions = {},
): Promise<StreamLineageReport> {
  const catalogs = options.catalogs ?? [];
  const warnings: string[] = [];
  const analyze: FlinkSqlAnalyzer = options.analyze ?? ((sql, o) => analyzeSql(sql, o));
  const norm = (names: readonly string[]) => [
    ...new Set(names.map((n) => normalizeFlinkTable(n, catalogs))),
  ];

  let parsed: StreamLineageReport['parsed'] = null;
  try {
    const r = await analyze(`${taskStatements(task).join(';\n')};`, { dialect: 'flink' });
    parsed = { inputs: norm(r.inputs).sort(), outputs: norm(r.outputs).sort() };
  } catch (err) {
    warnings.push(`sql lineage failed: ${err instanceof Error ? err.message : String(err)}`);
  }

  let dinky: StreamLineageReport['dinky'] = null;
  if (options.client) {
    try {
      const answer = await dinkyAnswer(options.client, task.engineRef, warnings, callOptions);
      if (answer) dinky = { ...dinkyLineageTables(answer.lineage, catalogs), via: answer.via };
    } catch (err) {
      if (err instanceof DinkyError && err.code === 'ABORTED') throw err;
      warnings.push(`dinky lineage failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  const sources: [
    StreamLineageSource,
    { inputs: readonly string[]; outputs: readonly string[] },
  ][] = [['declared', { inputs: norm(task.inputs), outputs: norm(task.outputs) }]];
  if (parsed) sources.push(['parsed', parsed]);
  if (dinky) sources.push(['dinky', dinky]);

  const tables: StreamLineageTable[] = [];
  for (const role of ['input', 'output'] as const) {
    const all = new Set<string>();
    for (const [, s] of sources)
      for (const t of role === 'input' ? s.inputs : s.outputs) all.add(t);
    for (const table of [...all].sort()) {
      const foundBy: StreamLineageSource[] = [];
      const missingFrom: StreamLineageSource[] = [];
      for (const [name, s] of sources) {
        (role === 'input' ? s.inputs : s.outputs).includes(table)
          ? foundBy.push(name)
          : missingFrom.push(name);
      }
      tables.push({ table, role, foundBy, missingFrom });
    }
  }
  return {
    inputs: tables.filter((t) => t.role === 'input').map((t) => t.table),
    outputs: tables.filter((t) => t.role === 'output').map((t) => t.table),
    tables,
    differences: tables.filter((t) => t.missingFrom.length > 0),
    parsed,
    dinky,
    warnings,
  };
}
