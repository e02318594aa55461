/**
 * The JSON-serialisable result types of {@link analyzeSql}.
 *
 * @module
 */

/**
 * A SQL dialect that {@link analyzeSql} reads.
 *
 * @example
 * ```ts
 * import type { SqlDialect } from '@dataportal/lineage';
 * const d: SqlDialect = 'doris';
 * ```
 */
export type SqlDialect = 'mysql' | 'doris' | 'hive' | 'flink';

/**
 * Options of {@link analyzeSql}.
 *
 * @example
 * ```ts
 * import type { AnalyzeSqlOptions } from '@dataportal/lineage';
 * const opts: AnalyzeSqlOptions = {
 *   dialect: 'hive',
 *   defaultDatabase: 'dw',
 *   variables: { bizdate: '20240101' },
 *   schema: { 'ods.orders': ['id', 'user_id', 'amount', 'dt'] },
 * };
 * ```
 */
export interface AnalyzeSqlOptions {
  /** The dialect of the script. */
  readonly dialect: SqlDialect;
  /**
   * Known tables and their columns (qualified name → column names, in table order). Used to
   * expand `SELECT *`, to resolve unqualified columns, and to name the target columns of
   * `INSERT … SELECT` without a column list.
   */
  readonly schema?: Readonly<Record<string, ReadonlyArray<string>>>;
  /**
   * Values of scheduler variables, by name (`bizdate`), by full text (`${bizdate}`,
   * `$[yyyyMMdd-1]`) or by name after a prefix (`hiveconf:x` → `x`). Unknown variables are masked.
   */
  readonly variables?: Readonly<Record<string, string>>;
  /** Database of unqualified table names until a `USE` statement changes it. */
  readonly defaultDatabase?: string;
}

/**
 * A column of a table.
 *
 * @example
 * ```ts
 * import type { ColumnRef } from '@dataportal/lineage';
 * const c: ColumnRef = { table: 'dwd.orders', column: 'amount' };
 * ```
 */
export interface ColumnRef {
  readonly table: string;
  readonly column: string;
}

/**
 * How one written column is derived.
 *
 * @example
 * ```ts
 * import type { ColumnLineage } from '@dataportal/lineage';
 * const c: ColumnLineage = {
 *   target: { table: 'dws.sales', column: 'amount' },
 *   direct: [{ table: 'dwd.orders', column: 'amount' }],
 *   indirect: [{ table: 'dwd.orders', column: 'status' }],
 *   transform: 'aggregation',
 * };
 * ```
 */
export interface ColumnLineage {
  /** The written column. */
  readonly target: ColumnRef;
  /** Columns whose values flow into it. */
  readonly direct: ReadonlyArray<ColumnRef>;
  /** Columns that only filter, join, group or window the rows it is computed from. */
  readonly indirect: ReadonlyArray<ColumnRef>;
  /** `direct` (copied), `expression`, `aggregation`, `constant`, … as the parser classifies it. */
  readonly transform: string;
  /**
   * The `indirect` columns with what they do (filter, join, group, sort, window), when the
   * parser said so; composed into {@link SqlLineage.scriptColumns}.
   */
  readonly influences?: ReadonlyArray<ColumnSource>;
}

/**
 * How a source column influences a target column, in OpenLineage's terms (column-lineage facet
 * 1-2-0): `DIRECT` when its values flow into the target, `INDIRECT` when it only decides which rows
 * there are (filters, joins, grouping, sorting, windows).
 *
 * @example
 * ```ts
 * import type { ColumnTransformationType } from '@dataportal/lineage';
 * const t: ColumnTransformationType = 'DIRECT';
 * ```
 */
export type ColumnTransformationType = 'DIRECT' | 'INDIRECT';

/**
 * The kind of a {@link ColumnTransformationType}: for `DIRECT` `IDENTITY` (copied unchanged),
 * `TRANSFORMATION` (an expression) or `AGGREGATION`; for `INDIRECT` `FILTER`, `JOIN`, `GROUP_BY`,
 * `SORT`, `WINDOW` or `CONDITIONAL`. The names are OpenLineage's.
 *
 * @example
 * ```ts
 * import type { ColumnTransformationSubtype } from '@dataportal/lineage';
 * const s: ColumnTransformationSubtype = 'AGGREGATION';
 * ```
 */
