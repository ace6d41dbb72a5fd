// Builds ChordResult / KeyResult / RhythmResult by hand from chord symbols, for the theory tests.
import { parseChord, parsePitchClass } from '../../../app/demo/chords.ts';
import type { ChordQuality as DemoQuality } from '../../../app/demo/chords.ts';
import type {
  ChordQuality,
  ChordResult,
  ChordSegment,
  HarmonicDevice,
  Key,
  KeyResult,
  Meter,
  Mode,
  RhythmResult,
} from '../../../app/analysis/types.ts';

/** Demo-parser quality → Harte shorthand (sixths and add9 reduce to their triads). */
const HARTE: Record<DemoQuality, ChordQuality> = {
  major: 'maj',
  minor: 'min',
  diminished: 'dim',
  augmented: 'aug',
  sus2: 'sus2',
  sus4: 'sus4',
  dominant7: '7',
  major7: 'maj7',
  minor7: 'min7',
  'half-diminished7': 'hdim7',
  diminished7: 'dim7',
  major6: 'maj',
  minor6: 'min',
  add9: 'maj',
};

const NAMES = ['C', 'Db', 'D', 'Eb', 'E', 'F', 'Gb', 'G', 'Ab', 'A', 'Bb', 'B'];
const DEGREES = ['1', 'b2', '2', 'b3', '3', '4', 'b5', '5', 'b6', '6', 'b7', '7'];

/** One chord segment from a symbol ('D7', 'E/G#', 'N'). */
export function segmentOf(symbol: string, start: number, end: number, confidence = 0.9): ChordSegment {
  if (symbol === 'N') return { start, end, root: null, quality: 'N', bass: null, confidence, label: 'N' };
  const c = parseChord(symbol);
  const quality = HARTE[c.quality];
  const inv = (c.bass - c.root + 12) % 12;
  const label = `${NAMES[c.root]}:${quality}${c.bass === c.root ? '' : `/${DEGREES[inv]}`}`;
  return { start, end, root: c.root, quality, bass: c.bass, confidence, label };
}

/** 'C major', 'F# minor' → Key. */
export function keyOf(name: string): Key {
  const [tonic, mode] = name.split(' ');
  return { tonic: parsePitchClass(tonic!), mode: mode as Mode };
}

export interface Built {
  chords: ChordResult;
  key: KeyResult;
  rhythm: RhythmResult;
  barSec: number;
  /** 1-based bar holding time t. */
  barAt(t: number): number;
}

export interface ProgressionOptions {
  /** Key in force from bar 1, e.g. 'C major'. */
  key: string;
  /** Later key regions: [1-based first bar, key name]. */
  keys?: [number, string][];
  bpm?: number;
  beatsPerBar?: number;
  confidence?: number;
}

/**
 * A progression written as bars: 'C | Am | F G | C'. A bar's chords share it equally unless given beats,
 * as in 'F:3.5 Ab:0.5' (a chord lasting half a beat). 'N' is no chord.
 */
export function progression(text: string, opts: ProgressionOptions): Built {
  const bpm = opts.bpm ?? 120;
  const beatsPerBar = opts.beatsPerBar ?? 4;
  const beat = 60 / bpm;
  const barSec = beat * beatsPerBar;
  const bars = text.split('|').map((b) => b.trim().split(/\s+/).filter(Boolean));
  const chords: ChordSegment[] = [];
  bars.forEach((bar, bi) => {
    const parsed = bar.map((tok) => {
      const [sym, beats] = tok.split(':');
      return { sym: sym!, beats: beats === undefined ? null : Number(beats) };
    });
    const fixed = parsed.reduce((s, p) => s + (p.beats ?? 0), 0);
    const free = parsed.filter((p) => p.beats === null).length;
    let t = bi * barSec;
    for (const p of parsed) {
      const len = (p.beats ?? (beatsPerBar - fixed) / free) * beat;
      chords.push(segmentOf(p.sym, t, t + len, opts.confidence ?? 0.9));
      t += len;
    }
  });
  const end = bars.length * barSec;
  const regions: [number, string][] = [[1, opts.key], ...(opts.keys ?? [])];
  const segments = regions.map(([bar, name], i) => ({
    start: (bar - 1) * barSec,
    end: i + 1 < regions.length ? (regions[i + 1]![0] - 1) * barSec : end,
    key: keyOf(name),
    confidence: 0.8,
  }));
  return { chords: { chords }, key: { global: keyOf(opts.key), confidence: 0.8, segments }, rhythm: rhythmOf(bpm, beatsPerBar, end), barSec, barAt: (t) => Math.floor(t / barSec + 1e-6) + 1 };
}

/** A steady beat grid. */
export function rhythmOf(bpm: number, beatsPerBar: number, durationSec: number, meter?: Meter): RhythmResult {
  const beat = 60 / bpm;
  const beats: number[] = [];
  for (let i = 0; i * beat <= durationSec + 1e-9; i++) beats.push(i * beat);
  return {
    bpm,
    confidence: 0.9,
    tempoCurve: [],
    beats,
    downbeats: beats.filter((_, i) => i % beatsPerBar === 0),
    meter: meter ?? (beatsPerBar === 3 ? '3/4' : '4/4'),
    beatsPerBar,
    meterConfidence: 0.9,
  };
}

/**
 * Bars a device spans, as the demo specs count them: from the bar of its first chord to the bar where its
 * last distinct chord begins (a held arrival chord counts from its onset).
 */
export function deviceBars(d: HarmonicDevice, chords: ChordResult, barAt: (t: number) => number): [number, number] {
  const segs = d.chordIndices.map((i) => chords.chords[i]!);
  let lastOnset = segs[segs.length - 1]!.start;
  for (let k = segs.length - 1; k > 0 && segs[k - 1]!.label === segs[k]!.label && Math.abs(segs[k - 1]!.end - segs[k]!.start) < 1e-6; k--) lastOnset = segs[k - 1]!.start;
  return [barAt(segs[0]!.start), barAt(lastOnset)];
}

/** 'kind@first-last' for each device of the given kind (all kinds when omitted). */
export function summary(devices: HarmonicDevice[], built: Pick<Built, 'chords' | 'barAt'>, kind?: HarmonicDevice['kind']): string[] {
  return devices.filter((d) => !kind || d.kind === kind).map((d) => {
    const [a, b] = deviceBars(d, built.chords, built.barAt);
    return `${d.kind}@${a}-${b}`;
  });
}
