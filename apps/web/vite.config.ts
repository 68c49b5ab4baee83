import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

// One copy of ajv's helpers: @rjsf/validator-ajv8 asks for ajv-formats 2 and @rjsf/utils for
// fast-uri 4, core uses ajv-formats 3 and ajv's fast-uri 3 (same API for what they call).
const fromCore = createRequire(fileURLToPath(new URL('../../packages/core/package.json', import.meta.url)));
const fromAjv = createRequire(fromCore.resolve('ajv/package.json'));
const ajvFormats = dirname(fromCore.resolve('ajv-formats/package.json'));
const fastUri = dirname(fromAjv.resolve('fast-uri/package.json'));

const api = process.env.YUANPING_API ?? 'http://127.0.0.1:3100';

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^markdown-to-jsx(\/react)?$/, replacement: fileURLToPath(new URL('./src/form/markdown-stub.tsx', import.meta.url)) },
      { find: /^ajv-formats$/, replacement: ajvFormats },
      { find: /^fast-uri$/, replacement: fastUri },
    ],
  },
  server: { port: 5173, proxy: { '/api': api } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 2000 },
});
