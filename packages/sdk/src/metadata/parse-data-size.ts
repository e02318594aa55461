const UNITS: Readonly<Record<string, number>> = {
  '': 1,
  B: 1,
  K: 1024,
  KB: 1024,
  M: 1024 ** 2,
  MB: 1024 ** 2,
  G: 1024 ** 3,
  GB: 1024 ** 3,
  T: 1024 ** 4,
  TB: 1024 ** 4,
  P: 1024 ** 5,
  PB: 1024 ** 5,
};

/**
 * Parses a human-readable size as Doris prints it in `SHOW PARTITIONS` and `SHOW DATA`
 * (`1.234 KB`, `10.000 B`, `0.000 ` for zero; binary units, three decimals) into bytes.
 * Plain numbers are taken as bytes.
 *
 * The three decimals make the result approximate (±0.05 % of the unit).
 *
 * @param value - the size string (or a number of bytes)
 * @returns whole bytes, or null when the value is empty or not a size
 * @example
 * ```ts
 * parseDataSize('1.500 KB'); // 1536
 * parseDataSize('0.000 '); // 0
 * parseDataSize('2.000 GB'); // 2147483648
 * parseDataSize('n/a'); // null
 * ```
 */
export function parseDataSize(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.round(value) : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'string') return null;
  const m = /^\s*(\d+(?:[.,]\d+)?)\s*([KMGTP]?B?|[KMGTP]iB)?\s*$/i.exec(value);
  if (!m) return null;
  const unit = (m[2] ?? '').toUpperCase().replace('IB', 'B');
  const factor = UNITS[unit];
  if (factor === undefined) return null;
  return Math.round(Number((m[1] ?? '0').replace(',', '.')) * factor);
}
