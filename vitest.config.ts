import { defineConfig } from 'vitest/config';

// Every workspace is its own vitest project; each resolves sibling packages to their
// TypeScript sources through the `@dataportal/source` export condition, so tests need no build.
export default defineConfig({
  test: {
    projects: ['packages/*', 'examples/*'],
  },
});
