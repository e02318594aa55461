import { formatWallClock } from '@dataportal/sdk';
import { DolphinError } from './errors';

const DOW_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const FIELD_CHARS = /^[0-9A-Za-z*,/-]+$/;

function invalid(expr: string, why: string): DolphinError {
  return new DolphinError('INVALID_ARGUMENT', `dolphin: cannot convert cron "${expr}": ${why}`);
}

function dowValue(token: string, expr: string): number {
  const upper = token.toUpperCase();
  const named = DOW_NAMES.indexOf(upper);
  if (named >= 0) return named;
  if (!/^\d+$/.test(token)) throw invalid(expr, `bad day-of-week "${token}"`);
  const n = Number(token);
  if (n > 7) throw invalid(expr, `day-of-week ${n} out of range 0-7`);
  return n;
}

/** Expands a Unix day-of-week field (0–7, Sunday 0 or 7, names, ranges, steps) to a set of 0–6. */
function expandDow(field: string, expr: string): number[] {
  const days = new Set<number>();
  for (const part of field.split(',')) {
    const [base = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw invalid(expr, `bad step in "${part}"`);
    let from: number;
    let to: number;
    if (base === '*') {
      from = 0;
      to = 6;
    } else if (base.includes('-')) {
      const [a = '', b = ''] = base.split('-');
      from = dowValue(a, expr);
      to = dowValue(b, expr);
      if (to < from) throw invalid(expr, `descending range "${base}"`);
    } else {
      from = dowValue(base, expr);
      to = stepText === undefined ? from : 6;
    }
    for (let d = from; d <= to; d += step) days.add(d % 7);
  }
  return [...days].sort((x, y) => x - y);
}

/**
 * Converts a 5-field Unix cron expression to the 7-field Quartz expression DolphinScheduler
 * schedules need (reference §4.2): seconds `0` prepended, the unused day field set to `?`,
 * day-of-week mapped from Unix 0–7 (Sunday 0 or 7) to Quartz 1–7 (Sunday 1), year `*` appended.
 *
 * Unix cron fires when *either* day field matches if both are restricted; Quartz cannot express
 * that, so such expressions are refused.
 *
 * @param expr - a 5-field Unix cron such as `30 2 * * 1-5`
 * @returns the Quartz expression, e.g. `0 30 2 ? * 2,3,4,5,6 *`
 * @throws {@link DolphinError} `INVALID_ARGUMENT` when the expression is not 5 fields or restricts
 *   both day-of-month and day-of-week
 * @example
 * ```ts
 * unixCronToQuartz('0 3 * * *'); // '0 0 3 * * ? *'
 * unixCronToQuartz('15 8 * * 0'); // '0 15 8 ? * 1 *'
 * ```
 */
export function unixCronToQuartz(expr: string): string {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) throw invalid(expr, `expected 5 fields, got ${fields.length}`);
  const [minute = '', hour = '', dom = '', month = '', dow = ''] = fields;
  for (const f of fields) {
    if (!FIELD_CHARS.test(f)) throw invalid(expr, `unexpected characters in "${f}"`);
  }
  const domAny = dom === '*' || dom === '?';
  const dowAny = dow === '*' || dow === '?';
  if (!domAny && !dowAny) {
    throw invalid(expr, 'both day-of-month and day-of-week are restricted (Quartz allows one)');
  }
  const quartzMonth = month.toUpperCase();
  if (dowAny) return `0 ${minute} ${hour} ${domAny ? '*' : dom} ${quartzMonth} ? *`;
  const days = expandDow(dow, expr).map((d) => d + 1);
  if (days.length === 0) throw invalid(expr, 'empty day-of-week');
  return `0 ${minute} ${hour} ? ${quartzMonth} ${days.join(',')} *`;
}

/**
 * The `schedule` parameter of DolphinScheduler's schedule endpoints (reference §4.1).
 *
 * @example
 * ```ts
 * const schedule: DolphinScheduleParam = toDolphinSchedule('0 2 * * *', { timeZone: 'Asia/Shanghai' });
 * ```
 */
export interface DolphinScheduleParam {
  /** First possible fire time, `yyyy-MM-dd HH:mm:ss` in `timezoneId`. */
  readonly startTime: string;
  /** Last possible fire time, `yyyy-MM-dd HH:mm:ss` in `timezoneId`. */
  readonly endTime: string;
  /** 7-field Quartz expression. */
  readonly crontab: string;
  /** IANA zone the crontab and times are read in. */
  readonly timezoneId: string;
}

/**
 * Options of {@link toDolphinSchedule}.
 *
 * @example
 * ```ts
 * const options: ToDolphinScheduleOptions = { timeZone: 'Asia/Shanghai', end: new Date('2030-01-01') };
 * ```
 */
export interface ToDolphinScheduleOptions {
  /** IANA time zone the cron is meant in (e.g. `Asia/Shanghai`). */
  readonly timeZone: string;
  /** Schedule start; defaults to now. */
  readonly start?: Date;
  /** Schedule end; defaults to 2099-12-31 23:59:59 in the zone. */
  readonly end?: Date;
}

/**
 * Builds the schedule parameter for a 5-field Unix cron in a time zone.
 *
 * @param cron - 5-field Unix cron
 * @param options - time zone, optional start and end
 * @returns the schedule object to JSON-encode into the `schedule` form parameter
 * @throws {@link DolphinError} `INVALID_ARGUMENT` when the cron cannot be converted
 * @example
 * ```ts
 * toDolphinSchedule('0 2 * * *', { timeZone: 'Asia/Shanghai' }).crontab; // '0 0 2 * * ? *'
 * ```
 */
export function toDolphinSchedule(
  cron: string,
  options: ToDolphinScheduleOptions,
): DolphinScheduleParam {
  const zone = options.timeZone;
  return {
    startTime: formatWallClock(options.start ?? new Date(), zone),
    endTime: options.end ? formatWallClock(options.end, zone) : '2099-12-31 23:59:59',
    crontab: unixCronToQuartz(cron),
    timezoneId: zone,
  };
}
