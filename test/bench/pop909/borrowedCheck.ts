/**
 * Can a song's annotated modal interchange be heard? An automatic check of the POP909-CL annotation
 * against its own score (never against our output).
 *
 * A borrowed chord differs from the diatonic chord it replaces by a tone from outside the key's scale
 * (♭3, ♭6 or ♭7 in major; the raised 6th or 3rd in minor): ♭VI in C major is A♭–C–E♭. The set labels
 * chords from the score, and a chord label holds even where the arrangement only implies it; a "major IV"
 * in minor played as root and fifth (122: "E♭" in B♭ minor is E♭, B♭ and a G♭, never a G) sounds like
 * the diatonic iv. Rule: a borrowed chord (the sandbox's Roman numeral flagged `modal_interchange`) is
 * audible when a note of one of its tones outside its local key's scale (major, or natural minor)
 * sounds for at least a tenth of the chord; a song's annotated modal interchange is audible when one of
 * its borrowed chords is. An audio analyser cannot hear the others: the accuracy bench gives modal
 * interchange recall without them too.
 */
import type { Key } from '../../../app/analysis/types.ts';
import { encodeChord } from '../mireval/chord.ts';
import type { RomanNumeral, SongTruth } from './groundTruth.ts';
import type { ScoreNote } from './keyEvidence.ts';

/** Share of a borrowed chord's length its out-of-scale tone must sound for. */
export const AUDIBLE_SHARE = 0.1;

const MAJOR = [0, 2, 4, 5, 7, 9, 11];
const NATURAL_MINOR = [0, 2, 3, 5, 7, 8, 10];

export interface BorrowedCheck {
  /** Borrowed chords annotated, and how many of them sound a borrowed tone. */
  borrowed: number;
  audible: number;
  /** False where the song has borrowed chords and none sounds (true without notes or borrowed chords). */
  agrees: boolean;
}

/** Pitch classes of a Harte label's tones (empty for N and X). */
export function chordPitchClasses(label: string): number[] {
  const c = encodeChord(label);
  if (c.root < 0) return [];
  const out: number[] = [];
  c.bitmap.forEach((v, i) => {
    if (v > 0) out.push((c.root + i) % 12);
  });
  return out;
}

/** The tones of a chord outside a key's scale (major, or natural minor). */
export function outOfScaleTones(label: string, key: Key): number[] {
  const scale = new Set((key.mode === 'major' ? MAJOR : NATURAL_MINOR).map((d) => (key.tonic + d) % 12));
  return chordPitchClasses(label).filter((pc) => !scale.has(pc));
}

/** Seconds for which notes of the given pitch classes sound within [start, end). */
export function soundingSeconds(notes: readonly ScoreNote[], pitchClasses: readonly number[], start: number, end: number): number {
  let s = 0;
  for (const n of notes) {
    if (!pitchClasses.includes(n.midi % 12)) continue;
    const overlap = Math.min(end, n.time + n.duration) - Math.max(start, n.time);
    if (overlap > 0) s += overlap;
  }
  return s;
}

function keyAt(truth: Pick<SongTruth, 'keySegments' | 'key'>, t: number): Key | null {
  for (const s of truth.keySegments) if (t >= s.start && t < s.end) return s.key;
  return truth.key.key;
}

/** Checks a song's annotated borrowed chords against its score (see the module comment). */
export function checkBorrowedChords(truth: Pick<SongTruth, 'keySegments' | 'key' | 'romans'>, notes: readonly ScoreNote[] | null): BorrowedCheck {
  const borrowed = truth.romans.filter((r: RomanNumeral) => r.flags.includes('modal_interchange'));
  if (!notes || notes.length === 0 || borrowed.length === 0) return { borrowed: borrowed.length, audible: 0, agrees: true };
  let audible = 0;
  for (const r of borrowed) {
    const key = keyAt(truth, r.time + r.duration / 2);
    if (!key || !(r.duration > 0)) continue;
    const tones = outOfScaleTones(r.label, key);
    if (tones.length && soundingSeconds(notes, tones, r.time, r.time + r.duration) >= AUDIBLE_SHARE * r.duration) audible++;
  }
  return { borrowed: borrowed.length, audible, agrees: audible > 0 };
}
