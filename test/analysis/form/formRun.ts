// Renders a song spec and runs the whole chain up to form: front end → rhythm → key → chords → theory → form.
import { analyseForm } from '../../../app/analysis/form/index.ts';
import type { FormDeps } from '../../../app/analysis/form/index.ts';
import { analyseTheory } from '../../../app/analysis/theory/index.ts';
import type { FormResult } from '../../../app/analysis/types.ts';
import { sectionTruth } from '../../../app/demo/library.ts';
import type { GroundTruthSection } from '../../../app/demo/library.ts';
import { renderSong } from '../../../app/demo/synth.ts';
import type { SongSpec } from '../../../app/demo/songs.ts';
import { analyseFeatures, downmix, runFrontEnd } from '../chords/demoRun.ts';
import { segmentDetection } from '../../bench/mireval/segment.ts';
import type { Interval } from '../../bench/mireval/util.ts';

export interface FormRun {
  spec: SongSpec;
  truth: GroundTruthSection[];
  form: FormResult;
  /** What the form analyser was given. */
  deps: FormDeps;
}

/** Analyses already-decoded mono samples all the way to form. */
export async function formOfSamples(samples: Float32Array, sampleRate = 22050): Promise<{ form: FormResult; deps: FormDeps }> {
  const frontend = await runFrontEnd(samples, sampleRate);
  const { rhythm, key, chords } = analyseFeatures(frontend);
  const theory = analyseTheory(chords, key, rhythm);
  const deps = { frontend, rhythm, key, chords, theory };
  return { form: analyseForm(deps), deps };
}

export async function runFormSong(spec: SongSpec): Promise<FormRun> {
  const { form, deps } = await formOfSamples(downmix(renderSong(spec, 22050)));
  return { spec, truth: sectionTruth(spec), form, deps };
}

const intervals = (xs: readonly { start: number; end: number }[]): Interval[] => xs.map((s) => [s.start, s.end] as const);

/** mir_eval segment detection at ±3 s, with and without the track's start and end boundaries. */
export function boundaryScores(run: FormRun): { f: number; fTrim: number } {
  return {
    f: segmentDetection(intervals(run.truth), intervals(run.form.sections), 3, 1, false).f,
    fTrim: segmentDetection(intervals(run.truth), intervals(run.form.sections), 3, 1, true).f,
  };
}

/** Share of reference time whose estimated label equals the reference label, for the given labels. */
export function labelAccuracy(run: FormRun, labels: readonly string[]): number {
  let hit = 0;
  let total = 0;
  const step = 0.25;
  for (const ref of run.truth) {
    if (!labels.includes(ref.label)) continue;
    for (let t = ref.start + step / 2; t < ref.end; t += step) {
      total += step;
      const est = run.form.sections.find((s) => t >= s.start && t < s.end);
      if (est?.label === ref.label) hit += step;
    }
  }
  return total > 0 ? hit / total : NaN;
}
