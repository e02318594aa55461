import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { fromZodError, SdkError } from '../errors.js';
import type { Store } from '../storage/store.js';
import { type Actor, assertRole, type Role, RoleSchema, roleAtLeast } from './roles.js';

/** Prefix of every API token, so scanners and people recognise one. */
export const TOKEN_PREFIX = 'dp_';

/** A portal user. */
export interface User {
  /** Stored id. */
  readonly id: number;
  /** Unique login name; what `owner` fields hold. */
  readonly name: string;
  /** Name to show. */
  readonly displayName: string | null;
  /** Email address. */
  readonly email: string | null;
  /** The user's role (their tokens may carry a lower one). */
  readonly role: Role;
  /** When the user was created. */
  readonly createdAt: Date;
}

/** What kind of credential a token is. */
export type TokenKind = 'api' | 'session' | 'bootstrap';

/** An API token as listed: never the token itself, only a recognisable prefix. */
export interface ApiToken {
  /** Stored id (for revocation). */
  readonly id: number;
  /** The user it acts as. */
  readonly userName: string;
  /** What the token is for. */
  readonly name: string;
  /** The role it acts with (at most its user's). */
  readonly role: Role;
  /** `api` (made by a user), `session` (a browser sign-in), `bootstrap` (the first admin's). */
  readonly kind: TokenKind;
  /** The first characters of the token, e.g. `dp_Ab3x`, to tell tokens apart. */
  readonly prefix: string;
  /** When it was made. */
  readonly createdAt: Date;
  /** When it stops working, or null for never. */
  readonly expiresAt: Date | null;
  /** When it was revoked, or null. */
  readonly revokedAt: Date | null;
  /** When it was last used (updated at most once a minute), or null. */
  readonly lastUsedAt: Date | null;
}

/** Input of {@link IdentityService.saveUser}. */
export const UserInputSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1)
    .max(128)
    .regex(/^[A-Za-z0-9_.@-]+$/, 'letters, digits, _ . @ - only'),
  displayName: z.string().trim().max(255).optional(),
  email: z.email().max(255).optional(),
  role: RoleSchema,
});
/** Input of {@link IdentityService.saveUser}, see {@link UserInputSchema}. */
export type UserInput = z.input<typeof UserInputSchema>;

/** Input of {@link IdentityService.createToken}. */
export interface CreateTokenInput {
  /** The user the token acts as (created as a viewer-or-given-role user when missing only for admins). */
  readonly userName: string;
  /** What the token is for (`ci`, `notebook`). */
  readonly name: string;
  /** Role of the token; defaults to the user's. Never above the user's. */
  readonly role?: Role;
  /** Days until it expires; absent or null for never. */
  readonly expiresInDays?: number | null;
  /** Milliseconds until it expires (sessions); wins over `expiresInDays`. */
  readonly expiresInMs?: number;
  /** Kind; defaults to `api`. */
  readonly kind?: TokenKind;
  /** Use this token value (the operator's `DATAPORTAL_ADMIN_TOKEN`) instead of a random one. */
  readonly value?: string;
}

/** The result of {@link IdentityService.createToken}: the token, shown once. */
export interface CreatedToken {
  /** The token itself; only its hash is stored, so this is the only time it is seen. */
  readonly token: string;
  /** The stored record. */
  readonly record: ApiToken;
}

/** A token that checked out: who it acts as. */
export interface VerifiedToken {
  /** The token's record. */
  readonly token: ApiToken;
  /** Its user. */
  readonly user: User;
  /** The actor to pass to write use cases. */
  readonly actor: Actor;
}

/**
 * The SHA-256 of a token, hex. Tokens carry 32 random bytes, so a fast hash is enough (a
 * guess costs 2^256 tries); the store never holds a token, only this.
 *
 * @param token - the token
 * @returns 64 hex characters
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * A new random token: `dp_` and 43 base64url characters (32 bytes from the system's CSPRNG).
 *
 * @returns the token
 */
export function generateToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

const time = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

interface TokenRow {
  id: number;
  user_name: string;
  name: string;
  role: string;
  kind: string;
  prefix: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
}

function tokenFromRow(r: TokenRow): ApiToken {
  return {
    id: Number(r.id),
    userName: r.user_name,
    name: r.name,
    role: RoleSchema.parse(r.role),
    kind: r.kind as TokenKind,
    prefix: r.prefix,
    createdAt: new Date(Number(r.created_at)),
    expiresAt: time(r.expires_at === null ? null : Number(r.expires_at)),
    revokedAt: time(r.revoked_at === null ? null : Number(r.revoked_at)),
    lastUsedAt: time(r.last_used_at === null ? null : Number(r.last_used_at)),
  };
}

function userFromRow(r: {
  id: number;
  name: string;
  display_name: string | null;
  email: string | null;
  role: string;
  created_at: number;
}): User {
  return {
    id: Number(r.id),
    name: r.name,
    displayName: r.display_name,
    email: r.email,
    role: RoleSchema.parse(r.role),
    createdAt: new Date(Number(r.created_at)),
  };
}

