// A transcription as a Standard MIDI File (one track, piano), written with @tonejs/midi.
import ToneMidi from '@tonejs/midi';
import type { TranscribedNote } from './types.ts';

const { Midi } = ToneMidi;

/** MIDI file bytes of the notes; `bpm` sets the file's tempo (times stay in seconds either way). */
export function notesToMidi(notes: readonly TranscribedNote[], opts: { bpm?: number; name?: string } = {}): Uint8Array {
  const midi = new Midi();
  if (opts.bpm && Number.isFinite(opts.bpm) && opts.bpm > 0) midi.header.setTempo(opts.bpm);
  if (opts.name) midi.header.name = opts.name;
  const track = midi.addTrack();
  track.name = 'Basic Pitch transcription';
  for (const n of notes) {
    track.addNote({ midi: n.pitch, time: n.start, duration: Math.max(0.001, n.end - n.start), velocity: Math.min(1, Math.max(0, n.velocity)) });
  }
  return midi.toArray();
}

/** Reads notes back from MIDI bytes (all tracks). */
export function midiToNotes(bytes: Uint8Array): TranscribedNote[] {
  const midi = new Midi(bytes);
  return midi.tracks
    .flatMap((t) => t.notes.map((n) => ({ start: n.time, end: n.time + n.duration, pitch: n.midi, velocity: n.velocity })))
    .sort((a, b) => a.start - b.start || a.pitch - b.pitch);
}
