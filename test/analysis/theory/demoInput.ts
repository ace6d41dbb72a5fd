// Turns a demo song spec into the analysers' results the theory analyser consumes: chords timed from
// tempo and meter, key regions from the key change, and a steady beat grid.
import { beatsPerBar, chordTimeline, secondsPerBar, songDurationSeconds } from '../../../app/demo/songs.ts';
import type { SongSpec } from '../../../app/demo/songs.ts';
import type { ChordResult, KeyResult, RhythmResult } from '../../../app/analysis/types.ts';
import { rhythmOf, segmentOf } from './helpers.ts';

export interface DemoInput {
  chords: ChordResult;
  key: KeyResult;
  rhythm: RhythmResult;
  barAt(t: number): number;
}

/** `merge`: one segment per run of the same chord (as a chord recogniser reports it), else one per slot. */
export function demoInput(spec: SongSpec, merge = true): DemoInput {
  const barSec = secondsPerBar(spec);
  const duration = songDurationSeconds(spec);
  const chords = [];
  for (const ev of chordTimeline(spec)) {
    const last = chords[chords.length - 1];
    if (merge && last && last.label === segmentOf(ev.symbol, 0, 0).label) last.end = ev.endSec;
    else chords.push(segmentOf(ev.symbol, ev.startSec, ev.endSec, 0.9));
  }
  const change = spec.keyChange;
  const changeSec = change ? (change.bar - 1) * barSec : duration;
  const segments = [{ start: 0, end: changeSec, key: spec.key, confidence: 0.85 }];
  if (change) segments.push({ start: changeSec, end: duration, key: change.key, confidence: 0.85 });
  const bpb = beatsPerBar(spec.meter);
  return {
    chords: { chords },
    key: { global: spec.key, confidence: 0.85, segments },
    rhythm: rhythmOf(spec.tempo, bpb, duration, spec.meter),
    barAt: (t) => Math.floor(t / barSec + 1e-6) + 1,
  };
}
