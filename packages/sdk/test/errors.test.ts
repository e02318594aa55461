import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fromZodError, isSdkError, SDK_ERROR_CODES, SdkError } from '../src/index.js';

describe('SdkError', () => {
  it('documents every code in docs/errors.md', () => {
    const doc = readFileSync(
      fileURLToPath(new URL('../../../docs/errors.md', import.meta.url)),
      'utf8',
    );
    for (const code of SDK_ERROR_CODES) expect(doc).toContain(`\`${code}\``);
  });

  it('keeps cause, issues and details, and the guard matches look-alikes', () => {
    const cause = new Error('driver');
    const e = new SdkError('CONFLICT', 'sdk: taken', { cause, details: { name: 'x' } });
    expect(e.cause).toBe(cause);
    expect(isSdkError(e, 'CONFLICT')).toBe(true);
    expect(isSdkError(e, 'NOT_FOUND')).toBe(false);
    const lookalike = Object.assign(new Error('x'), { name: 'SdkError', code: 'NOT_FOUND' });
    expect(isSdkError(lookalike, 'NOT_FOUND')).toBe(true);
    expect(isSdkError(new Error('plain'))).toBe(false);
  });

  it('turns zod errors into VALIDATION_FAILED naming each field', () => {
    const r = z
      .object({ a: z.number(), b: z.object({ c: z.string() }) })
      .safeParse({ a: 'x', b: {} });
    if (r.success) throw new Error('unexpected');
    const e = fromZodError('thing', r.error);
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.issues.map((i) => i.path.join('.'))).toEqual(['a', 'b.c']);
    expect(e.message).toMatch(/^sdk: invalid thing: a: .*; b\.c: /);
  });
});
