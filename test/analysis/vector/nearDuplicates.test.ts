// Near duplicates are nearest neighbours: demo songs (the first 24 s) analysed for real from files — one of
// them also as a 128 kbit/s MP3 and 3 dB quieter — their similarity vectors stored with sqlite-vec, and the
// original's nearest neighbours asked for.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openAudio } from '../../../app/audio/decode.ts';
import { runPipeline } from '../../../app/analysis/pipeline.ts';
import { createFrontEnd } from '../../../app/analysis/frontend/frontend.ts';
import { createRhythm } from '../../../app/analysis/rhythm/rhythm.ts';
import { createKeyAnalyser } from '../../../app/analysis/key/index.ts';
import { createChordAnalyser } from '../../../app/analysis/chords/index.ts';
import { createSoundAnalyser } from '../../../app/analysis/sound/index.ts';
import { VECTOR_LENGTH, similarityVector } from '../../../app/analysis/vector/index.ts';
import type { Analyser, ChordResult, KeyResult, RhythmResult, SoundResult } from '../../../app/analysis/types.ts';
import { DEMO_SONGS } from '../../../app/demo/songs.ts';
import { renderSong } from '../../../app/demo/synth.ts';
import { encodeWav } from '../../../app/demo/wav.ts';
import { openStore } from '../../../app/store/index.ts';

const SR = 44100;
const SECONDS = 24;

async function vectorOf(file: string): Promise<Float32Array> {
  const stream = await openAudio(file, { sampleRate: 22050 });
  try {
    const analysers = [createFrontEnd(), createRhythm(), createKeyAnalyser(), createChordAnalyser(), createSoundAnalyser()] as Analyser<unknown>[];
    const run = await runPipeline(stream.info, stream.blocks(), analysers);
    return similarityVector({
      rhythm: run.results.rhythm as RhythmResult,
      key: run.results.key as KeyResult,
      chords: run.results.chords as ChordResult,
      sound: run.results.sound as SoundResult,
    });
  } finally {
    await stream.close();
  }
}

describe('similarity vector: near duplicates', () => {
  it('finds the MP3 re-encode and the 3 dB quieter copy of a song before any other song', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ln-vector-'));
    try {
      const songs = [DEMO_SONGS[0]!, DEMO_SONGS[1]!, DEMO_SONGS[3]!, DEMO_SONGS[5]!, DEMO_SONGS[7]!];
      const files: string[] = [];
      for (const spec of songs) {
        const channels = renderSong(spec, SR).map((c) => c.slice(0, SECONDS * SR));
        const file = path.join(dir, `${spec.id}.wav`);
        fs.writeFileSync(file, encodeWav(channels, SR, { title: spec.title }));
        files.push(file);
        if (files.length === 1) {
          const quiet = path.join(dir, `${spec.id}-quiet.wav`);
          const gain = 10 ** (-3 / 20);
          fs.writeFileSync(quiet, encodeWav(channels.map((c) => c.map((x) => x * gain)), SR, { title: spec.title }));
          const mp3 = path.join(dir, `${spec.id}.mp3`);
          execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', file, '-codec:a', 'libmp3lame', '-b:a', '128k', mp3]);
          files.push(mp3, quiet);
        }
      }
      // ids: 1 original, 2 MP3, 3 quieter, 4… the other songs.
      const vectors = [];
      for (const f of files) vectors.push(await vectorOf(f));
      for (const v of vectors) {
        expect(v).toHaveLength(VECTOR_LENGTH);
        expect(v.every(Number.isFinite)).toBe(true);
      }
      const store = openStore(':memory:');
      vectors.forEach((v, i) => store.vectors.save(i + 1, v));
      const nearest = store.vectors.knn(vectors[0]!, 4, 1);
      expect(nearest.slice(0, 2).map((n) => n.trackId).sort()).toEqual([2, 3]);
      // The duplicates are much closer than the nearest other song.
      expect(nearest[1]!.distance).toBeLessThan(0.5 * nearest[2]!.distance);
      // And from the MP3's side the original and the quieter copy come first too.
      expect(store.vectors.knn(vectors[1]!, 2, 2).map((n) => n.trackId).sort()).toEqual([1, 3]);
      store.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
