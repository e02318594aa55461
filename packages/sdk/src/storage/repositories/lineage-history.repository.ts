import { type Kysely, sql } from 'kysely';
import type { Database, DataLineageHistoryRow } from '../database.js';

/** Identity of an edge across its versions. */
function edgeKey(r: {
  source: string;
  target: string;
  task_id: number;
  provenance: string;
}): string {
  return `${r.task_id}\u0000${r.provenance}\u0000${r.source}\u0000${r.target}`;
}

/**
 * Brings the open history versions of the edges in scope in line with `data_lineage`: versions
 * of edges that are gone or whose columns changed are closed at `now`, new or changed edges get
 * a version from `now`. Scope: one task's edges (any provenance), or, for `taskId` 0, the edges
 * between `pairs` (manual and observed edges without a task).
 *
 * @internal
 */
export async function syncLineageHistory(
  db: Kysely<Database>,
  scope: {
    readonly taskId: number;
    readonly taskVersion: number;
    readonly pairs?: ReadonlyArray<readonly [string, string]>;
  },
  now: number,
): Promise<void> {
  let current = db
    .selectFrom('data_lineage')
    .select(['source', 'target', 'task_id', 'provenance', 'columns_json'])
    .where('task_id', '=', scope.taskId);
  let open = db
    .selectFrom('data_lineage_history')
    .select(['id', 'source', 'target', 'task_id', 'provenance', 'columns_json'])
    .where('task_id', '=', scope.taskId)
    .where('valid_to', 'is', null);
  if (scope.pairs !== undefined) {
    const sources = [...new Set(scope.pairs.map((p) => p[0]))];
    if (sources.length === 0) return;
    current = current.where('source', 'in', sources);
    open = open.where('source', 'in', sources);
  }
  const [now_, was] = await Promise.all([current.execute(), open.execute()]);
  const wanted = new Set(scope.pairs?.map((p) => `${p[0]}\u0000${p[1]}`));
  const inScope = (r: { source: string; target: string }) =>
    scope.pairs === undefined || wanted.has(`${r.source}\u0000${r.target}`);
  const currentByKey = new Map(
    now_.filter(inScope).map((r) => [edgeKey({ ...r, task_id: Number(r.task_id) }), r]),
  );
  const close: number[] = [];
  const kept = new Set<string>();
  for (const h of was.filter(inScope)) {
    const k = edgeKey({ ...h, task_id: Number(h.task_id) });
    const c = currentByKey.get(k);
    if (c !== undefined && c.columns_json === h.columns_json && !kept.has(k)) kept.add(k);
    else close.push(Number(h.id));
  }
  for (let i = 0; i < close.length; i += 500) {
    await db
      .updateTable('data_lineage_history')
      .set({ valid_to: now })
      .where('id', 'in', close.slice(i, i + 500))
      .execute();
  }
  const add = [...currentByKey.entries()]
    .filter(([k]) => !kept.has(k))
    .map(([, c]) => ({
      source: c.source,
      target: c.target,
      task_id: Number(c.task_id),
      provenance: c.provenance,
      columns_json: c.columns_json,
      task_version: scope.taskVersion,
      valid_from: now,
      valid_to: null,
    }));
  for (let i = 0; i < add.length; i += 500) {
    await db
      .insertInto('data_lineage_history')
      .values(add.slice(i, i + 500))
      .execute();
  }
}

/** The condition "valid at `at`" on history rows. */
function validAt(at: number) {
  return sql<boolean>`valid_from <= ${at} and (valid_to is null or valid_to > ${at})`;
}

/**
 * Edge versions valid at `at`, walking from `start` through the source (downstream) or target
 * (upstream) index, one query per level, up to `depth` hops. Returns every version met.
 *
 * @internal
 */
export async function walkHistory(
  db: Kysely<Database>,
  options: {
    readonly start: string;
    readonly at: number;
    readonly direction: 'upstream' | 'downstream';
    readonly depth: number;
  },
): Promise<DataLineageHistoryRow[]> {
  const out: DataLineageHistoryRow[] = [];
  const seen = new Set<string>([options.start]);
  let frontier = [options.start];
  const by = options.direction === 'downstream' ? 'source' : 'target';
  for (let level = 0; level < options.depth && frontier.length > 0; level++) {
    const next: string[] = [];
    for (let i = 0; i < frontier.length; i += 500) {
      const rows = await db
        .selectFrom('data_lineage_history')
        .selectAll()
        .where(by, 'in', frontier.slice(i, i + 500))
        .where(validAt(options.at))
        .execute();
      for (const r of rows) {
        out.push(r);
        const other = options.direction === 'downstream' ? r.target : r.source;
        if (!seen.has(other)) {
          seen.add(other);
          next.push(other);
        }
      }
    }
    frontier = next;
  }
  return out;
}

/**
 * Every edge version valid at `at` (the whole graph as of that instant).
 *
 * @internal
 */
export async function historyAt(
  db: Kysely<Database>,
  at: number,
): Promise<DataLineageHistoryRow[]> {
  return db
    .selectFrom('data_lineage_history')
    .selectAll()
    .where(validAt(at))
    .orderBy('id')
    .execute();
}

/**
 * Edge versions that started or ended inside `(from, to]`: the raw material of a diff.
 *
 * @internal
 */
export async function historyChanges(
  db: Kysely<Database>,
  from: number,
  to: number,
): Promise<{ started: DataLineageHistoryRow[]; ended: DataLineageHistoryRow[] }> {
  const [started, ended] = await Promise.all([
    db
      .selectFrom('data_lineage_history')
      .selectAll()
      .where('valid_from', '>', from)
      .where('valid_from', '<=', to)
      .execute(),
    db
      .selectFrom('data_lineage_history')
      .selectAll()
      .where('valid_to', '>', from)
      .where('valid_to', '<=', to)
      .execute(),
  ]);
  return { started, ended };
}
