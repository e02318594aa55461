import { defineConfig } from 'tsup';

// Entries mirror the `exports` map of package.json (checked by scripts/check-exports.ts).
export default defineConfig({
  entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
  format: ['esm'],
  // Use-case modules take the @internal PortalContext; keep it in the bundled declarations.
  dts: { compilerOptions: { stripInternal: false } },
  sourcemap: true,
  clean: true,
  target: 'node22',
  // tsup strips `node:` by default, which turns `node:sqlite` (no bare alias) into a missing package.
  removeNodeProtocol: false,
});
