import type { Kysely } from 'kysely';
import { SdkError } from '../errors.js';
import type { Database, DataTableRow } from '../storage/database.js';

// The one rule that turns a table name as someone wrote it (in a task's inputs, a REST path, a
// CLI argument, a lineage query or a SQL statement) into the table registered under a name.
// Every place that names a table goes through `resolveTableNames`.

/** Where an unqualified name is looked up first. */
export interface TableNameScope {
  /**
   * The default database of the task or datasource (`Datasource.database`), as SQL's `USE`
   * would set it; unqualified names resolve inside it.
   */
  readonly defaultDatabase?: string | null | undefined;
}

function split(name: string): { db: string; table: string } {
  const parts = name.split('.');
  return { db: parts.slice(0, -1).join('.'), table: parts[parts.length - 1] ?? name };
}

// Catalog-qualified rows (`catalog.db.t`) match `db.t`.
function inDatabase(row: DataTableRow, db: string): boolean {
  return row.database_name === db || row.database_name.endsWith(`.${db}`);
}

/**
 * Picks the registered table a written name means, from the rows that share its last part.
 *
 * The rule (also in docs/architecture.md, "Table names"):
 * 1. A table registered under exactly the written name wins (`ods_user`, `ods.ods_user`).
 * 2. An unqualified name `t` with a default database `d`: the table `d.t` (or `cat.d.t`).
 *    Without a default database: the one table named `t` in any database.
 * 3. A qualified name `d.t`: the one table `cat.d.t`, or the unqualified table `t` when `d` is
 *    the default database.
 * 4. Two or more candidates: `AMBIGUOUS_TABLE` listing them. None: null (unknown).
 *
 * @internal
 */
function pick(
  written: string,
  rows: readonly DataTableRow[],
  scope: TableNameScope,
): DataTableRow | null {
  const exact = rows.find((r) => r.qualified_name === written);
  if (exact) return exact;
  const { db, table } = split(written);
  const named = rows.filter((r) => r.table_name === table);
  const def = scope.defaultDatabase?.toLowerCase() || null;
  let candidates: DataTableRow[];
  if (db === '') {
    candidates = def === null ? named : named.filter((r) => inDatabase(r, def));
  } else {
    candidates = named.filter(
      (r) =>
        (r.database_name !== '' && inDatabase(r, db)) || (r.database_name === '' && def === db),
    );
  }
  if (candidates.length === 1) return candidates[0] ?? null;
  if (candidates.length === 0) return null;
  const names = candidates.map((r) => r.qualified_name).sort();
  throw new SdkError(
    'AMBIGUOUS_TABLE',
    `sdk: table ${written} is ambiguous: it could be ${names.join(', ')}; write the qualified name`,
    { details: { table: written, candidates: names } },
  );
}

/**
 * Resolves table names as written to the registered names (see the rule on {@link pick}):
 * names are compared lower-case; each maps to its registered row, or null when no table
 * matches.
 *
 * @param db - a Kysely or transaction
 * @param names - the names as written
 * @param scope - the default database, if any
 * @returns written name (lower-case) → registered row or null
 * @throws {@link SdkError} `AMBIGUOUS_TABLE` (`details.candidates`) when a name fits several tables
 * @internal
 */
export async function resolveTableRows(
  db: Kysely<Database>,
  names: readonly string[],
  scope: TableNameScope = {},
): Promise<Map<string, DataTableRow | null>> {
  const written = [...new Set(names.map((n) => n.trim().toLowerCase()))];
  const out = new Map<string, DataTableRow | null>();
  if (written.length === 0) return out;
  const lastParts = [...new Set(written.map((n) => split(n).table))];
  const rows = await db
    .selectFrom('data_table')
    .selectAll()
    .where((eb) => eb.or([eb('qualified_name', 'in', written), eb('table_name', 'in', lastParts)]))
    .execute();
  for (const name of written) out.set(name, pick(name, rows, scope));
  return out;
}

/**
 * Resolves one table name as written to its registered row (see {@link resolveTableRows}).
 *
 * @internal
 */
export async function resolveTableRow(
  db: Kysely<Database>,
  name: string,
  scope: TableNameScope = {},
): Promise<DataTableRow | null> {
  const m = await resolveTableRows(db, [name], scope);
  return m.get(name.trim().toLowerCase()) ?? null;
}

/**
 * The registered name a written name stands for, or the written name (lower-case) when no
 * table is registered under it, e.g. to filter lineage or tasks by a table.
 *
 * @internal
 */
export async function canonicalTableName(
  db: Kysely<Database>,
  name: string,
  scope: TableNameScope = {},
): Promise<string> {
  const row = await resolveTableRow(db, name, scope);
  return row?.qualified_name ?? name.trim().toLowerCase();
}

/**
 * The default database a task's names resolve in: its datasource's `database`, if any.
 *
 * @internal
 */
export async function defaultDatabaseOf(
  db: Kysely<Database>,
  datasource: string | null | undefined,
): Promise<string | null> {
  if (!datasource) return null;
  const row = await db
    .selectFrom('dp_datasource')
    .select('database_name')
    .where('name', '=', datasource)
    .executeTakeFirst();
  return row?.database_name ?? null;
}
