export type ScanPhase = 'listing' | 'reading' | 'done';

/** A progress event of a scan, throttled; rates and ETA are measured over the reading phase. */
export interface ScanProgress {
  rootPath: string;
  phase: ScanPhase;
  filesListed: number;
  filesDone: number;
  filesTotal: number;
  filesPerSecond: number;
  etaSeconds: number | null;
}

/** Tracks counts and turns them into throttled ScanProgress events. */
export class ProgressMeter {
  private started = Date.now();
  private lastEmit = 0;
  filesListed = 0;
  filesDone = 0;
  filesTotal = 0;
  phase: ScanPhase = 'listing';

  constructor(
    private readonly rootPath: string,
    private readonly emit: ((p: ScanProgress) => void) | undefined,
    private readonly intervalMs = 100,
  ) {}

  startReading(total: number): void {
    this.phase = 'reading';
    this.filesTotal = total;
    this.started = Date.now();
    this.tick(true);
  }

  snapshot(): ScanProgress {
    const seconds = (Date.now() - this.started) / 1000;
    const rate = seconds > 0 ? this.filesDone / seconds : 0;
    const left = this.filesTotal - this.filesDone;
    return {
      rootPath: this.rootPath,
      phase: this.phase,
      filesListed: this.filesListed,
      filesDone: this.filesDone,
      filesTotal: this.filesTotal,
      filesPerSecond: Math.round(rate * 10) / 10,
      etaSeconds: this.phase === 'done' ? 0 : rate > 0 ? Math.ceil(left / rate) : null,
    };
  }

  tick(force = false): void {
    if (!this.emit) return;
    const now = Date.now();
    if (!force && now - this.lastEmit < this.intervalMs) return;
    this.lastEmit = now;
    this.emit(this.snapshot());
  }

  done(): void {
    this.phase = 'done';
    this.tick(true);
  }
}
