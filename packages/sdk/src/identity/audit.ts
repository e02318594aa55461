import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../storage/database.js';
import type { Actor } from './roles.js';

/** One audit row: who changed what, when, from which version to which. */
export interface AuditEntry {
  /** Stored id (increasing). */
  readonly id: number;
  /** When, to the millisecond. */
  readonly at: Date;
  /** The actor's name. */
  readonly actor: string;
  /** The actor's role at the time. */
  readonly role: string;
  /** What was done: `task.create`, `task.publish`, `token.revoke` … */
  readonly action: string;
  /** Entity kind: `task`, `table`, `datasource`, `lineage_edge`, `user`, `token`, `secret` … */
  readonly entity: string;
  /** The entity's id (or name), as text. */
  readonly entityId: string | null;
  /** Its version before the change, when versioned. */
  readonly versionBefore: number | null;
  /** Its version after the change, when versioned. */
  readonly versionAfter: number | null;
  /** The request id, when the change came through the server. */
  readonly requestId: string | null;
  /** The caller's address, when the change came through the server. */
  readonly sourceIp: string | null;
  /** Small structured details (never secrets). */
  readonly details: Readonly<Record<string, unknown>>;
}

/** What a write appends: the actor plus the change. */
export interface AuditInput {
  /** Who. */
  readonly actor: Actor;
  /** What was done. */
  readonly action: string;
  /** Entity kind. */
  readonly entity: string;
  /** Entity id or name. */
  readonly entityId?: string | number | null;
  /** Version before. */
  readonly versionBefore?: number | null;
  /** Version after. */
  readonly versionAfter?: number | null;
  /** Small structured details (never secrets). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * Appends one audit row on the given connection or transaction. Pass the transaction of the
 * change itself, so the row and the change commit or roll back together. There is no function
 * that updates or deletes audit rows, and the store's triggers refuse both.
 *
 * @param db - the store's Kysely or the change's transaction
 * @param input - actor, action, entity, versions
 * @param now - epoch milliseconds (defaults to now)
 * @example
 * ```ts
 * await store.db.transaction().execute(async (trx) => {
 *   // … the change …
 *   await appendAudit(trx, { actor, action: 'task.update', entity: 'task', entityId: 7, versionBefore: 3, versionAfter: 4 });
 * });
 * ```
 */
export async function appendAudit(
  db: Kysely<Database> | Transaction<Database>,
  input: AuditInput,
  now: number = Date.now(),
): Promise<void> {
  await db
    .insertInto('dp_audit')
    .values({
      at: now,
      actor: input.actor.name.slice(0, 128),
      role: input.actor.role,
      action: input.action.slice(0, 64),
      entity: input.entity.slice(0, 64),
      entity_id:
        input.entityId === undefined || input.entityId === null
          ? null
          : String(input.entityId).slice(0, 255),
      version_before: input.versionBefore ?? null,
      version_after: input.versionAfter ?? null,
      request_id: input.actor.requestId?.slice(0, 64) ?? null,
      source_ip: input.actor.sourceIp?.slice(0, 64) ?? null,
      details_json: JSON.stringify(input.details ?? {}),
    })
    .execute();
}

/** Filters of {@link listAudit}. */
export interface AuditQuery {
  /** Only this entity kind. */
  readonly entity?: string;
  /** Only this entity id. */
  readonly entityId?: string;
  /** Only this actor. */
  readonly actor?: string;
  /** Only rows at or after this time. */
  readonly since?: Date;
  /** Only rows with an id below this (the previous page's last id). */
  readonly beforeId?: number;
  /** Page size (1–500, default 100). */
  readonly limit?: number;
}

/**
 * Reads audit rows, newest first.
 *
 * @param db - the store's Kysely
 * @param query - filters and page
 * @returns the rows
 * @example
 * ```ts
 * const rows = await listAudit(store.db, { entity: 'task', since: new Date(Date.now() - 86_400_000) });
 * ```
 */
export async function listAudit(
  db: Kysely<Database>,
  query: AuditQuery = {},
): Promise<AuditEntry[]> {
  let q = db.selectFrom('dp_audit').selectAll().orderBy('id', 'desc');
  if (query.entity) q = q.where('entity', '=', query.entity);
  if (query.entityId) q = q.where('entity_id', '=', query.entityId);
  if (query.actor) q = q.where('actor', '=', query.actor);
  if (query.since) q = q.where('at', '>=', query.since.getTime());
  if (query.beforeId !== undefined) q = q.where('id', '<', query.beforeId);
  const rows = await q.limit(Math.min(Math.max(query.limit ?? 100, 1), 500)).execute();
  return rows.map((r) => ({
    id: Number(r.id),
    at: new Date(Number(r.at)),
    actor: r.actor,
    role: r.role,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    versionBefore: r.version_before === null ? null : Number(r.version_before),
    versionAfter: r.version_after === null ? null : Number(r.version_after),
    requestId: r.request_id,
    sourceIp: r.source_ip,
    details: JSON.parse(r.details_json) as Record<string, unknown>,
  }));
}
