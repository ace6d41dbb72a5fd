// Small synthesised audio for the worker and queue tests (fast to analyse on 2 cores).
import fs from 'node:fs/promises';
import path from 'node:path';
import { encodeWav } from '../../app/demo/wav.ts';
import type { TrackAnalysis } from '../../app/analysis/types.ts';
import { runWorker } from '../../app/worker/child.ts';
import type { WorkerRequest } from '../../app/worker/protocol.ts';
import type { WorkerPort, WorkerTransport } from '../../app/worker/transport.ts';

/** Writes a WAV of `seconds` of a plucked C-major arpeggio at 120 BPM (a file every analyser can measure). */
export async function writeToneWav(file: string, seconds = 6, opts: { sampleRate?: number; title?: string; seed?: number } = {}): Promise<string> {
  const sr = opts.sampleRate ?? 22050;
  const n = Math.round(seconds * sr);
  const x = new Float32Array(n);
  const notes = [60, 64, 67, 72].map((m) => m + (opts.seed ?? 0));
  const beat = Math.round(sr / 2);
  for (let b = 0; b * beat < n; b++) {
    const hz = 440 * 2 ** ((notes[b % notes.length]! - 69) / 12);
    for (let i = 0; i < beat && b * beat + i < n; i++) {
      const env = Math.exp(-i / (sr * 0.15));
      x[b * beat + i]! += 0.4 * env * Math.sin((2 * Math.PI * hz * i) / sr) + 0.2 * env * Math.sin((2 * Math.PI * hz * 0.5 * i) / sr);
    }
  }
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, encodeWav([x, x], sr, { title: opts.title ?? path.basename(file, '.wav'), artist: 'Test Tones' }));
  return file;
}

/** A worker running in this process, its messages passed through structuredClone like a real channel. */
export function inProcessTransport(analyse: (file: string, signal: AbortSignal) => Promise<TrackAnalysis>): WorkerTransport {
  const toParent: ((m: unknown) => void)[] = [];
  const toWorker: ((m: unknown) => void)[] = [];
  const exits: ((e: { code: number | null; signal: string | null }) => void)[] = [];
  let alive = true;
  const die = (code: number) => {
    if (!alive) return;
    alive = false;
    for (const f of exits) f({ code, signal: null });
  };
  const port: WorkerPort = {
    post: (m) => queueMicrotask(() => alive && toParent.forEach((f) => f(structuredClone(m)))),
    onMessage: (f) => void toWorker.push(f),
    onParentGone: () => {},
  };
  runWorker(port, { analyse, exit: die });
  queueMicrotask(() => port.post({ type: 'ready', pid: 0, versions: { fake: 1 } }));
  return {
    pid: 0,
    postMessage: (m: WorkerRequest) => queueMicrotask(() => alive && toWorker.forEach((f) => f(structuredClone(m)))),
    onMessage: (f) => void toParent.push(f),
    onExit: (f) => void exits.push(f),
    kill: () => die(137),
  };
}

