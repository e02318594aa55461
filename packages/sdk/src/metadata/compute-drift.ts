import { guessLayer, type Layer } from '../models/common.js';
import type { TableDrift } from '../models/table.js';
import { portableType } from './portable-type.js';
import type {
  WarehouseScope,
  WarehouseSnapshot,
  WarehouseTable,
  WarehouseTableKind,
} from './warehouse-snapshot.js';

/**
 * A registered table as drift detection needs it: its qualified name and its fields' names and
 * types. A portal `Table` plus its fields fits.
 *
 * @example
 * ```ts
 * const registered: RegisteredTableColumns = {
 *   id: 7,
 *   qualifiedName: 'ods.orders',
 *   fields: [{ name: 'id', type: 'bigint' }, { name: 'amount', type: 'decimal(10,2)' }],
 * };
 * ```
 */
export interface RegisteredTableColumns {
  /** Portal id, when known (carried into the result). */
  readonly id?: number;
  /** `db.table` (or `catalog.db.table`), compared lower-case. */
  readonly qualifiedName: string;
  /** The registered fields; compared by name (case-insensitive) and portable type. */
  readonly fields: readonly { readonly name: string; readonly type: string }[];
}

/**
 * Drift of one registered table: the portal's {@link TableDrift} plus the table's name, id and a
 * summary status.
 *
 * @example
 * ```ts
 * const d: TableDriftEntry = report.tables[0];
 * if (d.status === 'drifted') console.log(d.qualifiedName, d.columnsAdded, d.typeChanged);
 * ```
 */
export interface TableDriftEntry extends TableDrift {
  /** Lower-case qualified name. */
  readonly qualifiedName: string;
  /** Portal id, when the registered table carried one. */
  readonly tableId: number | null;
  /**
   * `in-sync` (same columns and portable types), `drifted` (columns added, removed or retyped) or
   * `missing` (the warehouse no longer has the table).
   */
  readonly status: 'in-sync' | 'drifted' | 'missing';
}

/**
 * A warehouse table the registry does not know, with a layer guessed from its name.
 *
 * @example
 * ```ts
 * for (const u of report.unregistered) console.log(u.qualifiedName, u.layerGuess ?? 'no guess');
 * ```
 */
export interface UnregisteredTable {
  /** Lower-case qualified name. */
  readonly qualifiedName: string;
  /** Table, view or external table. */
  readonly kind: WarehouseTableKind;
  /**
   * Layer from the naming convention: a table prefix `ods_`, `dwd_`, `dim_`, `dws_`, `ads_`, or
   * a database named after a layer (`ods`, `dw_ods`, `ods_db`); null when the name says nothing.
   */
  readonly layerGuess: Layer | null;
}

/**
 * Result of {@link computeDrift}.
 *
 * @example
 * ```ts
 * const report: DriftReport = computeDrift(registered, snapshot);
 * console.log(report.missingInWarehouse, report.unregistered.length);
 * ```
 */
export interface DriftReport {
  /** One entry per registered table in the snapshot's scope, ordered by qualified name. */
  readonly tables: readonly TableDriftEntry[];
  /** Registered tables in scope that the warehouse does not have. */
  readonly missingInWarehouse: readonly string[];
  /** Warehouse tables (not system views) that are not registered. */
  readonly unregistered: readonly UnregisteredTable[];
  /** Registered tables outside the snapshot's scope (other databases, other catalogs, table filter). */
  readonly outOfScope: readonly string[];
}

/**
 * Compares registered tables with a warehouse snapshot.
 *
 * Tables match by lower-case qualified name; columns by lower-case name. A column whose portable
 * type differs (see {@link portableType}: `int(11)` equals `int`, `decimalv3(10, 2)` equals
 * `decimal(10,2)`) is reported in `typeChanged` with the registered type as `from` and the
 * warehouse's `COLUMN_TYPE` as `to`. A registered table is reported missing only when its
 * database was listed completely (see {@link WarehouseSnapshot.databases}) or, for an unscoped
 * snapshot, always. Layers of unregistered tables are guessed from their names.
 *
 * @param registered - the registered tables with their fields
 * @param warehouse - a snapshot from {@link readWarehouse} (or any tables plus a {@link WarehouseScope})
 * @returns per-table drift, missing and unregistered tables
 * @example
 * ```ts
 * const report = computeDrift(
 *   [{ qualifiedName: 'ods.orders', fields: [{ name: 'id', type: 'int' }, { name: 'note', type: 'text' }] }],
 *   snapshot, // ods.orders now has id int(11), amount decimalv3(10, 2)
 * );
 * // report.tables[0]: { status: 'drifted', columnsAdded: ['amount'], columnsRemoved: ['note'], … }
 * ```
 */
