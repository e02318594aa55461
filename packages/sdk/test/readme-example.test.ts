import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it, vi } from 'vitest';

// Runs the root README's SDK example verbatim (with the package import pointed at the
// sources), so the documentation cannot drift from the API.
it('the README example runs and prints the lineage edge', async () => {
  const readme = readFileSync(
    fileURLToPath(new URL('../../../README.md', import.meta.url)),
    'utf8',
  );
  const block = /<!-- readme-example -->\s*```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(block).toBeDefined();
  const sdk = await import('../src/index.js');
  const body = (block ?? '').replace(/^import .*$/m, '');
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(args.join(' '));
  });
  try {
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
      ...args: string[]
    ) => (...a: unknown[]) => Promise<void>;
    await new AsyncFunction('openStore', 'PortalService', body)(sdk.openStore, sdk.PortalService);
  } finally {
    log.mockRestore();
  }
  expect(lines).toEqual(['ods.orders -> dwd.orders_clean (declared)']);
});
