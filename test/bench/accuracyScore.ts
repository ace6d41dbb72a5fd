/**
 * Scoring for the accuracy bench: one song's HarmonyAnalysis against its POP909 ground truth, and the
 * pooled numbers over a set of songs. Pure functions over the mir_eval ports in ./mireval/.
 *
 * - Chords: mir_eval.chord.evaluate's weighted accuracies (root, majmin, majmin_inv, sevenths,
 *   sevenths_inv). Over the set they are pooled MIREX-style (WCSR): Σ correctly labelled duration /
 *   Σ scored duration of all songs, so long songs weigh more.
 * - Key: mir_eval.key.weighted_score against the song's global key (the longest key_mode value),
 *   averaged over songs.
 * - Tempo: Acc1 / Acc2 (4 %), fraction of songs.
 * - Beats: mir_eval.beat.evaluate's F-measure (±70 ms, beats before 5 s trimmed), averaged over songs;
 *   also averaged over the songs whose reference grid agrees with their own chord changes
 *   (pop909/gridCheck.ts: in about one song in ten the annotated beats sit off the score's notes).
 * - Key and modal interchange are also given over the songs whose annotation its own score supports:
 *   the annotated tonic not contradicted by the melody's phrase endings and the last bass note
 *   (pop909/keyEvidence.ts), the annotated borrowed chords sounding a borrowed tone (pop909/borrowedCheck.ts).
 * - Devices: precision / recall over songs of "uses modal interchange" and of "modulates" (a
 *   'modulation' device; "modulates" also with the key changes the annotation lacks but its own chords
 *   confirm counted as there, pop909/keyChangeCheck.ts). Modal interchange follows issue 3's definition of a borrowed chord — in
 *   major ♭III, iv, v, ♭VI, ♭VII, i, ii° (iiø7); in minor the major IV and the Picardy I — which is
 *   also the data set's (sandbox concept `modal_interchange`, from the chord annotation and the local
 *   key, a chord counting when it lasts a beat; its Picardy I is a major tonic closing a minor key
 *   region). Our analysis reports the Picardy third as its own device ('picardy-third'), so the
 *   prediction is: a 'modal-interchange' or a 'picardy-third' device.
 * A song whose analysis failed scores 0 on everything (its chord duration counts as wrong, its device
 * predictions as "no"), so failures cannot flatter the numbers.
 */
import { harteLabel } from '../../app/analysis/jams.ts';
import type { DeviceKind, HarmonyAnalysis } from '../../app/analysis/types.ts';
import type { ChordMetric, Interval, PrecisionRecall, WeightedParts } from './mireval/index.ts';
import { CHORD_METRICS, NO_CHORD, evaluateBeatF, evaluateChords, keyString, keyWeightedScore, precisionRecall, tempoAcc1, tempoAcc2 } from './mireval/index.ts';
import type { SongTruth } from './pop909/groundTruth.ts';
import { hasConcept } from './pop909/groundTruth.ts';
import type { GridCheck } from './pop909/gridCheck.ts';
import { checkBeatGrid } from './pop909/gridCheck.ts';
import { checkKeyChanges } from './pop909/keyChangeCheck.ts';
import type { BorrowedCheck } from './pop909/borrowedCheck.ts';
import { checkBorrowedChords } from './pop909/borrowedCheck.ts';
import type { TonicCheck } from './pop909/keyEvidence.ts';
import { checkAnnotatedTonic } from './pop909/keyEvidence.ts';

export interface SongScore {
  chords: Record<ChordMetric, WeightedParts & { score: number }>;
  /** `tonicCheck`: whether the score's own cadences support the annotated tonic over its relative's (pop909/keyEvidence.ts). */
  key: { reference: string; estimate: string; score: number; tonicCheck: TonicCheck };
  tempo: { reference: number; estimate: number; acc1: boolean; acc2: boolean };
  beat: { f: number; referenceBeats: number; estimatedBeats: number; grid: GridCheck };
  /** `borrowed`: whether the annotated borrowed chords sound a borrowed tone in the score (pop909/borrowedCheck.ts). */
  modalInterchange: { truth: boolean; predicted: boolean; borrowed: BorrowedCheck };
  /** `chordConfirmed`: predicted where the annotation has no key change, but the set's own chords confirm one of ours (pop909/keyChangeCheck.ts). */
  modulation: { truth: boolean; predicted: boolean; chordConfirmed: boolean };
}

