/** Date helpers for DolphinScheduler's `yyyy-MM-dd HH:mm:ss` wall-clock strings (no offset). */

const PATTERN = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/;

function offsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
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
 * Reads a `yyyy-MM-dd HH:mm:ss` wall-clock time in `timeZone`; null for empty or malformed input.
 *
 * @internal
 */
export function parseWallClock(text: string | null | undefined, timeZone: string): Date | null {
  if (!text) return null;
  const m = PATTERN.exec(text);
  if (!m) {
    const d = new Date(text);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  const guess = Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
  );
  if (timeZone === 'UTC') return new Date(guess);
  const first = guess - offsetMs(guess, timeZone);
  return new Date(guess - offsetMs(first, timeZone));
}

/**
 * Formats an instant as `yyyy-MM-dd HH:mm:ss` wall-clock time in `timeZone`.
 *
 * @internal
 */
export function formatWallClock(date: Date, timeZone: string): string {
  const shifted = new Date(
    date.getTime() + (timeZone === 'UTC' ? 0 : offsetMs(date.getTime(), timeZone)),
  );
  return shifted.toISOString().slice(0, 19).replace('T', ' ');
}
