// Form on very long tracks (a DJ mix, a live set): analysed on a grid of at most FORM_PARAMS.maxUnits
// units of whole bars, so its O(units²) self-similarity stays bounded; shorter tracks are untouched.
import { beforeAll, describe, expect, it } from 'vitest';
import { analyseForm, FORM_PARAMS } from '../../../app/analysis/form/index.ts';
import type { FormDeps } from '../../../app/analysis/form/index.ts';
import { barEdges, coarsenEdges } from '../../../app/analysis/form/features.ts';
import type { FrontEndFeatures } from '../../../app/analysis/types.ts';
import { FORM_TEST_SONGS } from '../../../app/demo/formSongs.ts';
import { runFormSong } from './formRun.ts';

describe('coarsenEdges', () => {
  const edges = (bars: number): number[] => Array.from({ length: bars + 1 }, (_, i) => i * 2.1);

  it('leaves a grid of at most maxUnits bars as it is', () => {
    expect(coarsenEdges(edges(480), 480)).toEqual(edges(480));
    expect(coarsenEdges(edges(3), 480)).toEqual(edges(3));
  });

  it('keeps every g-th bar edge and the end, g = ⌈bars / maxUnits⌉', () => {
    const all = edges(1801);
    const out = coarsenEdges(all, 480); // g = 4: 451 units, the last one a single bar
    expect(out).toHaveLength(452);
    expect(out.length - 1).toBeLessThanOrEqual(480);
    expect(out[0]).toBe(0);
    expect(out.at(-1)).toBe(all.at(-1));
    out.slice(0, -1).forEach((t, i) => expect(t).toBe(all[4 * i]));
  });
});

/** `deps` played `copies` times in a row: frames tiled, beats, downbeats and chords shifted. */
function repeat(deps: FormDeps, copies: number): FormDeps {
  const fe = deps.frontend;
  const span = fe.frameCount / fe.frameRate;
  const tile = (x: Float32Array): Float32Array => {
    const out = new Float32Array(x.length * copies);
    for (let c = 0; c < copies; c++) out.set(x, c * x.length);
    return out;
  };
  const shifted = (ts: readonly number[]): number[] => Array.from({ length: copies }, (_, c) => ts.map((t) => t + c * span)).flat();
  const frontend: FrontEndFeatures = {
    ...fe,
    frameCount: fe.frameCount * copies,
    durationSec: span * copies,
    onset: tile(fe.onset),
    rms: tile(fe.rms),
    chromaTreble: tile(fe.chromaTreble),
    chromaBass: tile(fe.chromaBass),
    mel: tile(fe.mel),
    spectralCentroid: tile(fe.spectralCentroid),
    spectralRolloff: tile(fe.spectralRolloff),
    spectralFlatness: tile(fe.spectralFlatness),
    spectralContrast: tile(fe.spectralContrast),
  };
  const rhythm = { ...deps.rhythm, beats: shifted(deps.rhythm.beats), downbeats: shifted(deps.rhythm.downbeats) };
  const romans = Array.from({ length: copies }, (_, c) => deps.theory.romans.map((r) => ({ ...r, start: r.start + c * span, end: r.end + c * span }))).flat();
  return { ...deps, frontend, rhythm, theory: { ...deps.theory, romans } };
}

describe('form of a long track', () => {
  let song: FormDeps;
  beforeAll(async () => {
    song = (await runFormSong(FORM_TEST_SONGS[0]!)).deps;
  }, 60_000);

  it('analyses more than maxUnits bars on whole-bar units: sections tile the track and start on the coarse grid', () => {
    const bars = barEdges(song.rhythm, song.frontend.durationSec).length - 1;
    const copies = Math.ceil((2.5 * FORM_PARAMS.maxUnits) / bars);
    const long = repeat(song, copies);
    const duration = long.frontend.durationSec;
    const allBars = barEdges(long.rhythm, duration);
    expect(allBars.length - 1).toBeGreaterThan(2 * FORM_PARAMS.maxUnits);
    const grid = coarsenEdges(allBars, FORM_PARAMS.maxUnits);
    expect(grid.length - 1).toBeLessThanOrEqual(FORM_PARAMS.maxUnits);
    const form = analyseForm(long);
    expect(form.sections.length).toBeGreaterThan(copies); // the repeats are found, not one long section
    expect(form.sections[0]!.start).toBe(0);
    expect(form.sections.at(-1)!.end).toBeCloseTo(duration, 6);
    for (const [i, s] of form.sections.entries()) {
      expect(grid).toContain(s.start);
      if (i > 0) expect(s.start).toBe(form.sections[i - 1]!.end);
      expect(Number.isFinite(s.confidence) && Number.isFinite(s.energy)).toBe(true);
    }
    expect(Number.isFinite(form.confidence)).toBe(true);
  });

  it('a track of at most maxUnits bars is analysed bar by bar, as before', () => {
    const long = repeat(song, 2);
    const edges = barEdges(long.rhythm, long.frontend.durationSec);
    expect(edges.length - 1).toBeLessThanOrEqual(FORM_PARAMS.maxUnits);
    const capped = analyseForm(long);
    const uncapped = analyseForm(long, { ...FORM_PARAMS, maxUnits: Infinity });
    expect(capped).toEqual(uncapped);
  });
});
