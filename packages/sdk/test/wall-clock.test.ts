import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatWallClock, isValidTimeZone, parseWallClock } from '../src/index.js';

describe('wall-clock times of engine servers', () => {
  it('reads zone-less times in the given zone, IANA or fixed offset', () => {
    expect(parseWallClock('2024-07-29 22:00:00', 'Asia/Shanghai')?.toISOString()).toBe(
      '2024-07-29T14:00:00.000Z',
    );
    expect(parseWallClock('2024-07-29 22:00:00.5', '+08:00')?.toISOString()).toBe(
      '2024-07-29T14:00:00.500Z',
    );
    expect(parseWallClock('2024-07-29T22:00:00', 'GMT-2')?.toISOString()).toBe(
      '2024-07-30T00:00:00.000Z',
    );
    expect(parseWallClock('2024-03-31 03:30:00', 'Europe/Berlin')?.toISOString()).toBe(
      '2024-03-31T01:30:00.000Z',
    );
  });

  it('takes ISO times with an offset as they are, and rejects the rest', () => {
    expect(parseWallClock('2024-07-29T22:00:00Z', 'Asia/Shanghai')?.toISOString()).toBe(
      '2024-07-29T22:00:00.000Z',
    );
    expect(parseWallClock('garbage', 'UTC')).toBeNull();
    expect(parseWallClock('', 'UTC')).toBeNull();
    expect(parseWallClock(null, 'UTC')).toBeNull();
  });

  it('round-trips format and parse at second precision in any zone', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 0, 1) }),
        fc.constantFrom('UTC', 'Asia/Shanghai', 'America/New_York', '+05:30'),
        (ms, zone) => {
          const second = Math.floor(ms / 1000) * 1000;
          const text = formatWallClock(second, zone);
          const back = parseWallClock(text, zone)?.getTime();
          // A wall-clock time repeated by a DST fall-back reads as one of its two instants.
          expect(back === second || Math.abs((back ?? 0) - second) === 3_600_000).toBe(true);
        },
      ),
    );
  });

  it('validates zones', () => {
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('UTC+8')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});
