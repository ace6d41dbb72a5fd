// electron-builder configuration for the desktop app: AppImage and deb (Linux), dmg (macOS), NSIS
// (Windows). Native modules are unpacked from the asar so the OS can load them.
// electron-builder is not installed in this repository, so its `Configuration` type is not
// available: `BuilderConfig` below declares the subset of its fields used here, with the same names
// and shapes (see electron-builder's docs, "Configuration"). Build first: npm run build (app),
// the renderer (renderer/dist) and the Electron bundles (dist/electron).

interface PlatformTargets {
  target: string[];
  category?: string;
  icon?: string;
  hardenedRuntime?: boolean;
}

/** The electron-builder `Configuration` fields this file uses. */
export interface BuilderConfig {
  appId: string;
  productName: string;
  copyright?: string;
  directories: { output: string; buildResources?: string };
  /** Globs of what goes into the app (relative to the project). */
  files: string[];
  extraMetadata?: Record<string, unknown>;
  asar: boolean;
  /** Globs of files kept outside the asar archive (native modules must be real files). */
  asarUnpack: string[];
  /** Rebuild native modules against Electron's Node ABI. */
  npmRebuild: boolean;
  linux: PlatformTargets & { maintainer?: string; synopsis?: string };
  deb?: { depends?: string[] };
  mac: PlatformTargets;
  dmg?: { title?: string };
  win: PlatformTargets;
  nsis: { oneClick: boolean; perMachine: boolean; allowToChangeInstallationDirectory: boolean };
}

/** Native modules: loaded by the OS from disk, so never inside the asar. */
export const NATIVE_MODULES = ['better-sqlite3', 'sqlite-vec', 'onnxruntime-node'] as const;

const config: BuilderConfig = {
  appId: 'org.linernotes.app',
  productName: 'Linernotes',
  copyright: 'Linernotes contributors, MIT licence',
  directories: { output: 'release', buildResources: 'build/resources' },
  files: [
    'dist/**/*',
    'renderer/dist/**/*',
    'bin/**/*',
    'native-models/**/*',
    'package.json',
    '!**/*.map',
    '!test/**',
  ],
  extraMetadata: { main: 'dist/electron/main.js' },
  asar: true,
  asarUnpack: [
    ...NATIVE_MODULES.map((m) => `node_modules/${m}/**/*`),
    // sqlite-vec ships its loadable extension in a per-platform package.
    'node_modules/sqlite-vec-*/**/*',
    '**/*.node',
  ],
  npmRebuild: true,
  linux: { target: ['AppImage', 'deb'], category: 'Audio', maintainer: 'Linernotes contributors', synopsis: 'Measured liner notes for your music library' },
  deb: { depends: ['libnss3', 'libgtk-3-0'] },
  mac: { target: ['dmg'], category: 'public.app-category.music', hardenedRuntime: true },
  dmg: { title: 'Linernotes' },
  win: { target: ['nsis'] },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
};

export default config;
