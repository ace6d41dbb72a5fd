// Second-pass global key: re-scores the first pass's key against its neighbours using the recognised chords.
//
// The key analyser runs before chords and sees only pitch-class evidence, which cannot tell a key from its
// relative (same scale) and confuses keys a fifth apart (one tone apart). The chord sequence can: candidates
// are the first-pass key, its relative, the keys a fifth above and below (same mode) and their relatives;
// each is scored by how the chords fit it (Σ weight · feature, durations as shares of the chord time):
//  - diatonic: share of time on chords whose tones are all in the key's scale (minor: natural + harmonic);
//  - tonic: share of time on the tonic triad in the key's mode (I / i, with sevenths); the relative key's
//    tonic triad in its mode counts against (which of the two dominates);
//  - dominant: share of time on V (V7) — in minor the major V is the harmonic-minor chord that the relative
//    major lacks;
//  - cadences: V→I / V→i resolutions per chord change;
//  - ends: first and last chords on the tonic triad.
// The key analyser runs the chord estimator itself (estimateKeyWithChords) on its profile estimate, so that the
// pipeline's order (key → chords → theory) stays and every analyser sees the final key.
// The first-pass key gets `stayBonus`; a candidate must beat it to replace it. Local key segments in the
// old global key move to the new one (adjacent equal segments merge), so that they stay consistent.
import type { ChordResult, ChordSegment, FrontEndFeatures, Key, KeyResult, KeySegment, RhythmResult } from '../types.ts';
import { estimateChords } from '../chords/estimate.ts';
import { QUALITY_INTERVALS } from '../chords/vocabulary.ts';
import { estimateKey } from './estimate.ts';
import type { KeyOptions } from './estimate.ts';
import { keyIndex, relativeKey, sameKey } from './names.ts';

export interface KeyRefineOptions {
  diatonicWeight: number;
  tonicWeight: number;
  relativeTonicWeight: number;
  dominantWeight: number;
  cadenceWeight: number;
  firstWeight: number;
  lastWeight: number;
  /** Score bonus of the first-pass key (a candidate must beat it by this much). */
  stayBonus: number;
  /** Bonus of the first pass's relative key over fifth-related candidates (same scale). */
  relativeBonus: number;
  /** Include the keys a fifth away (and their relatives) as candidates. */
  fifths: boolean;
}

export const DEFAULT_KEY_REFINE_OPTIONS: KeyRefineOptions = {
  diatonicWeight: 1,
  tonicWeight: 1,
  relativeTonicWeight: 1,
  dominantWeight: 0.5,
  cadenceWeight: 0,
  firstWeight: 0,
  lastWeight: 0,
  stayBonus: 0.1,
  relativeBonus: 0,
  fifths: true,
};

const MAJOR_SCALE = [0, 2, 4, 5, 7, 9, 11];
const MINOR_SCALE = [0, 2, 3, 5, 7, 8, 10, 11];

function inScale(key: Key, c: ChordSegment): boolean {
  if (c.root === null || c.quality === 'N') return false;
  const scale = key.mode === 'major' ? MAJOR_SCALE : MINOR_SCALE;
  return QUALITY_INTERVALS[c.quality].every((i) => scale.includes((((c.root! + i - key.tonic) % 12) + 12) % 12));
}

const MAJORISH = new Set(['maj', '7', 'maj7']);
const MINORISH = new Set(['min', 'min7']);

function isTriad(c: ChordSegment, root: number, minor: boolean): boolean {
  return c.root === root && (minor ? MINORISH : MAJORISH).has(c.quality);
}

function isTonic(key: Key, c: ChordSegment): boolean {
  return isTriad(c, key.tonic, key.mode === 'minor');
}

function isDominant(key: Key, c: ChordSegment): boolean {
  return c.root === (key.tonic + 7) % 12 && (c.quality === 'maj' || c.quality === '7');
}

