import vue from '@vitejs/plugin-vue';
import { defineProject } from 'vitest/config';

// Component tests (happy-dom) and the generated-client drift check. The browser end-to-end
// suite has its own config (vitest.e2e.config.ts) because it needs the built app and Chromium.
export default defineProject({
  plugins: [vue()],
  resolve: { conditions: ['@dataportal/source'] },
  ssr: { resolve: { conditions: ['@dataportal/source'] } },
  test: {
    name: 'web',
    include: ['test/**/*.test.ts'],
    environment: 'happy-dom',
    testTimeout: 30_000,
  },
});
