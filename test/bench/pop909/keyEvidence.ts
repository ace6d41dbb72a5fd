/**
 * What a POP909 score itself says about its tonic, from its MIDI notes alone (never from our output):
 * which of two tonics (the annotated key's and its relative's, which share its scale) its melody ends its
 * phrases on, and which its last bass note is. Cadences end on the tonic: in the songs we key like the
 * annotation, the melody's phrase endings favour the annotated tonic over its relative's four times in
 * five (keyEvidence.bench.ts prints the rates). The annotation's mode is doubtful where both favour the
 * relative's tonic (checkAnnotatedTonic; the accuracy bench gives the key score without those songs too).
 *
 * The melody is the score's skyline (a note with no higher note starting within ±60 ms, from middle C
 * up; POP909's MIDI here is one piano track, the melody on top); a phrase ends on a melody note followed
 * by a rest of half a second or more, or held for a second or more.
 */

import { relativeKey } from '../../../app/analysis/key/names.ts';
import type { Key } from '../../../app/analysis/types.ts';

export interface ScoreNote {
  /** MIDI note number. */
  midi: number;
  time: number;
  duration: number;
}

export const SKYLINE_WINDOW_SEC = 0.06;
export const MELODY_LOWEST_MIDI = 60;
export const PHRASE_REST_SEC = 0.5;
export const PHRASE_HOLD_SEC = 1;
/** Bass notes: below G3. */
export const BASS_BELOW_MIDI = 55;

/** The top voice: notes with no higher note starting within ±SKYLINE_WINDOW_SEC, from MELODY_LOWEST_MIDI up, in time order. */
export function melodySkyline(notes: readonly ScoreNote[]): ScoreNote[] {
  const sorted = [...notes].sort((a, b) => a.time - b.time || b.midi - a.midi);
  return sorted.filter((n, i) => {
    if (n.midi < MELODY_LOWEST_MIDI) return false;
    for (let j = i - 1; j >= 0 && sorted[j]!.time > n.time - SKYLINE_WINDOW_SEC; j--) if (sorted[j]!.midi > n.midi) return false;
    for (let j = i + 1; j < sorted.length && sorted[j]!.time < n.time + SKYLINE_WINDOW_SEC; j++) if (sorted[j]!.midi > n.midi) return false;
    return true;
  });
}

/** Per pitch class, how many melody notes end a phrase (a rest of PHRASE_REST_SEC after, or held PHRASE_HOLD_SEC; the last note always). */
export function phraseEndings(melody: readonly ScoreNote[]): number[] {
  const out = new Array<number>(12).fill(0);
  melody.forEach((n, i) => {
    const next = melody[i + 1];
    const rest = next ? next.time - (n.time + n.duration) : Infinity;
    if (rest >= PHRASE_REST_SEC || n.duration >= PHRASE_HOLD_SEC) out[n.midi % 12]!++;
  });
  return out;
}

/** Pitch class of the last note to start below BASS_BELOW_MIDI (null without one). */
export function lastBassPitchClass(notes: readonly ScoreNote[]): number | null {
  let last: ScoreNote | null = null;
  for (const n of notes) if (n.midi < BASS_BELOW_MIDI && (!last || n.time >= last.time)) last = n;
  return last ? last.midi % 12 : null;
}

export type Side = 'tonic' | 'rival' | 'neither';

export interface TonicEvidence {
  phraseEnds: Side;
  lastBass: Side;
}

/** Which of two pitch classes, a tonic and its rival, the score's phrase endings and its last bass note favour. */
export function tonicEvidence(notes: readonly ScoreNote[], tonic: number, rival: number): TonicEvidence {
  const ends = phraseEndings(melodySkyline(notes));
  const t = ends[tonic]!;
  const r = ends[rival]!;
  const bass = lastBassPitchClass(notes);
  return {
    phraseEnds: t > r ? 'tonic' : r > t ? 'rival' : 'neither',
    lastBass: bass === tonic ? 'tonic' : bass === rival ? 'rival' : 'neither',
  };
}

export interface TonicCheck extends TonicEvidence {
  /** False where both the phrase endings and the last bass note favour the relative key's tonic (true without notes). */
  agrees: boolean;
}

/** Does the score support the annotated key's tonic over its relative's (see the module comment)? */
export function checkAnnotatedTonic(notes: readonly ScoreNote[] | null, key: Key | null): TonicCheck {
  if (!notes || notes.length === 0 || !key) return { phraseEnds: 'neither', lastBass: 'neither', agrees: true };
  const e = tonicEvidence(notes, key.tonic, relativeKey(key).tonic);
  return { ...e, agrees: !(e.phraseEnds === 'rival' && e.lastBass === 'rival') };
}
