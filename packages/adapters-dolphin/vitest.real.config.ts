import { defineConfig } from 'vitest/config';

// `npm run test:dolphin`: the suite against the real DolphinScheduler 3.1.1 (test-real/). One
// server for the whole run (global set-up), test files one after another.
export default defineConfig({
  resolve: { conditions: ['@dataportal/source'] },
  ssr: { resolve: { conditions: ['@dataportal/source'] } },
  test: {
    name: 'adapters-dolphin-real',
    root: import.meta.dirname,
    include: ['test-real/**/*.real.test.ts'],
    globalSetup: ['test-real/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
