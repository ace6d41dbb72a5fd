/**
 * The result line of `scanOnce.js` (one scan in a process of its own, for `scan.bench.ts`):
 *
 *   node test/bench/scanOnce.js <musicDir> <dataDir>
 *
 * Opens (or creates) the store in <dataDir>, adds <musicDir> as a root (an existing root is reused,
 * so a second run is an incremental rescan) and scans it once. Prints one line
 * `SCAN_RESULT {json}` on stdout (see `ScanOnceResult`); peak RSS is read at the very end, so it is
 * this process's own peak: Node + the store + the scan.
 */
import type { ScanCounts, ScanOutcome } from '../../app/store/index.ts';


export interface ScanOnceResult {
  outcome: ScanOutcome;
  counts: ScanCounts;
  /** Wall time around `scanner.scanRoot(root)`, measured here. */
  scanMs: number;
  /** What the scanner itself reports (`ScanResult.durationMs`). */
  scannerDurationMs: number;
  /** From process start until the scan began: Node + tsx start-up, module loading, opening the store. */
  startupMs: number;
  /** `process.resourceUsage().maxRSS` at the end, in kB. */
  maxRssKb: number;
  /** CPU time of this process during the whole run, in ms. */
  userCpuMs: number;
  systemCpuMs: number;
  /** The first few issues, if any (a benchmark of a scan that failed on every file would mislead). */
  issues: Array<{ path: string; code: string; message: string }>;
  issueCount: number;
  /** Whether the compiled app in dist/ ran (true) or the sources through tsx. */
  compiled: boolean;
}
