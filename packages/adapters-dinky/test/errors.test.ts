import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  codeForEngineCode,
  DINKY_ERROR_CODES,
  DinkyError,
  isDinkyError,
  MAX_ENGINE_MESSAGE,
  truncateEngineText,
} from '../src';

describe('DinkyError', () => {
  it('documents every code in the package README', () => {
    const readme = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');
    for (const code of DINKY_ERROR_CODES) expect(readme).toContain(`\`${code}\``);
  });

  it('maps envelope codes of both version lines', () => {
    expect([1, 5, 6, 7, 401, 99].map(codeForEngineCode)).toEqual([
      'ENGINE_REJECTED',
      'ENGINE_EXCEPTION',
      'INVALID_PARAMS',
      'UNAUTHORIZED',
      'UNAUTHORIZED',
      'ENGINE_REJECTED',
    ]);
  });

  it('keeps cause and truncates engine text to one short line', () => {
    const cause = new Error('ky');
    const e = new DinkyError('ENGINE_EXCEPTION', 'dinky: x', {
      cause,
      engineMessage: `a\n${'b'.repeat(1000)}`,
      engineCode: 5,
    });
    expect(e.cause).toBe(cause);
    expect(e.engineMessage?.length).toBe(MAX_ENGINE_MESSAGE);
    expect(e.engineMessage).not.toContain('\n');
    expect(truncateEngineText('   ')).toBeNull();
  });

  it('guards look-alikes from another copy of the package', () => {
    const lookalike = Object.assign(new Error('x'), { name: 'DinkyError', code: 'TIMEOUT' });
    expect(isDinkyError(lookalike, 'TIMEOUT')).toBe(true);
    expect(isDinkyError(lookalike, 'ABORTED')).toBe(false);
    expect(isDinkyError(new Error('plain'))).toBe(false);
  });
});
