// Engines (DolphinScheduler, Dinky) render times as the server's wall clock without a zone
// (`yyyy-MM-dd HH:mm:ss`), so reading and writing them needs the server's zone from
// configuration. One implementation serves every adapter.

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/;
const FIXED_OFFSET = /^(?:GMT|UTC)?([+-])(\d{1,2})(?::?(\d{2}))?$/;
const ZONED_ISO = /^\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})$/;

function fixedOffsetMs(zone: string): number | null {
  if (zone === 'UTC' || zone === 'GMT' || zone === 'Z') return 0;
  const m = FIXED_OFFSET.exec(zone);
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
 * Whether a time zone is usable: `UTC`, a fixed offset (`+08:00`, `GMT+8`) or an IANA name.
 *
 * @param zone - the zone
 * @returns true when {@link parseWallClock} and {@link formatWallClock} accept it
 * @example
 * ```ts
 * isValidTimeZone('Asia/Shanghai'); // true
 * isValidTimeZone('Mars/Olympus'); // false
 * ```
 */
export function isValidTimeZone(zone: string): boolean {
  if (fixedOffsetMs(zone) !== null) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads a zone-less wall-clock time (`yyyy-MM-dd HH:mm:ss[.SSS]`) as it reads in `zone`. A
 * full ISO-8601 time with its own offset is taken as is.
 *
 * @param text - the time as the engine printed it
 * @param zone - the engine server's zone (IANA name or fixed offset)
 * @returns the instant, or null for empty or malformed input
 * @example
 * ```ts
 * parseWallClock('2024-07-29 22:00:00', 'Asia/Shanghai'); // 2024-07-29T14:00:00.000Z
 * ```
 */
export function parseWallClock(text: string | null | undefined, zone: string): Date | null {
  if (!text) return null;
  const t = text.trim();
  const m = WALL_CLOCK.exec(t);
  if (!m) {
    if (!ZONED_ISO.test(t)) return null;
    const d = new Date(t);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  const guess = Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
    Number((m[7] ?? '0').padEnd(3, '0')),
  );
  // Two passes settle times near a daylight-saving change.
  const first = guess - zoneOffsetMs(guess, zone);
  return new Date(guess - zoneOffsetMs(first, zone));
}

/**
 * Formats an instant as `yyyy-MM-dd HH:mm:ss` wall-clock time in `zone`.
 *
 * @param instant - a Date or epoch milliseconds
 * @param zone - the zone to render in
 * @returns the wall-clock text
 * @example
 * ```ts
 * formatWallClock(0, 'Asia/Shanghai'); // '1970-01-01 08:00:00'
 * ```
 */
export function formatWallClock(instant: Date | number, zone: string): string {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  const d = new Date(ms + zoneOffsetMs(ms, zone));
  return d.toISOString().slice(0, 19).replace('T', ' ');
}
