import { defineConfig } from 'tsup';

// Entries mirror the `exports` map of package.json (checked by scripts/check-exports.ts).
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node22',
});
