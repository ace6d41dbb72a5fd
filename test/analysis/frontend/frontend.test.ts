import { describe, expect, it } from 'vitest';
import { FrontEndAnalyser } from '../../../app/analysis/frontend/frontend.ts';
import { DEMO_SONGS, chordTimeline } from '../../../app/demo/songs.ts';
import { parseChord } from '../../../app/demo/chords.ts';
import { renderSong } from '../../../app/demo/synth.ts';
import { SR, downmix, frontEnd, meanChroma, renderMono } from './helpers.ts';
import { sine } from './signals.ts';

const PC = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];
const higherStill = DEMO_SONGS.find((s) => s.id === 'higher-still')!;

/** The k strongest pitch classes of a chroma vector, sorted. */
function top(v: number[], k: number): number[] {
  return v
    .map((x, i) => [x, i] as const)
    .sort((a, b) => b[0] - a[0])
    .slice(0, k)
    .map(([, i]) => i)
    .sort((a, b) => a - b);
}

describe('frontend: frames and streaming', () => {
  it('lays out frames as documented: hop 512 at 22050 Hz, frames centred inside the signal, rows of 12', async () => {
    const x = renderMono(higherStill).subarray(0, 5 * SR + 100);
    const f = await frontEnd(x);
    expect(f.sampleRate).toBe(SR);
    expect(f.hopSize).toBe(512);
    expect(f.frameRate).toBeCloseTo(43.066, 2);
    expect(f.frameCount).toBe(Math.floor((x.length - 1) / 512) + 1);
    expect(f.durationSec).toBeCloseTo(x.length / SR, 9);
    expect(f.onset.length).toBe(f.frameCount);
    expect(f.rms.length).toBe(f.frameCount);
    expect(f.chromaTreble.length).toBe(12 * f.frameCount);
    expect(f.chromaBass.length).toBe(12 * f.frameCount);
    for (let t = 0; t < f.frameCount; t++) {
      const sum = f.chromaTreble.subarray(12 * t, 12 * t + 12).reduce((a, b) => a + b, 0);
      expect(Math.abs(sum - 1) < 1e-4 || sum === 0).toBe(true);
    }
  });

  it('gives identical features whatever the block sizes (only the overlap is kept between blocks)', async () => {
    const x = renderMono(DEMO_SONGS[0]!).subarray(0, 4 * SR);
    const whole = await frontEnd(x, x.length);
    for (const block of [1, 333, 4096]) {
      const f = await frontEnd(x, block);
      expect(f.frameCount).toBe(whole.frameCount);
      expect(f.onset).toEqual(whole.onset);
      expect(f.rms).toEqual(whole.rms);
      expect(f.chromaTreble).toEqual(whole.chromaTreble);
      expect(f.chromaBass).toEqual(whole.chromaBass);
    }
  });

  it('measures RMS: a full-scale-0.5 sine reads 0.5/√2', async () => {
    const f = await frontEnd(sine(2, 440, 0.5));
    expect(f.rms[40]).toBeCloseTo(0.5 / Math.SQRT2, 3);
  });

  it('analyses several files in turn with one instance, and an empty stream', async () => {
    const fe = new FrontEndAnalyser();
    await fe.prepare();
    const info = { sampleRate: SR, sourceSampleRate: 44100, sourceChannels: 2, durationHint: null };
    fe.begin(info);
    fe.process(sine(1, 440));
    const a = fe.finish();
    fe.begin(info);
    const empty = fe.finish();
    fe.begin(info);
    fe.process(sine(1, 440));
    const b = fe.finish();
    expect(empty.frameCount).toBe(0);
    expect(empty.onset.length).toBe(0);
    expect(b.onset).toEqual(a.onset);
    expect(b.chromaTreble).toEqual(a.chromaTreble);
  });

  it('needs prepare() first, and reconfigures for another sample rate at begin()', async () => {
    const fe = new FrontEndAnalyser();
    expect(() => fe.process(new Float32Array(10))).toThrow(/prepare/);
    await fe.prepare();
    const rate = 44100;
    fe.begin({ sampleRate: rate, sourceSampleRate: rate, sourceChannels: 2, durationHint: 3 });
    fe.process(Float32Array.from({ length: 3 * rate }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 440 * i) / rate)));
    const f = fe.finish();
    expect(f.sampleRate).toBe(rate);
    expect(f.hopSize).toBe(1024);
    expect(f.frameRate).toBeCloseTo(43.066, 2);
    expect(f.tuningCents).toBeCloseTo(0, 0);
    expect(f.chromaTreble[12 * 60 + 9]).toBeGreaterThan(0.5);
  });

  it('streams 60 minutes without keeping the audio: memory stays at the frame features', async () => {
    const fe = new FrontEndAnalyser();
    await fe.prepare();
    fe.begin({ sampleRate: SR, sourceSampleRate: SR, sourceChannels: 1, durationHint: 3600 });
    const block = sine(1, 220, 0.3);
    const before = process.memoryUsage().arrayBuffers;
    for (let s = 0; s < 3600; s++) fe.process(block);
    const during = process.memoryUsage().arrayBuffers - before;
    const f = fe.finish();
    expect(f.frameCount).toBe(Math.floor((3600 * SR - 1) / 512) + 1);
    // 155k frames × (2 + 72) floats ≈ 46 MB while streaming; the audio itself would be 318 MB.
    expect(during).toBeLessThan(120e6);
    expect(f.chromaTreble[12 * 100000 + 9]).toBeGreaterThan(0.5); // A3 = 220 Hz
  });
});