/**
 * The estimate's chord segments as contiguous labelled intervals: sorted by start, overlaps cut at the
 * later segment's start, gaps filled with 'N' (gaps under a millisecond, i.e. rounding, are closed by
 * extending the previous chord), empty segments dropped; labels in Harte notation.
 */
export function estimatedChordIntervals(analysis: HarmonyAnalysis): { intervals: Interval[]; labels: string[] } {
  const segs = [...analysis.chords.chords].filter((c) => Number.isFinite(c.start) && Number.isFinite(c.end)).sort((a, b) => a.start - b.start);
  const intervals: Interval[] = [];
  const labels: string[] = [];
  let t = segs.length ? Math.min(0, segs[0]!.start) : 0;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    const start = Math.max(s.start, t);
    const end = i + 1 < segs.length ? Math.min(s.end, segs[i + 1]!.start) : s.end;
    if (start > t) {
      const prev = intervals.length - 1;
      if (prev >= 0 && start - t < ROUNDING_GAP) intervals[prev] = [intervals[prev]![0], start];
      else {
        intervals.push([t, start]);
        labels.push(NO_CHORD);
      }
    }
    if (end > start) {
      intervals.push([start, end]);
      labels.push(harteLabel(s));
      t = end;
    } else t = Math.max(t, start);
  }
  return { intervals, labels };
}

/** Gaps between estimated chords shorter than this are rounding, not silence. */
const ROUNDING_GAP = 0.001;

const hasDevice = (a: HarmonyAnalysis, kind: DeviceKind): boolean => a.theory.devices.some((d) => d.kind === kind);

/** Issue 3's borrowed chords include the Picardy I, which the analysis reports as its own device. */
export const usesModalInterchange = (a: HarmonyAnalysis): boolean => hasDevice(a, 'modal-interchange') || hasDevice(a, 'picardy-third');

const gridOf = (truth: SongTruth): GridCheck => checkBeatGrid(truth.beats, truth.chords.intervals.map((iv) => iv[0]), truth.chords.labels);
const tonicOf = (truth: SongTruth): TonicCheck => checkAnnotatedTonic(truth.scoreNotes, truth.key.key);
const borrowedOf = (truth: SongTruth): BorrowedCheck => checkBorrowedChords(truth, truth.scoreNotes);

/** Scores one song. Throws only on malformed input (e.g. a chord label that is not Harte). */
export function scoreSong(truth: SongTruth, analysis: HarmonyAnalysis): SongScore {
  const est = estimatedChordIntervals(analysis);
  const ev = evaluateChords(truth.chords.intervals, truth.chords.labels, est.intervals, est.labels);
  const chords = {} as SongScore['chords'];
  for (const m of CHORD_METRICS) chords[m] = { ...ev.parts[m], score: ev.scores[m] };

  const estimateKey = keyString(analysis.key.global.tonic, analysis.key.global.mode);
  const beats = [...analysis.rhythm.beats].filter(Number.isFinite).sort((a, b) => a - b);
  return {
    chords,
    key: { reference: truth.key.mirEval, estimate: estimateKey, score: keyWeightedScore(truth.key.mirEval, estimateKey), tonicCheck: tonicOf(truth) },
    tempo: { reference: truth.tempoBpm, estimate: analysis.rhythm.bpm, acc1: tempoAcc1(truth.tempoBpm, analysis.rhythm.bpm), acc2: tempoAcc2(truth.tempoBpm, analysis.rhythm.bpm) },
    beat: { f: evaluateBeatF(truth.beats, beats), referenceBeats: truth.beats.length, estimatedBeats: beats.length, grid: gridOf(truth) },
    modalInterchange: { truth: hasConcept(truth, 'modal_interchange'), predicted: usesModalInterchange(analysis), borrowed: borrowedOf(truth) },
    modulation: modulationScore(truth, analysis),
  };
}

function modulationScore(truth: SongTruth, analysis: HarmonyAnalysis): SongScore['modulation'] {
  const annotated = hasConcept(truth, 'modulation');
  const predicted = hasDevice(analysis, 'modulation');
  const chordConfirmed = predicted && !annotated && checkKeyChanges(truth, analysis.key.segments).some((c) => c.confirmed);
  return { truth: annotated, predicted, chordConfirmed };
}

