/**
 * Port of mir_eval.chord (mir_eval 0.8.2): Harte chord-label parsing and encoding, the comparison
 * rules we score with (root, majmin, majmin_inv, sevenths, sevenths_inv), weighted_accuracy and the
 * interval handling of mir_eval.chord.evaluate. Pure functions.
 *
 * A comparison gives, per (reference, estimate) pair, 1 (correct), 0 (wrong) or -1 (the reference is
 * outside the rule's vocabulary: left out of the score), exactly as mir_eval does:
 * - root:         every reference except 'X'.
 * - majmin:       references whose first 8 semitones (through #5) spell maj or min, and 'N'.
 *                 So sus2/sus4/dim/aug/'(1)'/'(1,5)' and the like are excluded; 7, maj7, min7 count
 *                 as their triad; 'C:maj/2' is excluded (the bass is added to the chord's notes).
 * - majmin_inv:   as majmin, also comparing the bass.
 * - sevenths:     references whose full 12-semitone bitmap is maj, min, maj7, 7, min7, or 'N'
 *                 (min6, maj6, dim7, hdim7, minmaj7, sus… are excluded; 'C:maj/b7' counts as C:7).
 * - sevenths_inv: as sevenths, also comparing the bass.
 * An inversion's bass is always added to the chord's bitmap by `encode`, as mir_eval does.
 */
import type { Interval } from './util.ts';
import { adjustIntervals, intervalsToDurations, mergeLabeledIntervals } from './util.ts';

export const BITMAP_LENGTH = 12;
export const NO_CHORD = 'N';
export const X_CHORD = 'X';

export class InvalidChordException extends Error {
  constructor(
    message: string,
    readonly chordLabel?: string,
  ) {
    super(message);
    this.name = 'InvalidChordException';
  }
}

const PITCH_CLASSES: Record<string, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };

const SCALE_DEGREES: Record<string, number> = {
  '1': 0, '2': 2, '3': 4, '4': 5, '5': 7, '6': 9, '7': 11, '8': 12, '9': 14, '10': 16, '11': 17, '12': 19, '13': 21,
};

