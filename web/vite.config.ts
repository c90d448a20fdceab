import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const webRoot = fileURLToPath(new URL('.', import.meta.url));

/**
 * Builds the inbox into web/dist, which the FlowChat server serves at `GET /`.
 * `FLOWCHAT_DEV_API` points the dev server's proxy at a running FlowChat.
 */
export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    target: 'es2022',
  },
  server: {
    proxy: {
      '/api': { target: process.env.FLOWCHAT_DEV_API ?? 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
});