export type ColumnTransformationSubtype =
  | 'IDENTITY'
  | 'TRANSFORMATION'
  | 'AGGREGATION'
  | 'FILTER'
  | 'JOIN'
  | 'GROUP_BY'
  | 'SORT'
  | 'WINDOW'
  | 'CONDITIONAL';

/**
 * A source column of a composed column lineage, with how it influences the target.
 *
 * @example
 * ```ts
 * import type { ColumnSource } from '@dataportal/lineage';
 * const s: ColumnSource = { table: 'ods.a', column: 'x', type: 'DIRECT', subtype: 'IDENTITY' };
 * ```
 */
export interface ColumnSource extends ColumnRef {
  readonly type: ColumnTransformationType;
  readonly subtype: ColumnTransformationSubtype;
}

/**
 * Column lineage of a script's output column, composed through every intermediate table, view
 * and CTE of the script: `ods.a.x → tmp.t.y → dwd.b.z` is reported as `ods.a.x → dwd.b.z`.
 *
 * @example
 * ```ts
 * import type { ScriptColumnLineage } from '@dataportal/lineage';
 * const c: ScriptColumnLineage = {
 *   target: { table: 'dwd.b', column: 'z' },
 *   sources: [{ table: 'ods.a', column: 'x', type: 'DIRECT', subtype: 'TRANSFORMATION' }],
 * };
 * ```
 */
export interface ScriptColumnLineage {
  readonly target: ColumnRef;
  /** Sorted by table, column, type. */
  readonly sources: ReadonlyArray<ColumnSource>;
}

/**
 * Why a result may be incomplete.
 *
 * - `PARSE_FAILED`: the parser could not read a statement; its tables come from a token scan.
 * - `TABLE_NOT_RESOLVED`: a table seen in the text was missed by the parser and added from the
 *   token scan.
 * - `UNSUPPORTED_STATEMENT`: a statement kind without lineage support; tables from a token scan.
 * - `STAR_WITHOUT_SCHEMA`: `SELECT *` whose columns are unknown; column lineage is left out.
 * - `UNRESOLVED_COLUMN`: a column whose table could not be determined.
 * - `COLUMN_COUNT_MISMATCH`: the target column list and the select list differ in length.
 * - `VARIABLE_MASKED`: unknown scheduler variables were masked (values only, no effect on tables).
 * - `VARIABLE_IN_NAME`: a table name contains an unknown variable; it is reported as written.
 *
 * @example
 * ```ts
 * import type { SqlWarningCode } from '@dataportal/lineage';
 * const code: SqlWarningCode = 'STAR_WITHOUT_SCHEMA';
 * ```
 */
export type SqlWarningCode =
  | 'PARSE_FAILED'
  | 'TABLE_NOT_RESOLVED'
  | 'UNSUPPORTED_STATEMENT'
  | 'STAR_WITHOUT_SCHEMA'
  | 'UNRESOLVED_COLUMN'
  | 'COLUMN_COUNT_MISMATCH'
  | 'VARIABLE_MASKED'
  | 'VARIABLE_IN_NAME';

/**
 * A warning about one statement.
 *
 * @example
 * ```ts
 * import type { SqlWarning } from '@dataportal/lineage';
 * const w: SqlWarning = { code: 'PARSE_FAILED', message: 'statement 2: …', statement: 2 };
 * ```
 */
export interface SqlWarning {
  readonly code: SqlWarningCode;
  readonly message: string;
  /** Index of the statement in `statements`. */
  readonly statement: number;
}

/**
 * What kind of statement it is.
 *
 * @example
 * ```ts
 * import type { SqlStatementKind } from '@dataportal/lineage';
 * const k: SqlStatementKind = 'insert';
 * ```
 */
