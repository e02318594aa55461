/** @internal Parses a JSON text column, falling back when it is empty or corrupt. */
export function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (text == null || text === '') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** @internal Epoch ms (number, bigint or numeric string from a driver) → Date or null. */
export function toDate(ms: number | string | bigint | null | undefined): Date | null {
  if (ms == null) return null;
  const n = Number(ms);
  return Number.isFinite(n) ? new Date(n) : null;
}

/** @internal A driver number (bigint or string for BIGINT columns) → number or null. */
export function toNum(v: number | string | bigint | null | undefined): number | null {
  if (v == null) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

/** @internal Insert id from kysely's InsertResult. */
export function insertedId(result: { insertId?: bigint | undefined }): number {
  if (result.insertId === undefined) throw new Error('sdk: insert returned no id');
  return Number(result.insertId);
}