/** Options of {@link IdentityService}. */
export interface IdentityServiceOptions {
  /** The portal store (users and tokens live in `dp_user` and `dp_api_token`). */
  readonly store: Store;
  /** Clock in epoch milliseconds. Defaults to `Date.now`. */
  readonly now?: () => number;
}

/**
 * Users and API tokens. A token is random (32 bytes), prefixed `dp_`, shown once when made and
 * stored only as its SHA-256; it has a name, a role no higher than its user's, an optional
 * expiry, and can be revoked. Checking a token is one indexed lookup by hash.
 *
 * @example
 * ```ts
 * const identity = new IdentityService({ store });
 * await identity.saveUser({ name: 'ann', role: 'developer' }, SYSTEM_ACTOR);
 * const { token } = await identity.createToken({ userName: 'ann', name: 'ci', expiresInDays: 30 }, SYSTEM_ACTOR);
 * const who = await identity.verifyToken(token); // { user: { name: 'ann' … }, actor: … }
 * ```
 */
export class IdentityService {
  readonly #store: Store;
  readonly #now: () => number;

  constructor(options: IdentityServiceOptions) {
    this.#store = options.store;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Creates a user or updates their display name, email and role (admins only).
   *
   * @param input - name, display name, email, role
   * @param actor - who does it
   * @returns the user
   */
  async saveUser(input: UserInput, actor: Actor): Promise<User> {
    assertRole(actor, 'admin', 'manage users');
    const parsed = UserInputSchema.safeParse(input);
    if (!parsed.success) throw fromZodError('user', parsed.error);
    const u = parsed.data;
    const db = this.#store.db;
    const now = this.#now();
    const existing = await db
      .selectFrom('dp_user')
      .select('id')
      .where('name', '=', u.name)
      .executeTakeFirst();
    if (existing) {
      await db
        .updateTable('dp_user')
        .set({
          display_name: u.displayName ?? null,
          email: u.email ?? null,
          role: u.role,
          updated_at: now,
        })
        .where('id', '=', existing.id)
        .execute();
    } else {
      await db
        .insertInto('dp_user')
        .values({
          name: u.name,
          display_name: u.displayName ?? null,
          email: u.email ?? null,
          role: u.role,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
    return this.getUser(u.name);
  }

  /**
   * Reads a user by name.
   *
   * @param name - the user name
   * @returns the user
   * @throws {@link SdkError} `NOT_FOUND`
   */
  async getUser(name: string): Promise<User> {
    const row = await this.#store.db
      .selectFrom('dp_user')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    if (!row) throw new SdkError('NOT_FOUND', `sdk: no user ${name}`);
    return userFromRow(row);
  }

  /**
   * Lists users by name.
   *
   * @returns every user
   */
  async listUsers(): Promise<User[]> {
    const rows = await this.#store.db.selectFrom('dp_user').selectAll().orderBy('name').execute();
    return rows.map(userFromRow);
  }

  /**
   * Makes a token. Admins make tokens for anyone; other users only for themselves and up to
   * their own role.
   *
   * @param input - user, name, role, expiry
   * @param actor - who asks
   * @returns the token (shown once) and its record
   * @throws {@link SdkError} `FORBIDDEN`, `NOT_FOUND` (no such user), `VALIDATION_FAILED`
   */
  async createToken(input: CreateTokenInput, actor: Actor): Promise<CreatedToken> {
    if (actor.role !== 'admin' && input.userName !== actor.name) {
      throw new SdkError('FORBIDDEN', `sdk: ${actor.name} may only make tokens for themselves`, {
        details: { actor: actor.name },
      });
    }
    const user = await this.getUser(input.userName);
    const role = input.role ?? user.role;
    if (!roleAtLeast(user.role, role) || !roleAtLeast(actor.role, role)) {
      throw new SdkError(
        'FORBIDDEN',
        `sdk: a token for ${user.name} cannot carry the ${role} role (user: ${user.role}, caller: ${actor.role})`,
        { details: { role } },
      );
    }
    const name = input.name.trim();
    if (name === '' || name.length > 128) {
      throw new SdkError('VALIDATION_FAILED', 'sdk: a token needs a name of 1 to 128 characters');
    }
    const days = input.expiresInDays;
    if (
      days !== undefined &&
      days !== null &&
      (!Number.isInteger(days) || days < 1 || days > 3650)
    ) {
      throw new SdkError('VALIDATION_FAILED', 'sdk: expires_in_days must be 1 to 3650');
    }
    const token = input.value ?? generateToken();
    if (token.length < 32) {
      throw new SdkError('VALIDATION_FAILED', 'sdk: a token must have at least 32 characters');
    }
    const now = this.#now();
    const expiresAt =
      input.expiresInMs !== undefined
        ? now + input.expiresInMs
        : days === undefined || days === null
          ? null
          : now + days * 86_400_000;
    const hash = hashToken(token);
    await this.#store.db
      .insertInto('dp_api_token')
      .values({
        user_name: user.name,
        name,
        role,
        kind: input.kind ?? 'api',
        prefix: token.slice(0, 7),
        token_hash: hash,
        created_at: now,
        expires_at: expiresAt,
        revoked_at: null,
        last_used_at: null,
      })
      .execute();
    const row = await this.#store.db
      .selectFrom('dp_api_token')
      .selectAll()
      .where('token_hash', '=', hash)
      .executeTakeFirstOrThrow();
    return { token, record: tokenFromRow(row) };
  }

  /**
   * Checks a token: known, not revoked, not expired, its user still there.
   *
   * @param token - the token as presented
   * @returns who it acts as, or null
   */
  async verifyToken(token: string): Promise<VerifiedToken | null> {
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 256) return null;
    const hash = hashToken(token);
    const row = await this.#store.db
      .selectFrom('dp_api_token')
      .selectAll()
      .where('token_hash', '=', hash)
      .executeTakeFirst();
    if (!row) return null;
    // The lookup is by hash; compare again in constant time so no timing tells prefixes apart.
    if (!timingSafeEqual(Buffer.from(row.token_hash), Buffer.from(hash))) return null;
    const now = this.#now();
    if (row.revoked_at !== null || (row.expires_at !== null && Number(row.expires_at) <= now)) {
      return null;
    }
    const userRow = await this.#store.db
      .selectFrom('dp_user')
      .selectAll()
      .where('name', '=', row.user_name)
      .executeTakeFirst();
    if (!userRow) return null;
    const user = userFromRow(userRow);
    const record = tokenFromRow(row);
    // A token never acts above its user's current role.
    const role = roleAtLeast(user.role, record.role) ? record.role : user.role;
    if (row.last_used_at === null || now - Number(row.last_used_at) > 60_000) {
      await this.#store.db
        .updateTable('dp_api_token')
        .set({ last_used_at: now })
        .where('id', '=', row.id)
        .execute();
    }
    return { token: record, user, actor: { name: user.name, role } };
  }

  /**
   * Lists tokens (never the tokens themselves): an admin's of everyone, others' of their own.
   *
   * @param actor - who asks
   * @param options - `userName` to narrow an admin's list; `includeRevoked`
   * @returns the tokens, newest first
   */
  async listTokens(
    actor: Actor,
    options: { readonly userName?: string; readonly includeRevoked?: boolean } = {},
  ): Promise<ApiToken[]> {
    let q = this.#store.db.selectFrom('dp_api_token').selectAll().orderBy('id', 'desc');
    const user = actor.role === 'admin' ? options.userName : actor.name;
    if (user !== undefined) q = q.where('user_name', '=', user);
    if (!options.includeRevoked) q = q.where('revoked_at', 'is', null);
    return (await q.execute()).map(tokenFromRow);
  }

  /**
   * Reads one token's record.
   *
   * @param id - the token id
   * @returns the record
   * @throws {@link SdkError} `NOT_FOUND`
   */
  async getToken(id: number): Promise<ApiToken> {
    const row = await this.#store.db
      .selectFrom('dp_api_token')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new SdkError('NOT_FOUND', `sdk: no token ${id}`);
    return tokenFromRow(row);
  }

  /**
   * Revokes a token at once: admins any, users their own.
   *
   * @param id - the token id
   * @param actor - who asks
   * @returns the revoked record
   * @throws {@link SdkError} `NOT_FOUND`, `FORBIDDEN`
   */
  async revokeToken(id: number, actor: Actor): Promise<ApiToken> {
    const t = await this.getToken(id);
    if (actor.role !== 'admin' && t.userName !== actor.name) {
      // Someone else's token: answer as if it did not exist.
      throw new SdkError('NOT_FOUND', `sdk: no token ${id}`);
    }
    if (t.revokedAt === null) {
      await this.#store.db
        .updateTable('dp_api_token')
        .set({ revoked_at: this.#now() })
        .where('id', '=', id)
        .execute();
    }
    return this.getToken(id);
  }

  /**
   * Whether any unrevoked token of the given kind exists (the server's first-start check).
   *
   * @param kind - the kind
   * @returns true when one exists
   */
  async hasToken(kind: TokenKind): Promise<boolean> {
    const row = await this.#store.db
      .selectFrom('dp_api_token')
      .select('id')
      .where('kind', '=', kind)
      .where('revoked_at', 'is', null)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Whether a token with this value is stored (and unrevoked).
   *
   * @param token - the token
   * @returns true when stored
   */
  async hasTokenValue(token: string): Promise<boolean> {
    const row = await this.#store.db
      .selectFrom('dp_api_token')
      .select('id')
      .where('token_hash', '=', hashToken(token))
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return row !== undefined;
  }
}
