import { Cron } from 'croner';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDolphinError, toDolphinSchedule, unixCronToQuartz } from '../src/index';

const ZONES = ['UTC', 'Asia/Shanghai', 'America/New_York', 'Europe/Berlin'];

function listOrRange(min: number, max: number): fc.Arbitrary<string> {
  const value = fc.integer({ min, max });
  return fc.oneof(
    value.map(String),
    fc
      .uniqueArray(value, { minLength: 2, maxLength: 4 })
      .map((xs) => xs.sort((a, b) => a - b).join(',')),
    fc.tuple(value, value).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
    fc.integer({ min: 1, max: Math.max(1, Math.floor((max - min) / 2)) }).map((s) => `*/${s}`),
    fc
      .tuple(value, value, fc.integer({ min: 1, max: 3 }))
      .map(([a, b, s]) => `${Math.min(a, b)}-${Math.max(a, b)}/${s}`),
  );
}

const field = (min: number, max: number) => fc.oneof(fc.constant('*'), listOrRange(min, max));
const unixCron = fc
  .tuple(
    field(0, 59),
    field(0, 23),
    fc.boolean(),
    listOrRange(1, 28),
    field(1, 12),
    fc.oneof(listOrRange(0, 7), fc.constantFrom('MON-FRI', 'SUN', 'SAT,SUN')),
  )
  .map(([m, h, useDom, dom, mon, dow]) =>
    useDom ? `${m} ${h} ${dom} ${mon} *` : `${m} ${h} * ${mon} ${dow}`,
  );

describe('unixCronToQuartz', () => {
  it('converts the common shapes to 7-field Quartz', () => {
    expect(unixCronToQuartz('0 3 * * *')).toBe('0 0 3 * * ? *');
    expect(unixCronToQuartz('15 8 * * 0')).toBe('0 15 8 ? * 1 *');
    expect(unixCronToQuartz('15 8 * * 7')).toBe('0 15 8 ? * 1 *');
    expect(unixCronToQuartz('*/5 * 1 * *')).toBe('0 */5 * 1 * ? *');
    expect(unixCronToQuartz('0 9 * * MON-FRI')).toBe('0 0 9 ? * 2,3,4,5,6 *');
  });

  it('refuses expressions Quartz cannot express or that are not 5 fields', () => {
    for (const bad of ['0 3 1 * 1', '0 3 * *', '0 0 3 * * ? *', '0 3 * * 8']) {
      expect(() => unixCronToQuartz(bad)).toThrow();
      try {
        unixCronToQuartz(bad);
      } catch (err) {
        expect(isDolphinError(err, 'INVALID_ARGUMENT')).toBe(true);
      }
    }
  });

  it('yields the same next 50 fire times as croner reads the original, in any time zone', () => {
    fc.assert(
      fc.property(
        unixCron,
        fc.constantFrom(...ZONES),
        fc.date({ min: new Date('2024-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }),
        (expr, timezone, from) => {
          const quartz = unixCronToQuartz(expr);
          expect(quartz.split(' ')).toHaveLength(7);
          const unix = new Cron(expr, { timezone, paused: true });
          const q = new Cron(quartz, {
            timezone,
            paused: true,
            mode: '7-part',
            alternativeWeekdays: true,
          });
          const a = unix.nextRuns(50, from).map((d) => d.getTime());
          const b = q.nextRuns(50, from).map((d) => d.getTime());
          expect(b).toEqual(a);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('toDolphinSchedule', () => {
  it('builds the schedule parameter with the zone and wall-clock start', () => {
    const s = toDolphinSchedule('30 2 * * *', {
      timeZone: 'Asia/Shanghai',
      start: new Date('2025-01-01T00:00:00Z'),
    });
    expect(s).toEqual({
      startTime: '2025-01-01 08:00:00',
      endTime: '2099-12-31 23:59:59',
      crontab: '0 30 2 * * ? *',
      timezoneId: 'Asia/Shanghai',
    });
  });
});