/** Chord-fit score of one key (see the header). */
export function chordFit(key: Key, chords: readonly ChordSegment[], options: Partial<KeyRefineOptions> = {}): number {
  const o = { ...DEFAULT_KEY_REFINE_OPTIONS, ...options };
  const cs = chords.filter((c) => c.root !== null && c.quality !== 'N' && c.end > c.start);
  let total = 0;
  for (const c of cs) total += c.end - c.start;
  if (!(total > 0)) return 0;
  const rel = relativeKey(key);
  let diatonic = 0;
  let tonic = 0;
  let relTonic = 0;
  let dominant = 0;
  for (const c of cs) {
    const d = (c.end - c.start) / total;
    if (inScale(key, c)) diatonic += d;
    if (isTonic(key, c)) tonic += d;
    if (isTonic(rel, c)) relTonic += d;
    if (isDominant(key, c)) dominant += d;
  }
  // Root changes only (an inversion change is not a new chord).
  const changes: ChordSegment[] = [];
  for (const c of cs) {
    const p = changes[changes.length - 1];
    if (!p || p.root !== c.root || p.quality !== c.quality) changes.push(c);
  }
  let cadences = 0;
  for (let i = 1; i < changes.length; i++) if (isDominant(key, changes[i - 1]!) && isTonic(key, changes[i]!)) cadences++;
  const cadenceRate = changes.length > 1 ? cadences / (changes.length - 1) : 0;
  const first = cs.length > 0 && isTonic(key, cs[0]!) ? 1 : 0;
  const last = cs.length > 0 && isTonic(key, cs[cs.length - 1]!) ? 1 : 0;
  return (
    o.diatonicWeight * diatonic +
    o.tonicWeight * tonic -
    o.relativeTonicWeight * relTonic +
    o.dominantWeight * dominant +
    o.cadenceWeight * cadenceRate +
    o.firstWeight * first +
    o.lastWeight * last
  );
}

/** The candidates for a first-pass key: itself, its relative, the keys a fifth away and their relatives. */
export function refineCandidates(key: Key, fifths = true): Key[] {
  const out: Key[] = [key, relativeKey(key)];
  if (fifths) {
    for (const step of [7, 5]) {
      const k: Key = { tonic: (key.tonic + step) % 12, mode: key.mode };
      out.push(k, relativeKey(k));
    }
  }
  return out;
}

/** The global key re-decided with the chords; local segments in the old global key follow it. */
export function refineKey(key: KeyResult, chords: ChordResult, options: Partial<KeyRefineOptions> = {}): KeyResult {
  const o = { ...DEFAULT_KEY_REFINE_OPTIONS, ...options };
  const old = key.global;
  if (!(key.confidence > 0) || chords.chords.every((c) => c.root === null)) return key;
  let best = old;
  let bestScore = -Infinity;
  for (const k of refineCandidates(old, o.fifths)) {
    const s = chordFit(k, chords.chords, o) + (sameKey(k, old) ? o.stayBonus : 0) + (sameKey(k, relativeKey(old)) ? o.relativeBonus : 0);
    if (s > bestScore + 1e-12) [best, bestScore] = [k, s];
  }
  if (sameKey(best, old)) return key;
  // The new global key must be one the song is in: segments in the old key move to it.
  const moved: KeySegment[] = [];
  for (const s of key.segments) {
    const seg = sameKey(s.key, old) ? { ...s, key: best } : { ...s };
    const prev = moved[moved.length - 1];
    if (prev && keyIndex(prev.key) === keyIndex(seg.key)) {
      prev.confidence = Math.max(prev.confidence, seg.confidence);
      prev.end = seg.end;
    } else moved.push(seg);
  }
  return { global: best, confidence: key.confidence, segments: moved };
}

/**
 * The key analyser's estimate: the profile estimate (estimate.ts), a chord pass in that key (chords/estimate.ts,
 * default options), and the global key refined with those chords. `refine` false skips the refinement.
 */
export function estimateKeyWithChords(
  features: FrontEndFeatures,
  rhythm: RhythmResult | null | undefined,
  options: Partial<KeyOptions> = {},
  refine: Partial<KeyRefineOptions> | false = {},
): KeyResult {
  const first = estimateKey(features, rhythm, options);
  if (refine === false || !(first.confidence > 0)) return first;
  return refineKey(first, estimateChords(features, rhythm, first), refine);
}
