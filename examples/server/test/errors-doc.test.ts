import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { STATUS_BY_SDK_CODE } from '../src/errors';

// docs/errors.md states the HTTP status of every sdk error code; the table in src/errors.ts is
// the truth, and this keeps the two from drifting.
it('docs/errors.md gives every sdk code the status the server answers', () => {
  const doc = readFileSync(
    fileURLToPath(new URL('../../../docs/errors.md', import.meta.url)),
    'utf8',
  );
  for (const [code, status] of Object.entries(STATUS_BY_SDK_CODE)) {
    const cells = doc
      .split('\n')
      .map((l) => l.split('|').map((c) => c.trim()))
      .find((c) => c[1] === `\`${code}\``);
    expect(cells, code).toBeDefined();
    expect(cells?.[3], code).toBe(String(status));
  }
});
