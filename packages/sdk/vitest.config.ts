import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['@dataportal/source'] },
  ssr: { resolve: { conditions: ['@dataportal/source'] } },
  test: { name: 'sdk', include: ['test/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 60_000 },
});
