// Build config for the dashboard: `vite build web --emptyOutDir` writes web/dist, which the
// server serves at `/` (with an index.html fallback for client-side routes).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  // No React plugin: esbuild compiles TSX with the automatic JSX runtime.
  esbuild: { jsx: 'automatic', jsxImportSource: 'react' },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
  },
  server: {
    // `vite web` during development: forward API calls to a locally running server.
    proxy: {
      '/api': { target: process.env.API_ORIGIN ?? 'http://localhost:3000' },
      '/shared': { target: process.env.API_ORIGIN ?? 'http://localhost:3000' },
    },
  },
});
