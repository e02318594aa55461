import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cronProblem,
  guessLayer,
  QualifiedNameSchema,
  TableNameSchema,
  TaskInputSchema,
} from '../src/index.js';

const ident = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,20}$/);

describe('validation', () => {
  it('accepts every well-formed db.table and lower-cases it', () => {
    fc.assert(
      fc.property(ident, ident, (db, t) => {
        expect(QualifiedNameSchema.parse(`${db}.${t}`)).toBe(`${db}.${t}`.toLowerCase());
      }),
    );
  });

  it('accepts table names as people write them (t, db.t, cat.db.t) and rejects bad characters', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (s) => {
        const ok = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*){0,2}$/.test(s.trim());
        expect(TableNameSchema.safeParse(s).success).toBe(ok);
        // The deprecated alias is the same schema.
        expect(QualifiedNameSchema.safeParse(s).success).toBe(ok);
      }),
    );
  });

  it('accepts valid 5-field crons and names what is wrong otherwise', () => {
    const field = (min: number, max: number) =>
      fc.oneof(
        fc.constant('*'),
        fc.integer({ min, max }).map(String),
        fc.integer({ min: 1, max: 5 }).map((s) => `*/${s}`),
        fc
          .tuple(fc.integer({ min, max }), fc.integer({ min, max }))
          .map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
      );
    fc.assert(
      fc.property(field(0, 59), field(0, 23), field(1, 28), field(1, 12), field(0, 6), (...f) => {
        expect(cronProblem(f.join(' '))).toBeNull();
      }),
    );
    expect(cronProblem('* * * *')).toMatch(/5 fields/);
    expect(cronProblem('0 0 * * * *')).toMatch(/5 fields/);
    expect(cronProblem('61 * * * *')).toMatch(/invalid cron/);
    expect(cronProblem('0 25 * * *')).toMatch(/invalid cron/);
    expect(cronProblem('@daily x y z w')).not.toBeNull();
  });

  it('checks task type and engine pairs', () => {
    const base = { name: 't', sql: 'insert into a.b select 1', outputs: ['a.b'] };
    const pairs = [
      ['batch', 'dolphin', true],
      ['batch', 'local', true],
      ['batch', 'dinky', false],
      ['stream', 'dinky', true],
      ['stream', 'dolphin', false],
      ['stream', 'local', false],
    ] as const;
    for (const [taskType, engine, ok] of pairs) {
      expect(TaskInputSchema.safeParse({ ...base, taskType, engine }).success).toBe(ok);
    }
  });

  it('guesses layers from naming conventions', () => {
    expect(guessLayer('dw.ods_orders')).toBe('ODS');
    expect(guessLayer('dws.sales_daily')).toBe('DWS');
    expect(guessLayer('warehouse_dim.user')).toBe('DIM');
    expect(guessLayer('misc.t')).toBeNull();
  });
});
