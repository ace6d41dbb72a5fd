// The notes of a POP909 score (its MIDI file), for the checks of the annotation against the score.
import { readFileSync } from 'node:fs';
import ToneMidi from '@tonejs/midi';
import type { ScoreNote } from './keyEvidence.ts';

/** Every note of every track of a MIDI file, in seconds (the file's tempo map). */
export function readScoreNotes(file: string): ScoreNote[] {
  const midi = new ToneMidi.Midi(readFileSync(file));
  return midi.tracks.flatMap((t) => t.notes.map((n) => ({ midi: n.midi, time: n.time, duration: n.duration })));
}
