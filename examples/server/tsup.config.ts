import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { cli: 'src/cli.ts', index: 'src/index.ts' },
  format: ['esm'],
  dts: false,
  sourcemap: true,
  clean: true,
  target: 'node22',
  // Keep `node:` specifiers: built-ins such as node:sqlite have no bare alias.
  removeNodeProtocol: false,
  banner: { js: '#!/usr/bin/env node' },
});
