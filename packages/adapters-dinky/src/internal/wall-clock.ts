// Dinky renders `LocalDateTime` fields as the server's wall clock without a zone
// (`yyyy-MM-dd HH:mm:ss`), so reading them needs the server's zone from configuration.

const PATTERN = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/;
const FIXED = /^(?:GMT|UTC)?([+-])(\d{1,2})(?::?(\d{2}))?$/;

function fixedOffsetMs(zone: string): number | null {
  if (zone === 'UTC' || zone === 'GMT' || zone === 'Z') return 0;
  const m = FIXED.exec(zone);
  if (!m) return null;
  const sign = m[1] === '-' ? -1 : 1;
  return sign * (Number(m[2]) * 60 + Number(m[3] ?? '0')) * 60_000;
}

function zoneOffsetMs(instant: number, zone: string): number {
  const fixed = fixedOffsetMs(zone);
  if (fixed !== null) return fixed;
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? '0');
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * Checks that a zone is usable: `UTC`, an offset (`+08:00`, `GMT+8`) or an IANA name.
 *
 * @internal
 *
 * @example
 * ```ts
 * isValidZone('Asia/Shanghai'); // true
 * ```
 */
export function isValidZone(zone: string): boolean {
  if (fixedOffsetMs(zone) !== null) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads a Dinky wall-clock time in `zone`. Null for empty or malformed input and for times
 * before 1971 (Dinky shows a running job's `finishTime` as epoch −1 ms in its zone).
 *
 * @internal
 *
 * @example
 * ```ts
 * parseWallClock('2024-07-29 22:00:00', 'Asia/Shanghai'); // 2024-07-29T14:00:00Z
 * ```
 */
export function parseWallClock(text: string | null | undefined, zone: string): Date | null {
  if (!text) return null;
  const m = PATTERN.exec(text.trim());
  if (!m) return null;
  const guess = Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
    Number((m[7] ?? '0').padEnd(3, '0')),
  );
  const first = guess - zoneOffsetMs(guess, zone);
  const at = guess - zoneOffsetMs(first, zone);
  return at < Date.UTC(1971, 0, 1) ? null : new Date(at);
}

/**
 * Formats an instant as Dinky's `yyyy-MM-dd HH:mm:ss` wall clock in `zone`.
 *
 * @internal
 *
 * @example
 * ```ts
 * formatWallClock(0, 'UTC'); // '1970-01-01 00:00:00'
 * ```
 */
export function formatWallClock(instant: number, zone: string): string {
  const d = new Date(instant + zoneOffsetMs(instant, zone));
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(
    d.getUTCHours(),
  )}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}
