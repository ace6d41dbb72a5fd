// Cost of note transcription (Basic Pitch on ONNX Runtime, CPU provider, one intra-op thread) for
// 60 s of a demo song at 22050 Hz: model load, inference, note decoding, × real time, peak RSS.
// Run: node bin/run-ts.js test/bench/notes.bench.ts   (ideally pinned: taskset -c 0 node …)
import { DEMO_SONGS } from '../../app/demo/songs.ts';
import { renderSong } from '../../app/demo/synth.ts';
import { runBasicPitch } from '../../app/analysis/notes/basicPitch.ts';
import { noteFramesToTime, outputToNotesPoly } from '../../app/analysis/notes/postprocess.ts';
import { getModelSession, releaseModelSessions } from '../../app/models/session.ts';

const SECONDS = 60;
const RATE = 22050;

function demoAudio(): Float32Array {
  const out = new Float32Array(SECONDS * RATE);
  let at = 0;
  for (const song of DEMO_SONGS) {
    const ch = renderSong(song, RATE);
    for (let i = 0; i < ch[0]!.length && at < out.length; i++, at++) {
      let s = 0;
      for (const c of ch) s += c[i]!;
      out[at] = s / ch.length;
    }
    if (at >= out.length) break;
  }
  return out;
}

const audio = demoAudio();
const rows: string[][] = [];
for (const batch of [1, 4]) {
  await releaseModelSessions();
  let t = performance.now();
  const model = await getModelSession('basic-pitch', { threads: 1, providers: ['cpu'], log: () => {} });
  const loadMs = performance.now() - t;
  await runBasicPitch(audio.subarray(0, RATE), { threads: 1, providers: ['cpu'], batch, log: () => {} }); // warm-up
  t = performance.now();
  const cpu0 = process.cpuUsage();
  const pg = await runBasicPitch(audio, { threads: 1, providers: ['cpu'], batch, log: () => {} });
  const inferMs = performance.now() - t;
  t = performance.now();
  const notes = noteFramesToTime(outputToNotesPoly(pg.frames, pg.onsets, pg.nFrames));
  const decodeMs = performance.now() - t;
  const total = inferMs + decodeMs;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  rows.push([String(batch), model.provider, loadMs.toFixed(0), inferMs.toFixed(0), decodeMs.toFixed(0), total.toFixed(0), cpuMs.toFixed(0), ((SECONDS * 1000) / total).toFixed(1), ((SECONDS * 1000) / cpuMs).toFixed(1), String(notes.length), (process.memoryUsage().rss / 1e6).toFixed(0)]);
}
await releaseModelSessions();
const head = ['batch', 'provider', 'load ms', 'model ms', 'notes ms', 'total ms', 'CPU ms', '× real time (wall)', '× real time (CPU)', 'notes', 'RSS MB'];
console.log(`Basic Pitch, ${SECONDS} s of demo audio, 1 intra-op thread`);
console.log(head.join(' | '));
for (const r of rows) console.log(r.join(' | '));
