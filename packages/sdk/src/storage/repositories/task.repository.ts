import type { Kysely } from 'kysely';
import type { EngineRef, Task } from '../../models/task.js';
import type { Database, DataTaskRow } from '../database.js';
import { parseJson, toDate } from './json.js';

/** @internal */
export function taskFromRow(r: DataTaskRow): Task {
  return {
    id: Number(r.id),
    name: r.name,
    description: r.description,
    kind: r.kind as Task['kind'],
    sql: r.sql_text,
    taskType: r.task_type as Task['taskType'],
    engine: r.engine as Task['engine'],
    schedule: r.schedule,
    inputs: parseJson<string[]>(r.inputs_json, []),
    outputs: parseJson<string[]>(r.outputs_json, []),
    owner: r.owner,
    datasource: r.datasource,
    retries: Number(r.retries),
    timeoutSeconds: Number(r.timeout_seconds),
    preStatements: parseJson<string[]>(r.pre_json, []),
    postStatements: parseJson<string[]>(r.post_json, []),
    status: r.status as Task['status'],
    engineRef: parseJson<EngineRef | null>(r.engine_ref_json, null),
    lastError: r.last_error,
    version: Number(r.version),
    createdAt: toDate(r.created_at) ?? new Date(0),
    updatedAt: toDate(r.updated_at) ?? new Date(0),
  };
}

/** @internal */
export function taskToRow(
  t: Omit<Task, 'id' | 'createdAt' | 'updatedAt' | 'version'>,
): Omit<DataTaskRow, 'id' | 'created_at' | 'updated_at' | 'version'> {
  return {
    name: t.name,
    description: t.description,
    kind: t.kind,
    sql_text: t.sql,
    task_type: t.taskType,
    engine: t.engine,
    schedule: t.schedule,
    inputs_json: JSON.stringify(t.inputs),
    outputs_json: JSON.stringify(t.outputs),
    owner: t.owner,
    datasource: t.datasource,
    retries: t.retries,
    timeout_seconds: t.timeoutSeconds,
    pre_json: JSON.stringify(t.preStatements),
    post_json: JSON.stringify(t.postStatements),
    status: t.status,
    engine_ref_json: t.engineRef === null ? null : JSON.stringify(t.engineRef),
    last_error: t.lastError,
  };
}

/** Finds a task by id or name. @internal */
export async function findTaskRow(
  db: Kysely<Database>,
  ref: number | string,
): Promise<DataTaskRow | undefined> {
  const q = db.selectFrom('data_task').selectAll();
  return typeof ref === 'number'
    ? q.where('id', '=', ref).executeTakeFirst()
    : q.where('name', '=', ref).executeTakeFirst();
}

/**
 * Updates a task row only if its version still equals `expectedVersion`, bumping the version.
 * Returns whether the row was updated (false means someone else changed it first).
 *
 * @internal
 */
export async function updateTaskRow(
  db: Kysely<Database>,
  id: number,
  expectedVersion: number,
  changes: Partial<Omit<DataTaskRow, 'id' | 'version'>>,
): Promise<boolean> {
  const r = await db
    .updateTable('data_task')
    .set({ ...changes, version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
