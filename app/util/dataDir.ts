import os from 'node:os';
import path from 'node:path';

export const APP_NAME = 'Linernotes';

/**
 * The per-user data folder, by the same convention Electron's `app.getPath('userData')` follows:
 * `%APPDATA%\Linernotes` on Windows, `~/Library/Application Support/Linernotes` on macOS,
 * `$XDG_CONFIG_HOME/Linernotes` (default `~/.config/Linernotes`) elsewhere.
 * `LINERNOTES_DATA_DIR` overrides it (the CLI's `--data-dir` overrides both).
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = os.homedir()): string {
  if (env.LINERNOTES_DATA_DIR) return path.resolve(env.LINERNOTES_DATA_DIR);
  if (platform === 'win32') return path.win32.join(env.APPDATA ?? path.win32.join(home, 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', APP_NAME);
  return path.posix.join(env.XDG_CONFIG_HOME || path.posix.join(home, '.config'), APP_NAME);
}
