import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const api = process.env.YUANPING_API ?? 'http://127.0.0.1:3100';

export default defineConfig({
  plugins: [react()],
  server: { port: 5173, proxy: { '/api': api } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 2000 },
});
