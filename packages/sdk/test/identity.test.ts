import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appendAudit,
  createSecretBox,
  getSecret,
  IdentityService,
  isSdkError,
  listAudit,
  putSecret,
  rotateSecrets,
  SYSTEM_ACTOR,
} from '../src/index.js';
import type { TestStore } from '../src/testing/index.js';
import { openTestStore, storeDialects } from './support/dialects.js';

const dialects = await storeDialects();

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (isSdkError(err)) return err.code;
    throw err;
  }
  return 'OK';
}

describe.each(dialects)('identity, audit and secrets on %s', (dialect) => {
  let store: TestStore;
  let clock = Date.parse('2026-12-04T10:00:00Z');
  let identity: IdentityService;
  beforeAll(async () => {
    store = await openTestStore(dialect);
    identity = new IdentityService({ store, now: () => clock });
    await identity.saveUser(
      { name: 'ann', role: 'developer', email: 'ann@example.com' },
      SYSTEM_ACTOR,
    );
    await identity.saveUser({ name: 'vic', role: 'viewer' }, SYSTEM_ACTOR);
  });
  afterAll(async () => {
    await store?.drop();
  });

  it('makes dp_ tokens of 32 random bytes, stores only their hash, and checks them', async () => {
    const { token, record } = await identity.createToken(
      { userName: 'ann', name: 'ci', expiresInDays: 1 },
      SYSTEM_ACTOR,
    );
    expect(token).toMatch(/^dp_[A-Za-z0-9_-]{43}$/);
    expect(record).toMatchObject({ userName: 'ann', role: 'developer', prefix: token.slice(0, 7) });
    const rows = await store.db.selectFrom('dp_api_token').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(token.slice(3));
    const who = await identity.verifyToken(token);
    expect(who?.actor).toEqual({ name: 'ann', role: 'developer' });
    expect(await identity.verifyToken(`${token.slice(0, -1)}x`)).toBeNull();
    expect(await identity.verifyToken('not-a-token')).toBeNull();
  });

  it('refuses expired and revoked tokens at once', async () => {
    const a = await identity.createToken(
      { userName: 'ann', name: 'short', expiresInDays: 1 },
      SYSTEM_ACTOR,
    );
    clock += 86_400_000;
    expect(await identity.verifyToken(a.token)).toBeNull();
    const b = await identity.createToken({ userName: 'ann', name: 'long' }, SYSTEM_ACTOR);
    expect(await identity.verifyToken(b.token)).not.toBeNull();
    await identity.revokeToken(b.record.id, { name: 'ann', role: 'developer' });
    expect(await identity.verifyToken(b.token)).toBeNull();
    const listed = await identity.listTokens({ name: 'ann', role: 'developer' });
    expect(listed.map((t) => t.name)).not.toContain('long');
  });

  it('lets users make tokens only for themselves and never above their role', async () => {
    const vic = { name: 'vic', role: 'viewer' } as const;
    expect(await code(identity.createToken({ userName: 'ann', name: 'x' }, vic))).toBe('FORBIDDEN');
    expect(
      await code(identity.createToken({ userName: 'vic', name: 'x', role: 'admin' }, vic)),
    ).toBe('FORBIDDEN');
    expect(await code(identity.createToken({ userName: 'vic', name: 'mine' }, vic))).toBe('OK');
    expect(await code(identity.saveUser({ name: 'eve', role: 'admin' }, vic))).toBe('FORBIDDEN');
    const other = await identity.createToken({ userName: 'ann', name: 'a2' }, SYSTEM_ACTOR);
    expect(await code(identity.revokeToken(other.record.id, vic))).toBe('NOT_FOUND');
  });

  it('keeps audit rows append-only, in the transaction of the change', async () => {
    const actor = {
      name: 'ann',
      role: 'developer',
      requestId: 'req-1',
      sourceIp: '10.0.0.9',
    } as const;
    await appendAudit(store.db, {
      actor,
      action: 'task.update',
      entity: 'task',
      entityId: 7,
      versionBefore: 1,
      versionAfter: 2,
    });
    await expect(
      store.db.transaction().execute(async (trx) => {
        await appendAudit(trx, { actor, action: 'task.delete', entity: 'task', entityId: 8 });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const rows = await listAudit(store.db, { entity: 'task' });
    expect(rows.map((r) => r.action)).toEqual(['task.update']);
    expect(rows[0]).toMatchObject({
      actor: 'ann',
      entityId: '7',
      versionBefore: 1,
      versionAfter: 2,
      requestId: 'req-1',
      sourceIp: '10.0.0.9',
    });
    await expect(sql`update dp_audit set actor = 'mallory'`.execute(store.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from dp_audit`.execute(store.db)).rejects.toThrow(/append-only/);
    expect(await listAudit(store.db, { actor: 'ann' })).toHaveLength(1);
  });

  it('seals secrets with AES-256-GCM and re-encrypts them under a new key', async () => {
    const k1 = Buffer.alloc(32, 1);
    const k2 = Buffer.alloc(32, 2);
    const box1 = createSecretBox(k1);
    await putSecret(store, box1, 'doris', 'pa55-word');
    const row = await store.db.selectFrom('dp_secret').selectAll().executeTakeFirstOrThrow();
    expect(row.sealed).not.toContain('pa55');
    expect(row.sealed.startsWith(`v1:${box1.keyId}:`)).toBe(true);
    const box2 = createSecretBox(k2, [k1]);
    expect(await getSecret(store, box2, 'doris')).toBe('pa55-word');
    expect(await rotateSecrets(store, box2)).toBe(1);
    expect(await rotateSecrets(store, box2)).toBe(0);
    expect(await getSecret(store, createSecretBox(k2), 'doris')).toBe('pa55-word');
    expect(() => createSecretBox(k1).decrypt(box2.encrypt('x'))).toThrow(/cannot decrypt/);
  });
});