describe('frontend: chroma of the demo songs', () => {
  for (const spec of DEMO_SONGS) {
    it(`${spec.id}: every chord slot's treble chroma peaks at its chord tones and the bass chroma at its bass note`, async () => {
      const f = await frontEnd(renderMono(spec));
      for (const ev of chordTimeline(spec)) {
        const chord = parseChord(ev.symbol);
        const treble = meanChroma(f.chromaTreble, f.frameRate, ev.startSec + 0.1, ev.endSec - 0.05);
        const bass = meanChroma(f.chromaBass, f.frameRate, ev.startSec + 0.1, ev.endSec - 0.05);
        const label = `bar ${ev.bar} ${ev.symbol}`;
        expect(top(treble, chord.pitchClasses.length), label).toEqual([...chord.pitchClasses].sort((a, b) => a - b));
        expect(PC[top(bass, 1)[0]!], label).toBe(PC[chord.bass]);
      }
    });
  }

  it("shows the inversion 'E/G#' in Higher Still: G# in the bass, E major above it", async () => {
    const f = await frontEnd(renderMono(higherStill));
    const slot = chordTimeline(higherStill).find((e) => e.symbol === 'E/G#')!;
    const bass = meanChroma(f.chromaBass, f.frameRate, slot.startSec + 0.1, slot.endSec - 0.05);
    const treble = meanChroma(f.chromaTreble, f.frameRate, slot.startSec + 0.1, slot.endSec - 0.05);
    expect(PC[top(bass, 1)[0]!]).toBe('G#');
    expect(bass[8]).toBeGreaterThan(0.5);
    expect(top(treble, 3).map((i) => PC[i])).toEqual(['E', 'G#', 'B']);
  });
});

describe('frontend: tuning', () => {
  // Rendering at rate r and playing at 22050 Hz scales every frequency by 22050 / r: a detuned song.
  const detuned = (cents: number) => downmix(renderSong(higherStill, SR / 2 ** (cents / 1200)));

  it('reads a song rendered 30 cents sharp as +30 cents, 30 flat as −30, in tune as 0', async () => {
    expect((await frontEnd(detuned(30))).tuningCents).toBeCloseTo(30, 0);
    expect((await frontEnd(detuned(-30))).tuningCents).toBeCloseTo(-30, 0);
    expect(Math.abs((await frontEnd(renderMono(higherStill))).tuningCents)).toBeLessThan(1.5);
  });

  it('applies the tuning to the chroma: the 40-cent-sharp song still shows its chords', async () => {
    const f = await frontEnd(detuned(40));
    expect(f.tuningCents).toBeCloseTo(40, 0);
    const speed = 2 ** (40 / 1200);
    for (const ev of chordTimeline(higherStill)) {
      const chord = parseChord(ev.symbol);
      const treble = meanChroma(f.chromaTreble, f.frameRate, ev.startSec / speed + 0.1, ev.endSec / speed - 0.05);
      expect(top(treble, 3), ev.symbol).toEqual([...chord.pitchClasses].sort((a, b) => a - b));
    }
  });

  it('reads a pure 1 kHz tone as its own deviation from A440 (+21.3 cents)', async () => {
    expect((await frontEnd(sine(5, 1000))).tuningCents).toBeCloseTo(21.3, 0);
  });
});
