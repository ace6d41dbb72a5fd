// What note transcription (Basic Pitch) reports for a track. Times in seconds, pitches as MIDI numbers.

export interface TranscribedNote {
  start: number;
  end: number;
  /** MIDI note number (21 = A0 … 108 = C8). */
  pitch: number;
  /** Mean frame activation over the note, 0..1 (Basic Pitch's amplitude; used as MIDI velocity). */
  velocity: number;
}

/** The lowest note sounding in one beat (null: nothing sounds there). */
export interface BassBeat {
  start: number;
  end: number;
  pitch: number | null;
}

export interface MelodyRange {
  /** Lowest and highest MIDI pitch of the top line (the highest note sounding at each moment). */
  lowest: number;
  highest: number;
  lowestName: string;
  highestName: string;
  semitones: number;
  /** Where the top line mostly lies: the middle 80 % of its sounding time (time-weighted 10th–90th percentile pitches). */
  tessitura: { low: number; high: number; lowName: string; highName: string };
}

export interface NotesResult {
  model: { name: string; version: string; provider: string };
  notes: TranscribedNote[];
  /** One entry per beat (per 0.5 s when no beats are known; see `bassGrid`). */
  bassLine: BassBeat[];
  bassGrid: 'beats' | 'fixed-0.5s';
  melodyRange: MelodyRange | null;
  durationSec: number;
}
