// Terminal output: a progress bar on a TTY, plain lines otherwise, nothing extra in --json mode.
import type { ScanProgress } from '../library/progress.ts';

export interface Output {
  json: boolean;
  out(line: string): void;
  err(line: string): void;
  data(value: unknown): void;
  progress(p: ScanProgress): void;
  /** A live status line (redrawn on a terminal; a plain line at most every 5 s otherwise). */
  status(line: string): void;
  endProgress(): void;
}

export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export function progressLine(p: ScanProgress, width = 24): string {
  if (p.phase === 'listing') return `listing ${p.rootPath} …`;
  const frac = p.filesTotal > 0 ? p.filesDone / p.filesTotal : 1;
  const filled = Math.round(frac * width);
  const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
  const eta = p.etaSeconds === null ? '' : ` · ETA ${formatDuration(p.etaSeconds)}`;
  return `${bar} ${p.filesDone}/${p.filesTotal} files · ${p.filesPerSecond.toFixed(0)} files/s${eta}`;
}

export function createOutput(opts: { json: boolean; stdout?: NodeJS.WriteStream; stderr?: NodeJS.WriteStream }): Output {
  const stdout = opts.stdout ?? process.stdout;
  const stderr = opts.stderr ?? process.stderr;
  const tty = Boolean(stderr.isTTY) && !opts.json;
  let lastPlain = Date.now();
  let drawn = false;
  return {
    json: opts.json,
    out: (line) => {
      if (!opts.json) stdout.write(line + '\n');
    },
    err: (line) => {
      if (drawn) {
        stderr.write('\r\x1b[K');
        drawn = false;
      }
      stderr.write(line + '\n');
    },
    data: (value) => stdout.write(JSON.stringify(value, null, 2) + '\n'),
    progress: (p) => {
      if (opts.json) return;
      if (tty) {
        stderr.write('\r\x1b[K' + progressLine(p).slice(0, (stderr.columns || 100) - 1));
        drawn = true;
      } else if (p.phase === 'reading' && Date.now() - lastPlain > 5000) {
        lastPlain = Date.now();
        stderr.write(progressLine(p) + '\n');
      }
    },
    status: (line) => {
      if (opts.json) return;
      if (tty) {
        stderr.write('\r\x1b[K' + line.slice(0, (stderr.columns || 100) - 1));
        drawn = true;
      } else if (Date.now() - lastPlain > 5000) {
        lastPlain = Date.now();
        stderr.write(line + '\n');
      }
    },
    endProgress: () => {
      if (drawn) stderr.write('\r\x1b[K');
      drawn = false;
    },
  };
}
