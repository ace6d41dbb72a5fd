// Builds the Svelte 5 renderer into renderer/dist with relative asset paths, so the same files load
// from `linernotes serve` and from the Electron app's own protocol. (Runs in Node at build time.)
import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [svelte()],
  logLevel: 'warn',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
  },
});
