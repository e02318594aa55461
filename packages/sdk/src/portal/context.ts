import type { SqlDialect } from '@dataportal/lineage';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { BatchEngine } from '../engine/batch-engine.js';
import type { StreamEngine } from '../engine/stream-engine.js';
import { fromZodError, SdkError } from '../errors.js';
import { type AuditInput, appendAudit } from '../identity/audit.js';
import { type Actor, currentActor, SYSTEM_ACTOR } from '../identity/roles.js';
import { decodeCursor, encodeCursor, KeyedMutex } from '../internal/db-errors.js';
import type { Execution, ExecutionStatus } from '../models/execution.js';
import type { EngineRef, Task, TaskStatus } from '../models/task.js';
import type { Database } from '../storage/database.js';
import { findTaskRow, taskFromRow } from '../storage/repositories/task.repository.js';
import type { Store } from '../storage/store.js';

// The state every use-case module of the portal shares, and the small helpers they all use.
// Nothing here is exported from the package: `PortalService` builds one context and hands it to
// each module (catalog, tasks, lineage, runs, publishing).

/** A table or task reference: numeric id, or qualified name (tables) / name (tasks). */
export type EntityRef = number | string;

/** A page of results with an opaque cursor for the next page. */
export interface Page<T> {
  /** The items of this page. */
  readonly items: T[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  readonly nextCursor: string | null;
}

/** Batch engines by name. */
export interface BatchEngines {
  /** DolphinScheduler. */
  readonly dolphin?: BatchEngine;
  /** The embedded local engine. */
  readonly local?: BatchEngine;
}

/** Stream engines by name. */
export interface StreamEngines {
  /** Dinky (Flink). */
  readonly dinky?: StreamEngine;
}

/**
 * What the portal's use-case modules share: the store, the engines, the clock, and the caches
 * and locks that must be one per portal. Built by `PortalService`.
 *
 * @internal
 */
export interface PortalContext {
  readonly store: Store;
  readonly db: Kysely<Database>;
  readonly now: () => number;
  readonly batch: BatchEngines;
  readonly stream: StreamEngines;
  readonly sqlDialect: SqlDialect;
  /** Store column pairs read from task SQL on declared edges (see `PortalServiceConfig`). */
  readonly columnLineage: boolean;
  /** One publish at a time per unit or stream task. */
  readonly publishLock: KeyedMutex;
  /** Task ids seen to exist, so run reports skip a lookup; deleting a task forgets its id. */
  readonly knownTasks: Set<number>;
  /** Listeners of execution changes (see `PortalService.onExecutionChange`). */
  readonly executionListeners: Set<ExecutionListener>;
  /** Who performs this portal's writes (checked and audited); `SYSTEM_ACTOR` by default. */
  readonly actor: Actor;
}

/**
 * Appends the audit row of a write, in the write's own transaction, naming the context's actor.
 *
 * @internal
 */
export async function audit(
  ctx: PortalContext,
  db: Kysely<Database>,
  entry: Omit<AuditInput, 'actor'>,
): Promise<void> {
  await appendAudit(db, { ...entry, actor: ctx.actor }, ctx.now());
}

/** A change of a stored execution: a new run, or a run whose status or details moved. */
export interface ExecutionChange {
  /** The execution after the change. */
  readonly execution: Execution;
  /** Its status before the change, or null when the run is new. */
  readonly previousStatus: ExecutionStatus | null;
}

/** Receives execution changes after they are stored. */
export type ExecutionListener = (change: ExecutionChange) => void;

/** @internal */
export function createContext(config: {
  readonly store: Store;
  readonly batchEngines?: BatchEngines;
  readonly streamEngines?: StreamEngines;
  readonly now?: () => number;
  readonly sqlDialect?: SqlDialect;
  readonly actor?: Actor;
  readonly columnLineage?: boolean;
}): PortalContext {
  return {
    store: config.store,
    db: config.store.db,
    now: config.now ?? Date.now,
    batch: config.batchEngines ?? {},
    stream: config.streamEngines ?? {},
    sqlDialect: config.sqlDialect ?? 'doris',
    columnLineage: config.columnLineage ?? false,
    publishLock: new KeyedMutex(),
    knownTasks: new Set<number>(),
    executionListeners: new Set<ExecutionListener>(),
    // A portal scoped with `as` names its actor; otherwise the caller's `runAs`, else the system.
    get actor(): Actor {
      return config.actor ?? currentActor() ?? SYSTEM_ACTOR;
    },
  };
}

/** @internal */
export const LIMIT = z.number().int().min(1).max(1000).default(100);

/** @internal */
export function parse<T extends z.ZodType>(schema: T, what: string, value: unknown): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw fromZodError(what, r.error);
  return r.data;
}

/** @internal */
export function asArray<T>(v: T | readonly T[] | undefined): readonly T[] | undefined {
  if (v === undefined) return undefined;
  return Array.isArray(v) ? (v as readonly T[]) : [v as T];
}

