// Bundles the Electron main process (ES module) and the preload (one CommonJS file: sandboxed
// preloads cannot load other local files) into dist/electron/. npm packages stay external: they
// ship in node_modules, and the native ones are unpacked from the asar (electron.config.ts).
// `vite build -c main/vite.config.ts` builds main and the utilityProcess analysis worker; add
// `--mode preload` for the preload.
import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { dependencies?: Record<string, string> };
const external = ['electron', ...builtinModules, ...builtinModules.map((m) => `node:${m}`), ...Object.keys(pkg.dependencies ?? {})];

export default defineConfig(({ mode }) => {
  const preload = mode === 'preload';
  return {
    root: import.meta.dirname,
    logLevel: 'warn',
    build: {
      outDir: '../dist/electron',
      emptyOutDir: !preload,
      target: 'node20',
      minify: false,
      sourcemap: true,
      ssr: true,
      lib: {
        entry: (preload ? { preload: 'preload.ts' } : { main: 'main.ts', 'analysis-worker': 'analysisWorker.ts' }) as Record<string, string>,
        formats: [preload ? 'cjs' : 'es'],
        fileName: (_format: string, name: string) => (preload ? 'preload.cjs' : `${name}.js`),
      },
      rollupOptions: { external: (id: string) => external.some((e) => id === e || id.startsWith(`${e}/`)) },
    },
    // The preload runs in the sandbox with only `electron` available: bundle everything else into it.
    ssr: { noExternal: preload ? true : undefined },
  };
});
