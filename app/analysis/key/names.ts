// Key naming helpers: the 24 keys as indices, readable names, the Camelot wheel and key-aware
// spelling of pitch classes (so a ♭VI in C major reads 'Ab', not 'G#').
import type { Key, Mode, PitchClass } from '../types.ts';

/** The 24 keys: index 0..11 = C..B major, 12..23 = C..B minor. */
export const KEY_COUNT = 24;

export function keyIndex(key: Key): number {
  return (key.mode === 'major' ? 0 : 12) + mod12(key.tonic);
}

export function keyFromIndex(index: number): Key {
  return { tonic: index % 12, mode: index < 12 ? 'major' : 'minor' };
}

export function sameKey(a: Key, b: Key): boolean {
  return mod12(a.tonic) === mod12(b.tonic) && a.mode === b.mode;
}

/** The relative key: C major ↔ A minor. */
export function relativeKey(key: Key): Key {
  return key.mode === 'major' ? { tonic: mod12(key.tonic + 9), mode: 'minor' } : { tonic: mod12(key.tonic + 3), mode: 'major' };
}

/** The parallel key: C major ↔ C minor. */
export function parallelKey(key: Key): Key {
  return { tonic: mod12(key.tonic), mode: key.mode === 'major' ? 'minor' : 'major' };
}

const SHARP_NAMES = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'];
const FLAT_NAMES = ['C', 'Db', 'D', 'Eb', 'E', 'F', 'Gb', 'G', 'Ab', 'A', 'Bb', 'B'];
/** Tonics whose usual key signature has flats (F Bb Eb Ab Db Gb major; D G C F Bb Eb minor). */
const FLAT_MAJOR_TONICS = new Set([5, 10, 3, 8, 1, 6]);
const FLAT_MINOR_TONICS = new Set([2, 7, 0, 5, 10, 3]);

function mod12(n: number): number {
  return ((n % 12) + 12) % 12;
}

/** True when the key is written with flats. */
export function keyUsesFlats(key: Key): boolean {
  return (key.mode === 'major' ? FLAT_MAJOR_TONICS : FLAT_MINOR_TONICS).has(mod12(key.tonic));
}

/** Pitch class → name with sharps or flats. */
export function pitchClassName(pc: PitchClass, flats = false): string {
  return (flats ? FLAT_NAMES : SHARP_NAMES)[mod12(pc)]!;
}

/** Readable key name, spelled the usual way: 'A minor', 'Bb major', 'F# minor'. */
export function keyName(key: Key): string {
  return `${pitchClassName(key.tonic, keyUsesFlats(key))} ${key.mode}`;
}

/**
 * Camelot wheel code: C major 8B, A minor 8A, G major 9B, E minor 9A … (one step round the wheel is
 * one fifth; relative keys share the number).
 */
export function camelot(key: Key): string {
  const majorTonic = key.mode === 'major' ? key.tonic : key.tonic + 3;
  const fifths = mod12(7 * majorTonic); // C 0, G 1, D 2 …
  return `${((fifths + 7) % 12) + 1}${key.mode === 'major' ? 'B' : 'A'}`;
}

const MAJOR_DIATONIC = new Set([0, 2, 4, 5, 7, 9, 11]);
const MINOR_DIATONIC = new Set([0, 2, 3, 5, 7, 8, 10, 11]); // natural minor + leading tone

/**
 * Spells a pitch class in a key: diatonic notes follow the key signature; chromatic ones follow
 * their usual function (♭II, ♭III, ♭VI, ♭VII with flats in major; ♯IV, and in minor the major III/VI
 * of the parallel major, with sharps).
 */
export function spellPitchClass(pc: PitchClass, key: Key): string {
  const p = mod12(pc);
  if (SHARP_NAMES[p] === FLAT_NAMES[p]) return SHARP_NAMES[p]!;
  const degree = mod12(p - key.tonic);
  const diatonic = (key.mode === 'major' ? MAJOR_DIATONIC : MINOR_DIATONIC).has(degree);
  if (diatonic) return pitchClassName(p, keyUsesFlats(key));
  const flats = key.mode === 'major' ? degree !== 6 : degree === 1;
  return pitchClassName(p, flats);
}

/** Parses 'A minor', 'Bb major', 'F#m', 'C' (major) → Key; throws on anything else. */
export function parseKeyName(name: string): Key {
  const m = /^([A-G])([#b♯♭]?)\s*(major|minor|maj|min|m)?$/i.exec(name.trim());
  if (!m) throw new Error(`not a key name: '${name}'`);
  const letters: Record<string, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };
  const acc = m[2] === '#' || m[2] === '♯' ? 1 : m[2] === 'b' || m[2] === '♭' ? -1 : 0;
  const modeWord = (m[3] ?? 'major').toLowerCase();
  const mode: Mode = modeWord === 'major' || modeWord === 'maj' ? 'major' : 'minor';
  return { tonic: mod12(letters[m[1]!.toUpperCase()]! + acc), mode };
}
