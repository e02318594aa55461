import { defineConfig } from 'tsup';

// Entries mirror the `exports` map of package.json (checked by scripts/check-exports.ts).
export default defineConfig({
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
  format: ['esm'],
  // The client's per-resource base classes are @internal but DolphinClient extends them: keep
  // their declarations in the bundle (stripInternal would drop them and break the dts build).
  dts: { compilerOptions: { stripInternal: false } },
  sourcemap: true,
  clean: true,
  target: 'node22',
});
