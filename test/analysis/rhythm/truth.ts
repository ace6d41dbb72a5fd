// Ground-truth beats and downbeats of the demo songs, from their specs.
import { beatsPerBar, secondsPerBar, songBars } from '../../../app/demo/songs.ts';
import type { SongSpec } from '../../../app/demo/songs.ts';

/** Every counted beat (dotted quarters in 6/8), from 0 s. */
export function truthBeats(spec: SongSpec): number[] {
  const n = songBars(spec) * beatsPerBar(spec.meter);
  return Array.from({ length: n }, (_, i) => (i * 60) / spec.tempo);
}

/** The first beat of every bar. */
export function truthDownbeats(spec: SongSpec): number[] {
  return Array.from({ length: songBars(spec) }, (_, i) => i * secondsPerBar(spec));
}