export function computeDrift(
  registered: readonly RegisteredTableColumns[],
  warehouse: Pick<WarehouseSnapshot, 'tables' | 'scope'>,
): DriftReport {
  const scope = warehouse.scope;
  const byName = new Map<string, WarehouseTable>();
  for (const t of warehouse.tables) byName.set(t.qualifiedName.toLowerCase(), t);

  const tables: TableDriftEntry[] = [];
  const missingInWarehouse: string[] = [];
  const outOfScope: string[] = [];
  const seen = new Set<string>();
  for (const reg of registered) {
    const qn = reg.qualifiedName.toLowerCase();
    seen.add(qn);
    const found = byName.get(qn);
    if (!found) {
      if (!inScope(qn, scope)) {
        outOfScope.push(qn);
        continue;
      }
      missingInWarehouse.push(qn);
      tables.push({
        qualifiedName: qn,
        tableId: reg.id ?? null,
        status: 'missing',
        columnsAdded: [],
        columnsRemoved: [],
        typeChanged: [],
        missingInWarehouse: true,
      });
      continue;
    }
    tables.push({ qualifiedName: qn, tableId: reg.id ?? null, ...diffColumns(reg, found) });
  }
  const unregistered: UnregisteredTable[] = [];
  for (const t of warehouse.tables) {
    const qn = t.qualifiedName.toLowerCase();
    if (seen.has(qn) || t.kind === 'system') continue;
    unregistered.push({ qualifiedName: qn, kind: t.kind, layerGuess: guessLayer(qn) });
  }
  const byQn = (a: { qualifiedName: string }, b: { qualifiedName: string }) =>
    a.qualifiedName < b.qualifiedName ? -1 : a.qualifiedName > b.qualifiedName ? 1 : 0;
  return {
    tables: tables.sort(byQn),
    missingInWarehouse: missingInWarehouse.sort(),
    unregistered: unregistered.sort(byQn),
    outOfScope: outOfScope.sort(),
  };
}

function diffColumns(
  reg: RegisteredTableColumns,
  found: WarehouseTable,
): TableDrift & { status: 'in-sync' | 'drifted' } {
  const regFields = new Map(reg.fields.map((f) => [f.name.toLowerCase(), f]));
  const columnsAdded: string[] = [];
  const typeChanged: { name: string; from: string; to: string }[] = [];
  const present = new Set<string>();
  for (const c of found.columns) {
    const k = c.name.toLowerCase();
    present.add(k);
    const f = regFields.get(k);
    if (!f) columnsAdded.push(c.name);
    else if (!sameType(f.type, c.portableType)) {
      typeChanged.push({ name: c.name, from: f.type, to: c.columnType });
    }
  }
  const columnsRemoved = reg.fields
    .filter((f) => !present.has(f.name.toLowerCase()))
    .map((f) => f.name);
  const drifted = columnsAdded.length + columnsRemoved.length + typeChanged.length > 0;
  return {
    status: drifted ? 'drifted' : 'in-sync',
    columnsAdded,
    columnsRemoved,
    typeChanged,
    missingInWarehouse: false,
  };
}

/**
 * Whether a registered type equals a warehouse column's portable type. A registered type that
 * was clipped to fit the registry (ending in `…`) matches on its prefix.
 */
function sameType(registered: string, portable: string): boolean {
  if (registered.endsWith('…')) {
    return portable.startsWith(portableType(registered.slice(0, -1)));
  }
  return portableType(registered) === portable;
}

/** Whether a qualified name falls inside a snapshot's scope. @internal */
export function inScope(qn: string, scope: WarehouseScope): boolean {
  let rest = qn;
  const catalog = scope.catalog?.toLowerCase() ?? null;
  if (catalog !== null && catalog !== 'internal') {
    if (!qn.startsWith(`${catalog}.`)) return false;
    rest = qn.slice(catalog.length + 1);
  } else if (qn.split('.').length !== 2) {
    return false;
  }
  const db = rest.split('.')[0] ?? '';
  return scope.databases === null || scope.databases.includes(db) || scope.tables.includes(qn);
}