/** What a song whose analysis failed scores: nothing right, its whole scored chord duration wrong. */
export function failedSongScore(truth: SongTruth): SongScore {
  // The scored duration depends on the reference only; take it from an empty estimate, count none of it right.
  const ev = evaluateChords(truth.chords.intervals, truth.chords.labels, [], []);
  const chords = {} as SongScore['chords'];
  for (const m of CHORD_METRICS) chords[m] = { correct: 0, total: ev.parts[m].total, score: 0 };
  return {
    chords,
    key: { reference: truth.key.mirEval, estimate: 'X', score: 0, tonicCheck: tonicOf(truth) },
    tempo: { reference: truth.tempoBpm, estimate: Number.NaN, acc1: false, acc2: false },
    beat: { f: 0, referenceBeats: truth.beats.length, estimatedBeats: 0, grid: gridOf(truth) },
    modalInterchange: { truth: hasConcept(truth, 'modal_interchange'), predicted: false, borrowed: borrowedOf(truth) },
    modulation: { truth: hasConcept(truth, 'modulation'), predicted: false, chordConfirmed: false },
  };
}

export interface SetSummary {
  songs: number;
  failed: number;
  /** Pooled over the set (MIREX WCSR): Σ correct duration / Σ scored duration. */
  chords: Record<ChordMetric, number>;
  /** Mean over songs of the per-song chord score (for comparison with papers that average per song). */
  chordsSongMean: Record<ChordMetric, number>;
  key: number;
  tempoAcc1: number;
  tempoAcc2: number;
  beatF: number;
  /** Beat F over the songs whose reference grid agrees with their chord changes, and how many they are. */
  beatFGridAgrees: number;
  gridAgreesSongs: number;
  /** Key over the songs whose score's cadences support the annotated tonic, and how many they are. */
  keyTonicAgrees: number;
  tonicAgreesSongs: number;
  modalInterchange: PrecisionRecall;
  /** The same over the songs whose annotated borrowed chords (if any) can be heard, and how many they are. */
  modalInterchangeAudible: PrecisionRecall;
  audibleSongs: number;
  modulation: PrecisionRecall;
  /** The same, with a key change the annotation lacks but its own chords confirm counted as there. */
  modulationChordChecked: PrecisionRecall;
}

const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);

/** Pools per-song scores over the set (see the module comment). */
export function summarise(scores: readonly SongScore[], failed = 0): SetSummary {
  const chords = {} as Record<ChordMetric, number>;
  const chordsSongMean = {} as Record<ChordMetric, number>;
  for (const m of CHORD_METRICS) {
    const correct = scores.reduce((a, s) => a + s.chords[m].correct, 0);
    const total = scores.reduce((a, s) => a + s.chords[m].total, 0);
    chords[m] = total > 0 ? correct / total : Number.NaN;
    chordsSongMean[m] = mean(scores.filter((s) => s.chords[m].total > 0).map((s) => s.chords[m].score));
  }
  return {
    songs: scores.length,
    failed,
    chords,
    chordsSongMean,
    key: mean(scores.map((s) => s.key.score)),
    keyTonicAgrees: mean(scores.filter((s) => s.key.tonicCheck.agrees).map((s) => s.key.score)),
    tonicAgreesSongs: scores.filter((s) => s.key.tonicCheck.agrees).length,
    tempoAcc1: mean(scores.map((s) => (s.tempo.acc1 ? 1 : 0))),
    tempoAcc2: mean(scores.map((s) => (s.tempo.acc2 ? 1 : 0))),
    beatF: mean(scores.map((s) => s.beat.f)),
    beatFGridAgrees: mean(scores.filter((s) => s.beat.grid.agrees).map((s) => s.beat.f)),
    gridAgreesSongs: scores.filter((s) => s.beat.grid.agrees).length,
    modalInterchange: precisionRecall(scores.map((s) => s.modalInterchange)),
    modalInterchangeAudible: precisionRecall(scores.filter((s) => s.modalInterchange.borrowed.agrees).map((s) => s.modalInterchange)),
    audibleSongs: scores.filter((s) => s.modalInterchange.borrowed.agrees).length,
    modulation: precisionRecall(scores.map((s) => s.modulation)),
    modulationChordChecked: precisionRecall(scores.map((s) => ({ truth: s.modulation.truth || s.modulation.chordConfirmed, predicted: s.modulation.predicted }))),
  };
}