export type SqlStatementKind =
  | 'insert'
  | 'create-table-as'
  | 'create-view'
  | 'select'
  | 'update'
  | 'delete'
  | 'merge'
  | 'load'
  | 'ddl'
  | 'command'
  | 'unknown';

/**
 * A table declared by DDL in the script (e.g. a Flink connector table), with the physical
 * identity read from its options.
 *
 * @example
 * ```ts
 * import type { SqlTableDefinition } from '@dataportal/lineage';
 * const d: SqlTableDefinition = { table: 'kafka_orders', connector: 'kafka', options: { topic: 'orders' }, statement: 0 };
 * ```
 */
export interface SqlTableDefinition {
  readonly table: string;
  readonly connector?: string;
  /** Identity options only (`topic`, `table-name`, `table.identifier`, …); never credentials. */
  readonly options: Readonly<Record<string, string>>;
  readonly statement: number;
}

/**
 * Lineage of one statement.
 *
 * @example
 * ```ts
 * import type { SqlStatementLineage } from '@dataportal/lineage';
 * const s: SqlStatementLineage = {
 *   index: 0, kind: 'insert', start: 0, end: 42, inputs: ['ods.a'], outputs: ['dwd.a'],
 *   columns: [], warnings: [], confidence: 1, parser: 'polyglot', inStatementSet: false,
 * };
 * ```
 */
export interface SqlStatementLineage {
  readonly index: number;
  readonly kind: SqlStatementKind;
  /** Offsets of the statement in the analysed script. */
  readonly start: number;
  readonly end: number;
  readonly inputs: ReadonlyArray<string>;
  readonly outputs: ReadonlyArray<string>;
  readonly columns: ReadonlyArray<ColumnLineage>;
  readonly warnings: ReadonlyArray<SqlWarning>;
  /** 0–1: 1 = fully parsed; lower when tables or columns came from fallbacks. */
  readonly confidence: number;
  /** Which reader produced the lineage: the parser, the token-scan fallback, or none needed. */
  readonly parser: 'polyglot' | 'fallback' | 'none';
  /** Inside a Flink `EXECUTE STATEMENT SET`. */
  readonly inStatementSet: boolean;
  /** Tables this statement declares (DDL without a query). */
  readonly definitions?: ReadonlyArray<SqlTableDefinition>;
}

/**
 * The lineage of a script: what it reads and writes, column by column, with warnings and a
 * confidence. JSON-serialisable (the server returns it from `POST /api/v1/sql/lineage`).
 *
 * @example
 * ```ts
 * import { analyzeSql, type SqlLineage } from '@dataportal/lineage';
 * const r: SqlLineage = await analyzeSql('INSERT INTO dwd.a SELECT id FROM ods.a', { dialect: 'mysql' });
 * r.inputs; // ['ods.a']
 * ```
 */
export interface SqlLineage {
  readonly dialect: SqlDialect;
  /**
   * Tables read by the script, excluding tables an earlier statement of the script wrote
   * (intermediate tables), CTE names and Flink views. Sorted.
   */
  readonly inputs: ReadonlyArray<string>;
  /** Tables written, excluding ones the script drops again (temporary tables). Sorted. */
  readonly outputs: ReadonlyArray<string>;
  /** Tables written and then read or dropped inside the script. Sorted. */
  readonly intermediates: ReadonlyArray<string>;
  /** Column lineage of every statement, in statement order. */
  readonly columns: ReadonlyArray<ColumnLineage>;
  /**
   * Column lineage of the script's outputs composed through its intermediate tables, views and
   * CTEs, from the script's inputs only. Sorted by target.
   */
  readonly scriptColumns: ReadonlyArray<ScriptColumnLineage>;
  readonly statements: ReadonlyArray<SqlStatementLineage>;
  /** Tables declared by DDL in the script (Flink connector tables, Doris DDL). */
  readonly definitions: ReadonlyArray<SqlTableDefinition>;
  readonly warnings: ReadonlyArray<SqlWarning>;
  /** The lowest confidence of the statements that carry lineage; 1 when there are none. */
  readonly confidence: number;
}
