// Pedal points from the transcribed bass line: one bass pitch class sustained or repeated, beat after
// beat, while the chords above it change (the textbook definition, e.g. Aldwell & Schachter, Harmony and
// Voice Leading, ch. 27). The theory analyser's rule (theory/devices.ts, pedalPointDevices) reads the
// chords' bass, which the notes set only where the bass is a chord tone (notes/harmony.ts); a pedal is
// often not one (the tonic under V), so here the notes' own bass line is the evidence.
import type { ChordSegment, HarmonicDevice, Key, RomanChord } from '../types.ts';
import { intervalFromTonic, keyName, spellDegree } from '../theory/pitch.ts';
import { degreeOf } from '../theory/roman.ts';
import type { BassBeat } from './types.ts';
import { pitchName } from './derived.ts';

const mod12 = (x: number) => ((x % 12) + 12) % 12;

export interface NotesPedalOptions {
  /** Shortest pedal, in beats (default 8: two bars of 4/4). */
  minBeats: number;
  /** Beats of silence in the bass a pedal may span (a repeated note's rests; default 1 in a row). */
  maxRestBeats: number;
  /** Distinct chord roots above the pedal (default 3, as the chord-based rule)… */
  minRoots: number;
  /** …each sounding at least this many beats over it (default 1: on 12 POP909 songs, half a beat let
   *  misheard passing chords make 5 pedals the reference chords do not; 1 beat made none). */
  chordBeats: number;
}

export const DEFAULT_NOTES_PEDAL: NotesPedalOptions = { minBeats: 8, maxRestBeats: 1, minRoots: 3, chordBeats: 1 };

export interface NotesPedal {
  start: number;
  end: number;
  pitchClass: number;
  /** The lowest pitch the pedal was heard on ('C2'). */
  lowestName: string;
  /** Beats on the pedal note, and beats spanned (with the rests inside the run). */
  beats: number;
  spanBeats: number;
  /** Indices of the chords above it (sounding at least half a beat inside it). */
  chordIndices: number[];
}

/**
 * Runs of beats whose bass note has one pitch class (any octave; up to `maxRestBeats` silent beats in
 * a row inside the run), at least `minBeats` long, under at least `minRoots` different chord roots
 * (chords sounding at least `chordBeats` beats over the run).
 * Any other bass pitch class ends a run, so a moving (walking) bass never makes one.
 */
export function notesPedalPoints(bassLine: readonly BassBeat[], chords: readonly ChordSegment[], options: Partial<NotesPedalOptions> = {}): NotesPedal[] {
  const opts = { ...DEFAULT_NOTES_PEDAL, ...options };
  const out: NotesPedal[] = [];
  let i = 0;
  while (i < bassLine.length) {
    const first = bassLine[i]!;
    if (first.pitch === null) {
      i++;
      continue;
    }
    const pcl = mod12(first.pitch);
    let last = i; // last beat on the pedal
    let lowest = first.pitch;
    let beats = 1;
    let rests = 0;
    let j = i + 1;
    for (; j < bassLine.length; j++) {
      const p = bassLine[j]!.pitch;
      if (p === null) {
        if (++rests > opts.maxRestBeats) break;
        continue;
      }
      if (mod12(p) !== pcl) break;
      rests = 0;
      last = j;
      beats++;
      lowest = Math.min(lowest, p);
    }
    if (beats >= opts.minBeats) {
      const start = first.start;
      const end = bassLine[last]!.end;
      const need = (opts.chordBeats * (end - start)) / (last - i + 1);
      const chordIndices = chords.flatMap((c, k) => (c.root !== null && c.quality !== 'N' && Math.min(end, c.end) - Math.max(start, c.start) >= need - 1e-9 ? [k] : []));
      const roots = new Set(chordIndices.map((k) => chords[k]!.root));
      if (roots.size >= opts.minRoots) out.push({ start, end, pitchClass: pcl, lowestName: pitchName(lowest), beats, spanBeats: last - i + 1, chordIndices });
    }
    i = last + 1;
  }
  return out;
}

/**
 * The pedals as 'pedal-point' devices ('Tonic pedal on C under I–IV–V–I (transcribed bass, C2)'),
 * numerals from the theory's Roman numerals of those chords, confidence the chords' mean confidence
 * times the share of the run's beats on the pedal note.
 */
export function pedalDevices(pedals: readonly NotesPedal[], chords: readonly ChordSegment[], romans: readonly RomanChord[], fallbackKey: Key): HarmonicDevice[] {
  return pedals.map((p) => {
    const byIndex = new Map(romans.map((r) => [r.chordIndex, r]));
    const key = byIndex.get(p.chordIndices[0]!)?.key ?? fallbackKey;
    const i = intervalFromTonic(key, p.pitchClass);
    const name = spellDegree(key, degreeOf(i, key.mode, 'major').degree, p.pitchClass);
    const kind = i === 0 ? 'Tonic pedal' : i === 7 ? 'Dominant pedal' : 'Pedal';
    const numerals = p.chordIndices.map((k) => byIndex.get(k)?.numeral ?? chords[k]!.label).filter((n, k, all) => k === 0 || n !== all[k - 1]).join('–');
    const meanConf = p.chordIndices.reduce((s, k) => s + chords[k]!.confidence, 0) / p.chordIndices.length;
    return {
      kind: 'pedal-point',
      label: `${kind} on ${name} under ${numerals} (transcribed bass, ${p.lowestName})`,
      start: p.start,
      end: p.end,
      chordIndices: p.chordIndices,
      confidence: Math.round(meanConf * (p.beats / p.spanBeats) * 1000) / 1000,
      detail: { bass: name, numerals, key: keyName(key), from: 'notes', beats: p.beats },
    };
  });
}
