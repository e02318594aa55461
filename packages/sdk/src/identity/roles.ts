import { AsyncLocalStorage } from 'node:async_hooks';
import { z } from 'zod';
import { SdkError } from '../errors.js';

/**
 * Roles, from least to most: `viewer` reads; `developer` creates and changes tables and tasks
 * and publishes and runs the ones they own; `admin` manages datasources, users and tokens and
 * may change any table or task. Ownership (a table's or task's `owner`) is not a role: it is
 * checked per entity by {@link assertMayChange}.
 */
export const RoleSchema = z.enum(['viewer', 'developer', 'admin']);
/** A role, see {@link RoleSchema}. */
export type Role = z.infer<typeof RoleSchema>;

/** Every role, least first. */
export const ROLES: readonly Role[] = RoleSchema.options;

const RANK: Readonly<Record<Role, number>> = { viewer: 0, developer: 1, admin: 2 };

/**
 * Whether `role` grants at least what `needed` grants.
 *
 * @param role - the caller's role
 * @param needed - the role an operation needs
 * @returns true when `role` is `needed` or above
 * @example
 * ```ts
 * roleAtLeast('admin', 'developer'); // true
 * roleAtLeast('viewer', 'developer'); // false
 * ```
 */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

/**
 * Who performs a write: a user (or a token's user) with a role, plus where the request came
 * from when there was one. Every write use case takes one, checks it, and records it in the
 * audit log.
 */
export interface Actor {
  /** User name (the `owner` value of what they create). */
  readonly name: string;
  /** The role the caller acts with (a token's role, which may be below its user's). */
  readonly role: Role;
  /** The request id, when the write came through the server. */
  readonly requestId?: string | undefined;
  /** The caller's address, when the write came through the server. */
  readonly sourceIp?: string | undefined;
}

/**
 * The actor of writes the portal makes by itself (pollers, engine reports, the demo load, a
 * script that did not say who it is). It is an admin, so library users who do not pass an
 * actor keep today's behaviour; the audit log names it `system`.
 */
export const SYSTEM_ACTOR: Actor = Object.freeze({ name: 'system', role: 'admin' });

/**
 * Throws unless the actor's role is at least `needed`.
 *
 * @param actor - who acts
 * @param needed - the role the operation needs
 * @param action - what they try, for the message (`create a datasource`)
 * @throws {@link SdkError} `FORBIDDEN`
 * @example
 * ```ts
 * assertRole({ name: 'ann', role: 'viewer' }, 'developer', 'create a task'); // throws FORBIDDEN
 * ```
 */
export function assertRole(actor: Actor, needed: Role, action: string): void {
  if (roleAtLeast(actor.role, needed)) return;
  throw new SdkError(
    'FORBIDDEN',
    `sdk: ${actor.name} (${actor.role}) may not ${action}: it needs the ${needed} role`,
    { details: { actor: actor.name, role: actor.role, needed } },
  );
}

/**
 * Throws unless the actor may change an entity: admins always; developers when they own it
 * (or when it has no owner yet); viewers never.
 *
 * @param actor - who acts
 * @param owner - the entity's `owner`
 * @param action - what they try, for the message (`publish task load_orders`)
 * @throws {@link SdkError} `FORBIDDEN`
 * @example
 * ```ts
 * assertMayChange({ name: 'ann', role: 'developer' }, 'bob', 'update task t1'); // throws FORBIDDEN
 * ```
 */
export function assertMayChange(
  actor: Actor,
  owner: string | null | undefined,
  action: string,
): void {
  assertRole(actor, 'developer', action);
  if (actor.role === 'admin' || owner === null || owner === undefined || owner === actor.name) {
    return;
  }
  throw new SdkError(
    'FORBIDDEN',
    `sdk: ${actor.name} may not ${action}: it is owned by ${owner} (the owner or an admin may; the owner can hand it over)`,
    { details: { actor: actor.name, owner } },
  );
}

const actorStorage = new AsyncLocalStorage<Actor>();

/**
 * Runs `fn` with `actor` as the acting user of every portal write it makes (directly or in
 * callbacks it schedules), unless a portal was scoped with `portal.as(…)`. A server calls this
 * once per request; scripts usually prefer `portal.as(actor)`.
 *
 * @param actor - who acts
 * @param fn - the work
 * @returns what `fn` returns
 * @example
 * ```ts
 * await runAs({ name: 'ann', role: 'developer' }, () => portal.createTask(input));
 * ```
 */
export function runAs<T>(actor: Actor, fn: () => T): T {
  return actorStorage.run(actor, fn);
}

/**
 * The actor set by the innermost {@link runAs}, if any.
 *
 * @returns the actor or undefined
 */
export function currentActor(): Actor | undefined {
  return actorStorage.getStore();
}
