import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { SdkError } from '../errors.js';
import type { Store } from '../storage/store.js';

/**
 * Encrypts secrets at rest with AES-256-GCM. Ciphertexts read
 * `v1:<key id>:<iv>:<tag>:<data>` (base64url parts), where the key id is the first 8 hex
 * characters of the key's SHA-256, so a box holding the current and the previous keys decrypts
 * both and {@link rotateSecrets} can re-encrypt under the current one.
 */
export interface SecretBox {
  /** Id of the key new ciphertexts use. */
  readonly keyId: string;
  /** Encrypts a secret under the current key. */
  encrypt(plain: string): string;
  /** Decrypts a ciphertext made under any of the box's keys. */
  decrypt(sealed: string): string;
}

/**
 * Reads a 32-byte key: 64 hex characters or base64/base64url of 32 bytes.
 *
 * @param text - the key as configured (`DATAPORTAL_SECRET_KEY`)
 * @returns the key bytes
 * @throws {@link SdkError} `VALIDATION_FAILED` when it is not 32 bytes
 */
export function parseSecretKey(text: string): Buffer {
  const t = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64url');
  if (key.length !== 32) {
    throw new SdkError(
      'VALIDATION_FAILED',
      'sdk: a secret key must be 32 bytes, as 64 hex characters or base64 (openssl rand -base64 32)',
    );
  }
  return key;
}

const keyIdOf = (key: Buffer): string => createHash('sha256').update(key).digest('hex').slice(0, 8);

/**
 * Creates a secret box from the current key and any previous keys (for rotation).
 *
 * @param current - the key new secrets are encrypted with
 * @param previous - older keys still accepted for decryption
 * @returns the box
 * @example
 * ```ts
 * const box = createSecretBox(parseSecretKey(process.env.DATAPORTAL_SECRET_KEY!));
 * box.decrypt(box.encrypt('pw')); // 'pw'
 * ```
 */
export function createSecretBox(current: Buffer, previous: readonly Buffer[] = []): SecretBox {
  const keys = new Map<string, Buffer>();
  for (const k of [current, ...previous]) keys.set(keyIdOf(k), k);
  const keyId = keyIdOf(current);
  return {
    keyId,
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current, iv);
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return ['v1', keyId, iv, tag, data]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join(':');
    },
    decrypt(sealed) {
      const [v, id, iv, tag, data] = sealed.split(':');
      const key = id === undefined ? undefined : keys.get(id);
      if (v !== 'v1' || !key || iv === undefined || tag === undefined || data === undefined) {
        throw new SdkError(
          'VALIDATION_FAILED',
          `sdk: cannot decrypt a secret sealed with key ${id ?? '?'}: configure that key as a previous key`,
        );
      }
      try {
        const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        d.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([d.update(Buffer.from(data, 'base64url')), d.final()]).toString(
          'utf8',
        );
      } catch (err) {
        throw new SdkError('VALIDATION_FAILED', 'sdk: a stored secret failed authentication', {
          cause: err,
        });
      }
    },
  };
}

/**
 * Stores a secret encrypted under the box's current key (`dp_secret`, by name).
 *
 * @param store - the portal store
 * @param box - the secret box
 * @param name - the secret's name (a datasource's `secret:<name>` reference)
 * @param value - the secret
 */
export async function putSecret(
  store: Store,
  box: SecretBox,
  name: string,
  value: string,
): Promise<void> {
  const now = Date.now();
  const sealed = box.encrypt(value);
  const existing = await store.db
    .selectFrom('dp_secret')
    .select('id')
    .where('name', '=', name)
    .executeTakeFirst();
  if (existing) {
    await store.db
      .updateTable('dp_secret')
      .set({ sealed, key_id: box.keyId, updated_at: now })
      .where('id', '=', existing.id)
      .execute();
  } else {
    await store.db
      .insertInto('dp_secret')
      .values({ name, sealed, key_id: box.keyId, created_at: now, updated_at: now })
      .execute();
  }
}

/**
 * Reads and decrypts a stored secret.
 *
 * @param store - the portal store
 * @param box - the secret box
 * @param name - the secret's name
 * @returns the secret, or undefined when none is stored under that name
 */
export async function getSecret(
  store: Store,
  box: SecretBox,
  name: string,
): Promise<string | undefined> {
  const row = await store.db
    .selectFrom('dp_secret')
    .select('sealed')
    .where('name', '=', name)
    .executeTakeFirst();
  return row ? box.decrypt(row.sealed) : undefined;
}

/**
 * Re-encrypts every stored secret under the box's current key (after adding a new key and
 * keeping the old one as previous). Idempotent.
 *
 * @param store - the portal store
 * @param box - a box whose current key is the new one and whose previous keys include the old
 * @returns how many secrets were re-encrypted
 */
export async function rotateSecrets(store: Store, box: SecretBox): Promise<number> {
  const rows = await store.db
    .selectFrom('dp_secret')
    .select(['id', 'sealed', 'key_id'])
    .where('key_id', '<>', box.keyId)
    .execute();
  for (const r of rows) {
    await store.db
      .updateTable('dp_secret')
      .set({
        sealed: box.encrypt(box.decrypt(r.sealed)),
        key_id: box.keyId,
        updated_at: Date.now(),
      })
      .where('id', '=', r.id)
      .execute();
  }
  return rows.length;
}
