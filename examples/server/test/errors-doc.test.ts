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
    const row = doc.split('\n').find((l) => l.startsWith(`| \`${code}\` |`));
    expect(row, code).toBeDefined();
    expect(row?.trim().endsWith(`| ${status} |`), `${code} → ${status}`).toBe(true);
  }
});
