// Timing of the front end and the rhythm analyser on 4 minutes of audio (the twelve demo songs rendered at
// 22050 Hz, downmixed and concatenated): `node bin/run-ts.js test/analysis/rhythm/bench.ts [runs]`.
import { DEMO_SONGS } from '../../../app/demo/songs.ts';
import { FrontEndAnalyser } from '../../../app/analysis/frontend/frontend.ts';
import { RhythmAnalyser } from '../../../app/analysis/rhythm/rhythm.ts';
import { renderMono, SR } from '../frontend/helpers.ts';

const SECONDS = 240;
const BLOCK = 4096;
const runs = Number(process.argv[2] ?? 7);

const audio = new Float32Array(SECONDS * SR);
for (let at = 0, i = 0; at < audio.length; i++) {
  const song = renderMono(DEMO_SONGS[i % DEMO_SONGS.length]!);
  const n = Math.min(song.length, audio.length - at);
  audio.set(song.subarray(0, n), at);
  at += n;
}

const fe = new FrontEndAnalyser();
await fe.prepare();
const rhythm = new RhythmAnalyser();
const times: { frontend: number; rhythm: number }[] = [];
for (let r = 0; r < runs; r++) {
  const t0 = performance.now();
  fe.begin({ sampleRate: SR, sourceSampleRate: SR, sourceChannels: 1, durationHint: SECONDS });
  for (let i = 0; i < audio.length; i += BLOCK) fe.process(audio.subarray(i, Math.min(audio.length, i + BLOCK)));
  const features = fe.finish();
  const t1 = performance.now();
  const result = rhythm.finish({ frontend: features });
  const t2 = performance.now();
  times.push({ frontend: t1 - t0, rhythm: t2 - t1 });
  if (r === 0) console.log(`${SECONDS} s, ${features.frameCount} frames; rhythm: ${result.bpm} BPM, ${result.beats.length} beats, ${result.meter}`);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (k: 'frontend' | 'rhythm') => `${k} median ${median(times.map((t) => t[k])).toFixed(1)} ms (min ${Math.min(...times.map((t) => t[k])).toFixed(1)})`;
console.log(`${fmt('frontend')}; ${fmt('rhythm')}; runs ${runs} (first includes JIT warm-up)`);
