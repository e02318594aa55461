/** @internal Whether a driver error is a unique-key violation (MySQL/MariaDB or SQLite). */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; errno?: unknown; errcode?: unknown; message?: unknown };
  if (e.code === 'ER_DUP_ENTRY' || e.errno === 1062) return true;
  // SQLITE_CONSTRAINT_UNIQUE (2067) and SQLITE_CONSTRAINT_PRIMARYKEY (1555)
  if (e.errcode === 2067 || e.errcode === 1555) return true;
  return typeof e.message === 'string' && /UNIQUE constraint failed/.test(e.message);
}

/** @internal Whether a driver error is a MySQL deadlock or lock wait timeout (safe to retry). */
export function isDeadlock(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { errno?: unknown };
  return e.errno === 1213 || e.errno === 1205;
}

/** @internal Runs `fn` one caller at a time per key (in-process). */
export class KeyedMutex {
  readonly #tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.#tails.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.#tails.set(key, tail);
    try {
      return await next;
    } finally {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }
}

/** @internal Opaque cursor for keyset pagination by numeric id. */
export function encodeCursor(id: number): string {
  return Buffer.from(`id:${id}`).toString('base64url');
}

/** @internal Decodes a cursor made by encodeCursor; null when malformed. */
export function decodeCursor(cursor: string): number | null {
  const m = /^id:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return m?.[1] ? Number(m[1]) : null;
}
