// Pitch-class arithmetic for harmony: chord tones of each recognised quality, scales of a key,
// triad classes and note/key names. Pure functions; pitch classes are 0..11 with 0 = C.
import type { ChordQuality, Key, PitchClass } from '../types.ts';
import { QUALITY_INTERVALS } from '../chords/vocabulary.ts';

/** Anything with a root, a quality and a bass (ChordSegment, or a merged run of them). */
export interface ChordLike {
  root: PitchClass | null;
  quality: ChordQuality | 'N';
  bass: PitchClass | null;
}

/** The sounding chord behind a ChordLike that is not 'N'. */
export interface SoundingChord {
  root: PitchClass;
  quality: ChordQuality;
  bass: PitchClass;
}

/** Triad family of a quality: what decides upper/lower case and which scale triad it can be. */
export type TriadClass = 'major' | 'minor' | 'diminished' | 'augmented' | 'suspended';

/** Semitones above the root, in stacking order (root, third, fifth, seventh): the chord vocabulary's table. */
export const QUALITY_TONES: Readonly<Record<ChordQuality, readonly number[]>> = QUALITY_INTERVALS;

export const MAJOR_SCALE: readonly number[] = [0, 2, 4, 5, 7, 9, 11];
export const NATURAL_MINOR_SCALE: readonly number[] = [0, 2, 3, 5, 7, 8, 10];

/** Wraps any integer into 0..11. */
export function pc(n: number): PitchClass {
  return ((n % 12) + 12) % 12;
}

/** Semitones from the key's tonic up to `p` (0..11). */
export function intervalFromTonic(key: Key, p: PitchClass): number {
  return pc(p - key.tonic);
}

/** The chord as a sounding chord, or null for 'N' (or a malformed segment without a root). */
export function sounding(c: ChordLike): SoundingChord | null {
  if (c.quality === 'N' || c.root === null) return null;
  return { root: pc(c.root), quality: c.quality, bass: pc(c.bass ?? c.root) };
}

/** Pitch classes of a chord, root first. */
export function chordTones(c: SoundingChord): PitchClass[] {
  return QUALITY_TONES[c.quality].map((i) => pc(c.root + i));
}

export function triadClass(q: ChordQuality): TriadClass {
  switch (q) {
    case 'maj':
    case '7':
    case 'maj7':
      return 'major';
    case 'min':
    case 'min7':
      return 'minor';
    case 'dim':
    case 'hdim7':
    case 'dim7':
      return 'diminished';
    case 'aug':
      return 'augmented';
    case 'sus2':
    case 'sus4':
      return 'suspended';
  }
}

export function isSeventhChord(q: ChordQuality): boolean {
  return QUALITY_TONES[q].length === 4;
}

/** Major triad or dominant seventh: the shapes that can act as a (secondary) dominant. */
export function isDominantShape(q: ChordQuality): boolean {
  return q === 'maj' || q === '7';
}

/** A plain major or minor triad, with or without its diatonic seventh (not a dominant seventh). */
export function isStableTriad(q: ChordQuality): boolean {
  return q === 'maj' || q === 'maj7' || q === 'min' || q === 'min7';
}

/** The key's reference scale: major, or natural minor. */
export function scaleOf(key: Key): PitchClass[] {
  const steps = key.mode === 'major' ? MAJOR_SCALE : NATURAL_MINOR_SCALE;
  return steps.map((s) => pc(key.tonic + s));
}

/** Same tonic, other mode. */
export function parallelKey(key: Key): Key {
  return { tonic: key.tonic, mode: key.mode === 'major' ? 'minor' : 'major' };
}

export function sameKey(a: Key, b: Key): boolean {
  return a.tonic === b.tonic && a.mode === b.mode;
}

const SHARP_NAMES = ['C', 'C♯', 'D', 'D♯', 'E', 'F', 'F♯', 'G', 'G♯', 'A', 'A♯', 'B'];
const FLAT_NAMES = ['C', 'D♭', 'D', 'E♭', 'E', 'F', 'G♭', 'G', 'A♭', 'A', 'B♭', 'B'];
const FLAT_MAJOR_TONICS = new Set([5, 10, 3, 8, 1, 6]); // F B♭ E♭ A♭ D♭ G♭
const FLAT_MINOR_TONICS = new Set([2, 7, 0, 5, 10, 3]); // D G C F B♭ E♭

export function noteName(p: PitchClass, flats: boolean): string {
  return (flats ? FLAT_NAMES : SHARP_NAMES)[pc(p)]!;
}

/** Whether a key is written with flats (its signature), e.g. F major, D minor. */
export function keyUsesFlats(key: Key): boolean {
  return (key.mode === 'major' ? FLAT_MAJOR_TONICS : FLAT_MINOR_TONICS).has(key.tonic);
}

/** The tonic spelled as in the key signature: 'B♭', 'F♯'. */
export function tonicName(key: Key): string {
  return noteName(key.tonic, keyUsesFlats(key));
}

/** 'E minor', 'B♭ major'. */
export function keyName(key: Key): string {
  return `${tonicName(key)} ${key.mode}`;
}

const LETTERS = ['C', 'D', 'E', 'F', 'G', 'A', 'B'];
const LETTER_PCS = [0, 2, 4, 5, 7, 9, 11];

/** Letter index (0 = C … 6 = B) of the degree `degree` (1..7) counted from the key's tonic letter. */
export function degreeLetter(key: Key, degree: number): number {
  return (LETTERS.indexOf(tonicName(key)[0]!) + degree - 1) % 7;
}

/**
 * Spells pitch class `p` on letter `letter` (0 = C … 6 = B): letter 5 (A) at pitch class 8 is 'A♭'.
 * Falls back to the flat or sharp spelling when that would need a double accidental.
 */
export function spellOnLetter(letter: number, p: PitchClass, flats: boolean): string {
  const l = ((letter % 7) + 7) % 7;
  let diff = pc(p - LETTER_PCS[l]!);
  if (diff > 6) diff -= 12;
  if (diff === 0) return LETTERS[l]!;
  if (diff === 1) return `${LETTERS[l]}♯`;
  if (diff === -1) return `${LETTERS[l]}♭`;
  return noteName(p, flats);
}

/** Spells the note of scale degree `degree` of the key sounding `p`: degree 6 of C at 8 is 'A♭'. */
export function spellDegree(key: Key, degree: number, p: PitchClass): string {
  return spellOnLetter(degreeLetter(key, degree), p, keyUsesFlats(key));
}

/** Short chord-symbol suffix of a quality: '' 'm' '7' 'maj7' 'm7' 'dim' 'aug' 'sus2' 'sus4' 'm7♭5' 'dim7'. */
export function qualitySuffix(q: ChordQuality): string {
  const map: Record<ChordQuality, string> = {
    maj: '',
    min: 'm',
    '7': '7',
    maj7: 'maj7',
    min7: 'm7',
    dim: 'dim',
    aug: 'aug',
    sus2: 'sus2',
    sus4: 'sus4',
    hdim7: 'm7♭5',
    dim7: 'dim7',
  };
  return map[q];
}
