import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

// The portal's web app. `vite build` writes static files to dist/, which the server serves at
// `/`; `vite` (dev) proxies the API to a server started with `npm start` on port 8080.
export default defineConfig({
  plugins: [vue()],
  // Sibling packages (@dataportal/lineage) from their TypeScript sources: no prior build needed.
  resolve: { conditions: ['@dataportal/source'] },
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    reportCompressedSize: false,
  },
  server: {
    proxy: {
      '/api': process.env['DATAPORTAL_URL'] ?? 'http://127.0.0.1:8080',
    },
  },
});
