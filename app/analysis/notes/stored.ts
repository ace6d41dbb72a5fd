// A track's stored transcription (the queue's 'notes' result) and its MIDI file.
import type { Store } from '../../store/index.ts';
import type { RhythmResult } from '../types.ts';
import { notesToMidi } from './midi.ts';
import type { NotesResult } from './types.ts';
import { NOTES_ANALYSER_VERSION } from './version.ts';

/** The track's stored notes at the current notes version; undefined when none (or only an error) is stored. */
export function storedNotes(store: Store, trackId: number): NotesResult | undefined {
  const row = store.analyses.forTrack(trackId).find((r) => r.analyser === 'notes');
  return row && row.version === NOTES_ANALYSER_VERSION && row.result ? (row.result as NotesResult) : undefined;
}

/** MIDI file bytes of the track's stored notes (tempo from its stored rhythm), or undefined without them. */
export function storedNotesMidi(store: Store, trackId: number, name?: string): Uint8Array | undefined {
  const notes = storedNotes(store, trackId);
  if (!notes) return undefined;
  const rhythm = store.analyses.forTrack(trackId).find((r) => r.analyser === 'rhythm')?.result as RhythmResult | null | undefined;
  return notesToMidi(notes.notes, { bpm: rhythm?.bpm, name });
}
