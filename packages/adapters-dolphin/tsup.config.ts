import { defineConfig } from 'tsup';

// Entries mirror the `exports` map of package.json (checked by scripts/check-exports.ts).
export default defineConfig({
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
  format: ['esm'],
  // The client's per-resource base classes are @internal (hidden from the API reference) but
  // DolphinClient extends them, so their declarations must stay in the bundled .d.ts.
  dts: { compilerOptions: { stripInternal: false } },
  sourcemap: true,
  clean: true,
  target: 'node22',
});
