import { defineConfig } from 'vitest/config';

// The end-to-end suite: the real `npm start` server on a fresh SQLite file, driven in Debian's
// Chromium by playwright-core. Needs `npm run build` first (CI runs it after the build step).
export default defineConfig({
  test: {
    name: 'web-e2e',
    include: ['e2e/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
