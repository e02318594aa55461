import type { Kysely } from 'kysely';
import type { ColumnPair, LineageEdge } from '../../models/lineage-edge.js';
import type { Database, DataLineageRow } from '../database.js';
import { parseJson, toDate } from './json.js';
import { syncLineageHistory } from './lineage-history.repository.js';

/** @internal */
export function edgeFromRow(r: DataLineageRow): LineageEdge {
  const taskId = Number(r.task_id);
  return {
    id: Number(r.id),
    source: r.source,
    target: r.target,
    taskId: taskId === 0 ? null : taskId,
    provenance: r.provenance as LineageEdge['provenance'],
    columns: parseJson<ColumnPair[]>(r.columns_json, []),
    createdAt: toDate(r.created_at) ?? new Date(0),
  };
}

/** Replaces the declared edges of a task with inputs × outputs. @internal */
export async function replaceTaskEdges(
  db: Kysely<Database>,
  taskId: number,
  edges: readonly { source: string; target: string; columns?: readonly ColumnPair[] }[],
  now: number,
): Promise<void> {
  await db
    .deleteFrom('data_lineage')
    .where('task_id', '=', taskId)
    .where('provenance', '=', 'declared')
    .execute();
  await insertTaskEdges(db, taskId, edges, now);
  // Every edge change is versioned, stamped with the task version that made it.
  const task = await db
    .selectFrom('data_task')
    .select('version')
    .where('id', '=', taskId)
    .executeTakeFirst();
  await syncLineageHistory(db, { taskId, taskVersion: Number(task?.version ?? 0) }, now);
}

async function insertTaskEdges(
  db: Kysely<Database>,
  taskId: number,
  edges: readonly { source: string; target: string; columns?: readonly ColumnPair[] }[],
  now: number,
): Promise<void> {
  if (edges.length === 0) return;
  const rows = edges.map((e) => ({
    source: e.source,
    target: e.target,
    task_id: taskId,
    provenance: 'declared',
    columns_json: JSON.stringify(e.columns ?? []),
    created_at: now,
  }));
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('data_lineage')
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

/**
 * Breadth-first search over stored edges from `starts` (excluding the edges of `excludeTask`),
 * one query per level through the source index, looking for any of `goals`. Returns the path
 * from a start to the first goal found, or null.
 *
 * @internal
 */
export async function findPathInStore(
  db: Kysely<Database>,
  starts: readonly string[],
  goals: ReadonlySet<string>,
  excludeTask: number,
): Promise<string[] | null> {
  const parent = new Map<string, string | null>();
  let frontier: string[] = [];
  for (const s of starts) {
    if (!parent.has(s)) {
      parent.set(s, null);
      frontier.push(s);
    }
  }
  const pathTo = (node: string): string[] => {
    const path: string[] = [];
    let cur: string | null | undefined = node;
    while (cur != null) {
      path.push(cur);
      cur = parent.get(cur);
    }
    return path.reverse();
  };
  for (const s of frontier) if (goals.has(s)) return pathTo(s);
  while (frontier.length > 0) {
    const next: string[] = [];
    for (let i = 0; i < frontier.length; i += 500) {
      const rows = await db
        .selectFrom('data_lineage')
        .select(['source', 'target'])
        .where('source', 'in', frontier.slice(i, i + 500))
        .where('task_id', '!=', excludeTask)
        .execute();
      for (const r of rows) {
        if (parent.has(r.target)) continue;
        parent.set(r.target, r.source);
        if (goals.has(r.target)) return pathTo(r.target);
        next.push(r.target);
      }
    }
    frontier = next;
  }
  return null;
}