/** @internal */
export function storageError(what: string, err: unknown): SdkError {
  if (err instanceof SdkError) return err;
  return new SdkError('STORAGE_FAILED', `sdk: ${what} failed`, { cause: err });
}

/** @internal */
export function pageOf<T extends { id: number }>(items: T[], limit: number): Page<T> {
  if (items.length > limit) {
    const page = items.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page, nextCursor: last ? encodeCursor(last.id) : null };
  }
  return { items, nextCursor: null };
}

/** @internal */
export function cursorId(cursor: string | undefined): number | null {
  if (cursor === undefined) return null;
  const id = decodeCursor(cursor);
  if (id === null) {
    throw new SdkError('VALIDATION_FAILED', 'sdk: malformed cursor', {
      issues: [{ path: ['cursor'], message: 'not a cursor from a previous page', code: 'custom' }],
    });
  }
  return id;
}

/**
 * A LIKE pattern matching `prefix` literally. '!' rather than backslash escapes: it needs no
 * escaping in either MySQL or SQLite string literals.
 *
 * @internal
 */
export function likePrefix(prefix: string): string {
  return `${prefix.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

/** @internal */
export function errorText(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.length > 2000 ? `${msg.slice(0, 2000)}…` : msg;
}

/** @internal */
export function engineError(what: string, err: unknown): SdkError {
  if (err instanceof SdkError) return err;
  return new SdkError('ENGINE_FAILED', `sdk: ${what} failed: ${errorText(err)}`, { cause: err });
}

/**
 * Serialises graph writers (the UPDATE takes the row lock on MySQL; SQLite transactions run one
 * at a time) so two concurrent tasks cannot each add half of a cycle, and bumps the graph stamp
 * that tells cached lineage graphs they are stale.
 *
 * @internal
 */
export async function lockLineage(trx: Kysely<Database>): Promise<void> {
  await trx
    .updateTable('dp_lock')
    .set((eb) => ({ touched_at: eb('touched_at', '+', 1) }))
    .where('name', '=', 'lineage')
    .execute();
}

/**
 * The error for an update that does not say which version it read: last-writer-wins would
 * silently overwrite someone else's change. @internal
 */
export function versionRequired(what: string, current: number): SdkError {
  return new SdkError(
    'PRECONDITION_REQUIRED',
    `sdk: changing ${what} needs the version you read (it is ${current} now); send version`,
    { details: { currentVersion: current } },
  );
}

/** Reads a task by id or name, or throws NOT_FOUND. @internal */
export async function loadTask(db: Kysely<Database>, ref: EntityRef): Promise<Task> {
  const row = await findTaskRow(db, ref);
  if (!row) throw new SdkError('NOT_FOUND', `sdk: task ${String(ref)} not found`);
  return taskFromRow(row);
}

/** The batch engine a task runs on, or ENGINE_NOT_CONFIGURED. @internal */
export function batchFor(ctx: PortalContext, task: Task): BatchEngine {
  if (task.taskType !== 'batch') {
    throw new SdkError('INVALID_STATE', `sdk: task ${task.name} is a stream task`);
  }
  const engine = ctx.batch[task.engine as 'dolphin' | 'local'];
  if (!engine) {
    throw new SdkError(
      'ENGINE_NOT_CONFIGURED',
      `sdk: no ${task.engine} engine is configured for task ${task.name}`,
      { details: { engine: task.engine } },
    );
  }
  return engine;
}

/** The stream engine a task runs on, or ENGINE_NOT_CONFIGURED. @internal */
export function streamFor(ctx: PortalContext, task: Task): StreamEngine {
  if (task.taskType !== 'stream') {
    throw new SdkError('INVALID_STATE', `sdk: task ${task.name} is a batch task`);
  }
  const engine = ctx.stream.dinky;
  if (!engine) {
    throw new SdkError(
      'ENGINE_NOT_CONFIGURED',
      `sdk: no ${task.engine} engine is configured for stream task ${task.name}`,
      { details: { engine: task.engine } },
    );
  }
  return engine;
}

/**
 * Writes what the engine says about a task (reference, status, last error). Engine state
 * follows the engine, not the editor: it is written without a version check but still bumps the
 * version so a concurrent editor learns the task changed.
 *
 * @internal
 */
export async function saveEngineState(
  ctx: PortalContext,
  task: Task,
  state: { engineRef?: EngineRef | null; status?: TaskStatus; lastError?: string | null },
): Promise<Task> {
  const changes: Record<string, unknown> = { updated_at: ctx.now() };
  if (state.engineRef !== undefined) {
    changes['engine_ref_json'] = state.engineRef === null ? null : JSON.stringify(state.engineRef);
  }
  if (state.status !== undefined) changes['status'] = state.status;
  if (state.lastError !== undefined) changes['last_error'] = state.lastError;
  await ctx.db
    .updateTable('data_task')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
    .where('id', '=', task.id)
    .execute();
  return loadTask(ctx.db, task.id);
}
