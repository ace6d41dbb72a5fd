// The chord vocabulary: 12 roots × 11 qualities (Harte shorthands) + N, with interval sets, Harte
// labels (bass as a scale degree: 'G:maj/3', 'C:7/b7') and diatonic-ness in a key.
import type { ChordQuality, Key, PitchClass } from '../types.ts';
import { spellPitchClass } from '../key/names.ts';

export const QUALITIES: readonly ChordQuality[] = ['maj', 'min', '7', 'maj7', 'min7', 'dim', 'aug', 'sus2', 'sus4', 'hdim7', 'dim7'];

/** Semitones above the root, root first. */
export const QUALITY_INTERVALS: Record<ChordQuality, readonly number[]> = {
  maj: [0, 4, 7],
  min: [0, 3, 7],
  '7': [0, 4, 7, 10],
  maj7: [0, 4, 7, 11],
  min7: [0, 3, 7, 10],
  dim: [0, 3, 6],
  aug: [0, 4, 8],
  sus2: [0, 2, 7],
  sus4: [0, 5, 7],
  hdim7: [0, 3, 6, 10],
  dim7: [0, 3, 6, 9],
};

/** Harte scale-degree names of the intervals above (for '/bass'). */
const DEGREE_NAMES: Record<ChordQuality, Record<number, string>> = {
  maj: { 0: '1', 4: '3', 7: '5' },
  min: { 0: '1', 3: 'b3', 7: '5' },
  '7': { 0: '1', 4: '3', 7: '5', 10: 'b7' },
  maj7: { 0: '1', 4: '3', 7: '5', 11: '7' },
  min7: { 0: '1', 3: 'b3', 7: '5', 10: 'b7' },
  dim: { 0: '1', 3: 'b3', 6: 'b5' },
  aug: { 0: '1', 4: '3', 8: '#5' },
  sus2: { 0: '1', 2: '2', 7: '5' },
  sus4: { 0: '1', 5: '4', 7: '5' },
  hdim7: { 0: '1', 3: 'b3', 6: 'b5', 10: 'b7' },
  dim7: { 0: '1', 3: 'b3', 6: 'b5', 9: 'bb7' },
};

/** Fallback degree names for a bass outside the chord (slash chords). */
const GENERIC_DEGREES = ['1', 'b2', '2', 'b3', '3', '4', 'b5', '5', 'b6', '6', 'b7', '7'];

export interface ChordState {
  root: PitchClass;
  quality: ChordQuality;
  /** Absolute pitch classes, root first. */
  pitchClasses: number[];
}

/** All chord states, index = root × QUALITIES.length + quality index; the N state comes after them. */
export const CHORD_STATES: readonly ChordState[] = Array.from({ length: 12 * QUALITIES.length }, (_, i) => {
  const root = Math.floor(i / QUALITIES.length);
  const quality = QUALITIES[i % QUALITIES.length]!;
  return { root, quality, pitchClasses: QUALITY_INTERVALS[quality].map((iv) => (root + iv) % 12) };
});
export const N_STATE = CHORD_STATES.length;
export const STATE_COUNT = CHORD_STATES.length + 1;

export function stateIndex(root: PitchClass, quality: ChordQuality): number {
  return (((root % 12) + 12) % 12) * QUALITIES.length + QUALITIES.indexOf(quality);
}

/** Harte degree of `bass` above `root` for a quality: '3', 'b3', '5', 'b7', '7', 'bb7' … */
export function bassDegree(root: PitchClass, quality: ChordQuality, bass: PitchClass): string {
  const iv = (((bass - root) % 12) + 12) % 12;
  return DEGREE_NAMES[quality][iv] ?? GENERIC_DEGREES[iv]!;
}

/**
 * Harte label: 'N', 'A:min7', 'G:7/3', 'E:maj/3'. The root is spelled for the key when one is given
 * ('Ab:maj' for ♭VI in C major), else with sharps.
 */
export function harteLabel(root: PitchClass | null, quality: ChordQuality | 'N', bass: PitchClass | null, key?: Key): string {
  if (root === null || quality === 'N') return 'N';
  const name = spellPitchClass(root, key ?? { tonic: 0, mode: 'major' });
  const inversion = bass !== null && bass !== root ? `/${bassDegree(root, quality, bass)}` : '';
  return `${name}:${quality}${inversion}`;
}

const MAJOR_SCALE = [0, 2, 4, 5, 7, 9, 11];
/** Natural minor plus the raised seventh (harmonic minor's V and vii°). */
const MINOR_SCALE = [0, 2, 3, 5, 7, 8, 10, 11];

/** Pitch classes of a key's scale (for minor: natural minor + leading tone). */
export function scaleOf(key: Key): Set<number> {
  return new Set((key.mode === 'major' ? MAJOR_SCALE : MINOR_SCALE).map((d) => (key.tonic + d) % 12));
}

/** How many of a chord's tones lie outside the key's scale (0 = diatonic). */
export function outOfKeyTones(pitchClasses: readonly number[], scale: Set<number>): number {
  let n = 0;
  for (const pc of pitchClasses) if (!scale.has(pc)) n++;
  return n;
}
