// Speed of M4A decoding for 4 minutes of 44.1 kHz stereo music (a demo song, looped), in ms of one
// core: `node bin/run-ts.js test/bench/m4a.bench.ts`. Prints a table; no assertion.
//   - ALAC 16-bit as ffmpeg encodes it (prediction orders 4–8), 16-bit with order 8 only (as Apple's
//     encoder writes, the unrolled path), 24-bit
//   - for each: our ALAC decoder alone (frames already in memory → integers), and openAudio whole
//     (read, decode, downmix, resample to 22050 Hz mono, with the source tap on, as the analysis runs)
//   - AAC through the user's ffmpeg (CPU of this process only; ffmpeg's own runs on another core)
// Times are CPU time of this process (best of 3), so other load on the machine matters less.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AlacDecoder, parseAlacConfig } from '../../app/audio/alac.ts';
import { openAudio } from '../../app/audio/decode.ts';
import { alacCookie, readMp4SoundTrack } from '../../app/audio/mp4Demux.ts';
import { openSource } from '../../app/audio/source.ts';
import { demoSongWav } from '../../app/demo/library.ts';
import { DEMO_SONGS } from '../../app/demo/songs.ts';

const SECONDS = 240;
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function bestOf3(fn: () => Promise<void> | void): Promise<number> {
  let best = Infinity;
  for (let r = 0; r < 3; r++) {
    const t = cpuMs();
    await fn();
    best = Math.min(best, cpuMs() - t);
  }
  return best;
}

async function decoderAlone(file: string): Promise<number> {
  const src = await openSource(file);
  const track = (await readMp4SoundTrack((p, n) => src.read(p, n), src.size, file))!;
  const frames: Uint8Array[] = [];
  for (let i = 0; i < track.sizes.length; i++) frames.push(await src.read(track.offsets[i]!, track.sizes[i]!));
  await src.close();
  const dec = new AlacDecoder(parseAlacConfig(alacCookie(track.entry)!)!);
  return bestOf3(() => {
    for (const f of frames) dec.decodeFrame(f);
  });
}

const whole = (file: string): Promise<number> =>
  bestOf3(async () => {
    const s = await openAudio(file, { onSource: () => {} });
    for await (const _ of s.blocks());
  });

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linernotes-m4a-bench-'));
try {
  const wav = path.join(dir, 'song.wav');
  fs.writeFileSync(wav, demoSongWav(DEMO_SONGS[0]!, 44100));
  const make = (name: string, args: string[]): string => {
    const out = path.join(dir, name);
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-stream_loop', '-1', '-i', wav, '-t', String(SECONDS), ...args, out]);
    return out;
  };
  const files = {
    'ALAC 16-bit (orders 4–8)': make('a16.m4a', ['-c:a', 'alac', '-sample_fmt', 's16p']),
    'ALAC 16-bit (order 8)': make('a16o8.m4a', ['-c:a', 'alac', '-sample_fmt', 's16p', '-min_prediction_order', '8', '-max_prediction_order', '8']),
    'ALAC 24-bit': make('a24.m4a', ['-c:a', 'alac', '-sample_fmt', 's32p']),
  };
  const aac = make('aac.m4a', ['-c:a', 'aac', '-b:a', '256k']);
  const rows: string[][] = [['file (4 min, 44.1 kHz stereo)', 'decoder alone', '× real time', 'openAudio whole', '× real time']];
  const x = (ms: number): string => `${Math.round(SECONDS / (ms / 1000))}×`;
  for (const [name, file] of Object.entries(files)) {
    const a = await decoderAlone(file);
    const w = await whole(file);
    rows.push([name, `${a.toFixed(0)} ms`, x(a), `${w.toFixed(0)} ms`, x(w)]);
  }
  const w = await whole(aac);
  rows.push(['AAC 256k via ffmpeg (this process)', '—', '—', `${w.toFixed(0)} ms`, x(w)]);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const r of rows) console.log(r.map((v, c) => v.padEnd(widths[c]!)).join('  '));
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
