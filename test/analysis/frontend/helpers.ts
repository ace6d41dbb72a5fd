// Shared test helpers: render demo songs to mono at the analysis rate and run the analysers on blocks.
import { FrontEndAnalyser } from '../../../app/analysis/frontend/frontend.ts';
import { renderSong } from '../../../app/demo/synth.ts';
import type { SongSpec } from '../../../app/demo/songs.ts';
import type { FrontEndFeatures } from '../../../app/analysis/types.ts';

export const SR = 22050;

/** Average of the channels (the decoder's downmix). */
export function downmix(channels: Float32Array[]): Float32Array {
  const n = channels[0]?.length ?? 0;
  const out = new Float32Array(n);
  for (const ch of channels) for (let i = 0; i < n; i++) out[i]! += ch[i]! / channels.length;
  return out;
}

const cache = new Map<string, Float32Array>();

/** A demo song rendered at `sampleRate` and downmixed (cached per song and rate). */
export function renderMono(spec: SongSpec, sampleRate = SR): Float32Array {
  const key = `${spec.id}@${sampleRate}`;
  let x = cache.get(key);
  if (!x) {
    x = downmix(renderSong(spec, sampleRate));
    cache.set(key, x);
  }
  return x;
}

/** Runs the front end over `samples` in blocks of `blockSize` (as the decoder would deliver them). */
export async function frontEnd(samples: Float32Array, blockSize = 4096, sampleRate = SR): Promise<FrontEndFeatures> {
  const fe = new FrontEndAnalyser({ sampleRate });
  await fe.prepare();
  fe.begin({ sampleRate, sourceSampleRate: sampleRate, sourceChannels: 1, durationHint: samples.length / sampleRate });
  for (let i = 0; i < samples.length; i += blockSize) fe.process(samples.subarray(i, Math.min(samples.length, i + blockSize)));
  return fe.finish();
}

/** Mean of the chroma rows of frames whose centres lie in [t0, t1) seconds. */
export function meanChroma(chroma: Float32Array, frameRate: number, t0: number, t1: number): number[] {
  const out = new Array<number>(12).fill(0);
  const a = Math.ceil(t0 * frameRate);
  const b = Math.min(chroma.length / 12, Math.ceil(t1 * frameRate));
  for (let f = a; f < b; f++) for (let c = 0; c < 12; c++) out[c]! += chroma[f * 12 + c]! / Math.max(1, b - a);
  return out;
}

/** The spectral-shape fields of FrontEndFeatures for `n` frames of silence (for hand-made features). */
export function silentShape(n: number): Pick<FrontEndFeatures, 'melBands' | 'mel' | 'spectralCentroid' | 'spectralRolloff' | 'spectralFlatness' | 'contrastBands' | 'spectralContrast'> {
  return {
    melBands: 40,
    mel: new Float32Array(40 * n).fill(-120),
    spectralCentroid: new Float32Array(n),
    spectralRolloff: new Float32Array(n),
    spectralFlatness: new Float32Array(n),
    contrastBands: 7,
    spectralContrast: new Float32Array(7 * n),
  };
}
