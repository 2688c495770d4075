import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The pages built into static files that Koa serves (src/web/staticAssets.ts). One entry per page
 * kind: the desktop console (React, Ant Design, ECharts). The mobile case page, due with the case
 * pages, is to be a second entry here of its own, without antd, to stay under 300 KB compressed.
 */
const here = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: resolve(here, '../dist/web'),
    emptyOutDir: true,
    assetsDir: 'console/assets',
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      input: { console: resolve(here, 'console/index.html') },
      output: {
        // Libraries change less often than the pages: their own files stay cached across releases.
        manualChunks(id) {
          if (id.includes('node_modules/echarts') || id.includes('node_modules/zrender')) return 'echarts';
          if (id.includes('node_modules/react') || id.includes('node_modules/scheduler')) return 'react';
          if (id.includes('node_modules/')) return 'antd';
          return undefined;
        },
      },
    },
  },
});