/** mir_eval.chord.QUALITIES: relative semitone bitmaps of the quality shorthands. */
export const QUALITIES: Readonly<Record<string, readonly number[]>> = {
  //         1  .  2  .  3  4  .  5  .  6  .  7
  maj: /*  */ [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0],
  min: /*  */ [1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0],
  aug: /*  */ [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0],
  dim: /*  */ [1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0],
  sus4: /* */ [1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0],
  sus2: /* */ [1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0],
  '7': /*  */ [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0],
  maj7: /* */ [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1],
  min7: /* */ [1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0],
  minmaj7: [1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1],
  maj6: /* */ [1, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0],
  min6: /* */ [1, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0],
  dim7: /* */ [1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0],
  hdim7: /**/ [1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0],
  maj9: /* */ [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1],
  min9: /* */ [1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0],
  '9': /*  */ [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0],
  min11: /**/ [1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0],
  '11': /* */ [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0],
  maj13: /**/ [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1],
  min13: /**/ [1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0],
  '13': /* */ [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0],
  '1': /*  */ [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  '5': /*  */ [1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0],
  '': /*   */ [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
};

/** mir_eval.chord.EXTENDED_QUALITY_REDUX: extended qualities → (base quality, extra scale degrees). */
const EXTENDED_QUALITY_REDUX: Readonly<Record<string, readonly [string, readonly string[]]>> = {
  minmaj7: ['min', ['7']],
  maj9: ['maj7', ['9']],
  min9: ['min7', ['9']],
  '9': ['7', ['9']],
  b9: ['7', ['b9']],
  '#9': ['7', ['#9']],
  '11': ['7', ['9', '11']],
  '#11': ['7', ['9', '#11']],
  '13': ['7', ['9', '11', '13']],
  b13: ['7', ['9', '11', 'b13']],
  min11: ['min7', ['9', '11']],
  maj13: ['maj7', ['9', '11', '13']],
  min13: ['min7', ['9', '11', '13']],
};

/** mir_eval.chord.CHORD_RE, verbatim. */
const CHORD_RE =
  /^((N|X)|(([A-G](b*|#*))((:(maj|min|dim|aug|1|5|sus2|sus4|maj6|min6|7|maj7|min7|dim7|hdim7|minmaj7|aug7|9|maj9|min9|11|maj11|min11|13|maj13|min13)(\((\*?((b*|#*)([1-9]|1[0-3]?))(,\*?((b*|#*)([1-9]|1[0-3]?)))*)\))?)|(:\((\*?((b*|#*)([1-9]|1[0-3]?))(,\*?((b*|#*)([1-9]|1[0-3]?)))*)\)))?((\/((b*|#*)([1-9]|1[0-3]?)))?)?))$/;

/** Python's `%` (the result has the sign of the divisor). */
function pmod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

/** Python's str.strip(chars) for a single character. */
function stripChar(s: string, c: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s[a] === c) a++;
  while (b > a && s[b - 1] === c) b--;
  return s.slice(a, b);
}

function count(s: string, c: string): number {
  return s.split(c).length - 1;
}

/** Follows mir_eval.chord.pitch_class_to_semitone: 'C#' → 1, 'Gbb' → 5, 'Cb' → 11. */
export function pitchClassToSemitone(pitchClass: string): number {
  let semitone = 0;
  for (let idx = 0; idx < pitchClass.length; idx++) {
    const ch = pitchClass[idx]!;
    if (ch === '#' && idx > 0) semitone += 1;
    else if (ch === 'b' && idx > 0) semitone -= 1;
    else if (idx === 0) {
      const s = PITCH_CLASSES[ch];
      if (s === undefined) throw new InvalidChordException(`Pitch class improperly formed: ${pitchClass}`);
      semitone = s;
    } else throw new InvalidChordException(`Pitch class improperly formed: ${pitchClass}`);
  }
  return pmod(semitone, 12);
}

/** Follows mir_eval.chord.scale_degree_to_semitone: 'b3' → 3, '#5' → 8, '9' → 14 (not wrapped). */
export function scaleDegreeToSemitone(scaleDegree: string): number {
  let offset = 0;
  let sd = scaleDegree;
  if (sd.startsWith('#')) {
    offset = count(sd, '#');
    sd = stripChar(sd, '#');
  } else if (sd.startsWith('b')) {
    offset = -count(sd, 'b');
    sd = stripChar(sd, 'b');
  }
  const semitone = SCALE_DEGREES[sd];
  if (semitone === undefined) throw new InvalidChordException(`Scale degree improperly formed: ${sd}`);
  return semitone + offset;
}

/**
 * Follows mir_eval.chord.scale_degree_to_bitmap: a 12-vector with +1 (or −1 for an omission '*3') at
 * the degree's semitone; degrees beyond the octave (9, 11, 13) are dropped unless `modulo`.
 */
export function scaleDegreeToBitmap(scaleDegree: string, modulo = false, length = BITMAP_LENGTH): number[] {
  let sign = 1;
  let sd = scaleDegree;
  if (sd.startsWith('*')) {
    sign = -1;
    sd = stripChar(sd, '*');
  }
  const editMap = new Array<number>(length).fill(0);
  const idx = scaleDegreeToSemitone(sd);
  if (idx < length || modulo) editMap[pmod(idx, length)] = sign;
  return editMap;
}

/** Follows mir_eval.chord.quality_to_bitmap. Throws for a shorthand outside QUALITIES (e.g. 'aug7', 'maj11'). */
export function qualityToBitmap(quality: string): number[] {
  const bitmap = QUALITIES[quality];
  if (!bitmap) throw new InvalidChordException(`Unsupported chord quality shorthand: '${quality}' Did you mean to reduce extended chords?`);
  return [...bitmap];
}

/** Follows mir_eval.chord.reduce_extended_quality: 'maj9' → ['maj7', {'9'}]. */
export function reduceExtendedQuality(quality: string): [string, Set<string>] {
  const r = EXTENDED_QUALITY_REDUX[quality];
  return r ? [r[0], new Set(r[1])] : [quality, new Set()];
}

/** Follows mir_eval.chord.validate_chord_label (the CHORD_RE grammar). */
export function validateChordLabel(chordLabel: string): void {
  if (!CHORD_RE.test(chordLabel)) throw new InvalidChordException(`Invalid chord label: ${chordLabel}`, chordLabel);
}

export function isValidChordLabel(chordLabel: string): boolean {
  return CHORD_RE.test(chordLabel);
}

export interface ChordParts {
  root: string;
  quality: string;
  scaleDegrees: Set<string>;
  bass: string;
}

/**
 * Follows mir_eval.chord.split: 'C' → C maj {} '1'; 'G#:min(*b3,*5)/5' → G# min {*b3,*5} '5';
 * 'A:(3)/6' → A '' {3} '6' (a label with intervals and no shorthand has an empty quality);
 * 'N' → N '' {} ''.
 */
export function splitChord(chordLabel: string, reduceExtendedChords = false): ChordParts {
  validateChordLabel(chordLabel);
  if (chordLabel === NO_CHORD) return { root: chordLabel, quality: '', scaleDegrees: new Set(), bass: '' };
  let label = chordLabel;
  let bass = '1';
  if (label.includes('/')) [label, bass] = label.split('/') as [string, string];
  let scaleDegrees = new Set<string>();
  let omission = false;
  if (label.includes('(')) {
    const [head, degrees] = label.split('(') as [string, string];
    label = head;
    omission = degrees.includes('*');
    scaleDegrees = new Set(stripChar(degrees, ')').split(',').map((d) => d.trim()));
  }
  if (omission && !label.includes(':')) throw new InvalidChordException('Intervals specifying omissions MUST have a quality.');
  let quality = scaleDegrees.size > 0 ? '' : 'maj';
  let root: string;
  if (label.includes(':')) {
    const [r, qualityName] = label.split(':') as [string, string];
    root = r;
    if (qualityName) quality = qualityName.toLowerCase();
  } else root = label;
  if (reduceExtendedChords) {
    const [q, extra] = reduceExtendedQuality(quality);
    quality = q;
    for (const d of extra) scaleDegrees.add(d);
  }
  return { root, quality, scaleDegrees, bass };
}

export interface EncodedChord {
  /** Absolute pitch class of the root; -1 for 'N' and 'X'. */
  root: number;
  /** 12 relative semitones (1 = present); all 0 for 'N', all -1 for 'X'. */
  bitmap: number[];
  /** Bass as a semitone relative to the root (0 = root position); -1 for 'N' and 'X'. */
  bass: number;
}

/**
 * Follows mir_eval.chord.encode (strict_bass_intervals=False): the quality's bitmap with the root set,
 * plus/minus the scale degrees, then the bass semitone set as well.
 */
export function encodeChord(chordLabel: string, reduceExtendedChords = false): EncodedChord {
  if (chordLabel === NO_CHORD) return { root: -1, bitmap: new Array<number>(BITMAP_LENGTH).fill(0), bass: -1 };
  if (chordLabel === X_CHORD) return { root: -1, bitmap: new Array<number>(BITMAP_LENGTH).fill(-1), bass: -1 };
  const { root, quality, scaleDegrees, bass } = splitChord(chordLabel, reduceExtendedChords);
  const rootNumber = pitchClassToSemitone(root);
  const bassNumber = pmod(scaleDegreeToSemitone(bass), 12);
  const bitmap = qualityToBitmap(quality);
  bitmap[0] = 1;
  for (const sd of scaleDegrees) {
    const edit = scaleDegreeToBitmap(sd, reduceExtendedChords);
    for (let i = 0; i < BITMAP_LENGTH; i++) bitmap[i]! += edit[i]!;
  }
  const out = bitmap.map((v) => (v > 0 ? 1 : 0));
  out[bassNumber] = 1;
  return { root: rootNumber, bitmap: out, bass: bassNumber };
}

/** Follows mir_eval.chord.encode_many (with a per-call cache of labels). */
export function encodeMany(chordLabels: readonly string[], reduceExtendedChords = false): EncodedChord[] {
  const cache = new Map<string, EncodedChord>();
  return chordLabels.map((label) => {
    let e = cache.get(label);
    if (!e) {
      e = encodeChord(label, reduceExtendedChords);
      cache.set(label, e);
    }
    return e;
  });
}

/** Follows mir_eval.chord.validate: equal lengths and valid labels (throws otherwise). */
function validate(referenceLabels: readonly string[], estimatedLabels: readonly string[]): void {
  if (referenceLabels.length !== estimatedLabels.length) {
    throw new Error(`Chord comparison received different length lists: len(reference)=${referenceLabels.length}\tlen(estimates)=${estimatedLabels.length}`);
  }
  for (const l of referenceLabels) validateChordLabel(l);
  for (const l of estimatedLabels) validateChordLabel(l);
}

const eqSlice = (a: readonly number[], b: readonly number[], n: number): boolean => {
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
};

export type ChordComparator = (referenceLabels: readonly string[], estimatedLabels: readonly string[]) => number[];

/** Follows mir_eval.chord.root: same root (N vs N counts as the same); 'X' references → -1. */
export const root: ChordComparator = (referenceLabels, estimatedLabels) => {
  validate(referenceLabels, estimatedLabels);
  const ref = encodeMany(referenceLabels);
  const est = encodeMany(estimatedLabels);
  return ref.map((r, i) => (r.bitmap.some((v) => v < 0) ? -1 : r.root === est[i]!.root ? 1 : 0));
};

const MAJ8 = QUALITIES.maj!.slice(0, 8);
const MIN8 = QUALITIES.min!.slice(0, 8);
const isMajMinOrNone = (r: EncodedChord): boolean =>
  eqSlice(r.bitmap, MAJ8, 8) || eqSlice(r.bitmap, MIN8, 8) || (r.root < 0 && r.bitmap.every((v) => v === 0));
/** mir_eval's "valid inversion" test: the reference bass is one of the chord's semitones (always true after encode). */
const validInversion = (r: EncodedChord): boolean => r.bass < 0 || r.bitmap[r.bass] === 1;

/** Follows mir_eval.chord.majmin: root and semitones through #5 equal; only maj/min/N references are scored. */
export const majmin: ChordComparator = (referenceLabels, estimatedLabels) => {
  validate(referenceLabels, estimatedLabels);
  const ref = encodeMany(referenceLabels);
  const est = encodeMany(estimatedLabels);
  return ref.map((r, i) => {
    if (!isMajMinOrNone(r)) return -1;
    const e = est[i]!;
    return r.root === e.root && eqSlice(r.bitmap, e.bitmap, 8) ? 1 : 0;
  });
};

/** Follows mir_eval.chord.majmin_inv: majmin plus the same bass. */
export const majminInv: ChordComparator = (referenceLabels, estimatedLabels) => {
  validate(referenceLabels, estimatedLabels);
  const ref = encodeMany(referenceLabels);
  const est = encodeMany(estimatedLabels);
  return ref.map((r, i) => {
    if (!isMajMinOrNone(r) || !validInversion(r)) return -1;
    const e = est[i]!;
    return r.root === e.root && r.bass === e.bass && eqSlice(r.bitmap, e.bitmap, 8) ? 1 : 0;
  });
};

const SEVENTH_QUALITIES = ['maj', 'min', 'maj7', '7', 'min7', ''].map((q) => QUALITIES[q]!);
const isSeventhVocab = (r: EncodedChord): boolean => SEVENTH_QUALITIES.some((q) => eqSlice(r.bitmap, q, 12));

/** Follows mir_eval.chord.sevenths: root and all 12 semitones equal; only maj/min/maj7/7/min7/N references are scored. */
export const sevenths: ChordComparator = (referenceLabels, estimatedLabels) => {
  validate(referenceLabels, estimatedLabels);
  const ref = encodeMany(referenceLabels);
  const est = encodeMany(estimatedLabels);
  return ref.map((r, i) => {
    if (!isSeventhVocab(r)) return -1;
    const e = est[i]!;
    return r.root === e.root && eqSlice(r.bitmap, e.bitmap, 12) ? 1 : 0;
  });
};

/** Follows mir_eval.chord.sevenths_inv: sevenths plus the same bass. */
export const seventhsInv: ChordComparator = (referenceLabels, estimatedLabels) => {
  validate(referenceLabels, estimatedLabels);
  const ref = encodeMany(referenceLabels);
  const est = encodeMany(estimatedLabels);
  return ref.map((r, i) => {
    if (!isSeventhVocab(r) || !validInversion(r)) return -1;
    const e = est[i]!;
    return r.root === e.root && r.bass === e.bass && eqSlice(r.bitmap, e.bitmap, 12) ? 1 : 0;
  });
};

export const CHORD_COMPARATORS = { root, majmin, majmin_inv: majminInv, sevenths, sevenths_inv: seventhsInv } as const;
export type ChordMetric = keyof typeof CHORD_COMPARATORS;
export const CHORD_METRICS = Object.keys(CHORD_COMPARATORS) as ChordMetric[];

export interface WeightedParts {
  /** Σ weight × comparison over the scored (non -1) items. */
  correct: number;
  /** Σ weight over the scored items. */
  total: number;
}

/** The numerator and denominator of weighted_accuracy, for pooling over a set (MIREX WCSR). */
export function weightedAccuracyParts(comparisons: readonly number[], weights: readonly number[]): WeightedParts {
  if (weights.length !== comparisons.length) {
    throw new Error(`weights and comparisons should be of the same length. len(weights) = ${weights.length} but len(comparisons) = ${comparisons.length}`);
  }
  if (weights.some((w) => w < 0)) throw new Error('Weights should all be positive.');
  let correct = 0;
  let total = 0;
  for (let i = 0; i < comparisons.length; i++) {
    const c = comparisons[i]!;
    if (c < 0) continue;
    correct += c * weights[i]!;
    total += weights[i]!;
  }
  return { correct, total };
}

/**
 * Follows mir_eval.chord.weighted_accuracy: Σ comparison × weight / Σ weight over the comparisons
 * that are >= 0; 0 when all weights are 0 or nothing is comparable.
 */
export function weightedAccuracy(comparisons: readonly number[], weights: readonly number[]): number {
  const { correct, total } = weightedAccuracyParts(comparisons, weights);
  const allWeight = weights.reduce((a, b) => a + b, 0);
  if (allWeight === 0 || total === 0) return 0;
  return correct / total;
}

export interface ChordEvaluation {
  /** Per metric: the song's score and its parts (scored duration, correctly labelled duration). */
  scores: Record<ChordMetric, number>;
  parts: Record<ChordMetric, WeightedParts>;
}

/**
 * The chord part of mir_eval.chord.evaluate: the estimate is padded with 'N' / cropped to the
 * reference's span [min, max] (util.adjust_intervals), both are cut at the union of their boundaries
 * (util.merge_labeled_intervals), and each comparison is weighted by the pieces' durations.
 */
export function evaluateChords(
  refIntervals: readonly Interval[],
  refLabels: readonly string[],
  estIntervals: readonly Interval[],
  estLabels: readonly string[],
): ChordEvaluation {
  if (refIntervals.length === 0) throw new Error('evaluateChords: the reference has no intervals');
  const refValues = refIntervals.flatMap((iv) => [iv[0], iv[1]]);
  const tMin = Math.min(...refValues);
  const tMax = Math.max(...refValues);
  const est = adjustIntervals(estIntervals, estLabels, tMin, tMax, NO_CHORD, NO_CHORD);
  const merged = mergeLabeledIntervals(refIntervals, refLabels, est.intervals, est.labels);
  const durations = intervalsToDurations(merged.intervals);
  const scores = {} as Record<ChordMetric, number>;
  const parts = {} as Record<ChordMetric, WeightedParts>;
  for (const metric of CHORD_METRICS) {
    const comparisons = CHORD_COMPARATORS[metric](merged.xLabels, merged.yLabels);
    parts[metric] = weightedAccuracyParts(comparisons, durations);
    scores[metric] = weightedAccuracy(comparisons, durations);
  }
  return { scores, parts };
}
