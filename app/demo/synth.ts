// Deterministic additive-synthesis renderer for demo songs: a harmonic pad on the chord tones, a bass
// on the chord's bass note, a seeded melody (chord tones plus diatonic passing tones, C5..B5, about
// 9 dB under a pad tone), a kick on the beats and seeded-noise hi-hats on the off-beats. The pad and
// melody use a per-song additive instrument (organ, piano, strings, pluck: see songs.ts). Choruses
// are louder and denser than verses so the form is audible; instrumental sections drop the melody, and
// a section's arrangement can switch drums or melody off. Tuned to A4 = 440 Hz.
import { parseChord } from './chords.ts';
import { beatsPerBar, chordTimeline, keyAtBar, pulsesPerBeat, songBars, songDurationSeconds, songTimbre } from './songs.ts';
import type { ChordEvent, SectionLabel, SongSpec, Timbre } from './songs.ts';

/** How densely a section is arranged. */
interface SectionStyle {
  /** Overall level of the pitched parts. */
  gain: number;
  /** Adds the chord tones an octave up (choruses). */
  octave: boolean;
  /** Bass hits: every beat, on the bar's strong beats, or once a bar (plus every chord change). */
  bass: 'beat' | 'half' | 'bar';
  kick: 'beats' | 'downbeats';
  hats: 'all' | 'offbeats' | 'none';
  /** Whether the melody (the stand-in for a singer) plays. */
  melody: boolean;
}

const STYLES: Record<SectionLabel, SectionStyle> = {
  intro: { gain: 0.5, octave: false, bass: 'bar', kick: 'downbeats', hats: 'none', melody: true },
  verse: { gain: 0.7, octave: false, bass: 'half', kick: 'beats', hats: 'offbeats', melody: true },
  'pre-chorus': { gain: 0.8, octave: false, bass: 'half', kick: 'beats', hats: 'offbeats', melody: true },
  chorus: { gain: 1, octave: true, bass: 'beat', kick: 'beats', hats: 'all', melody: true },
  bridge: { gain: 0.75, octave: false, bass: 'bar', kick: 'downbeats', hats: 'offbeats', melody: true },
  instrumental: { gain: 0.85, octave: true, bass: 'half', kick: 'beats', hats: 'all', melody: false },
  outro: { gain: 0.55, octave: false, bass: 'bar', kick: 'downbeats', hats: 'none', melody: true },
};

/** The style of one section: its label's, with the spec's arrangement overrides. */
function sectionStyle(spec: SongSpec, section: number): SectionStyle & { drums: boolean } {
  const s = spec.sections[section]!;
  const base = STYLES[s.label];
  return { ...base, melody: s.arrangement?.melody ?? base.melody, drums: s.arrangement?.drums ?? true };
}

const PAD_MIDI_BASE = 60; // chord tones sit in C4..B4
const BASS_MIDI_BASE = 36; // bass notes sit in C2..B2
const TABLE_SIZE = 4096;
const PEAK = 0.9;

/** Equal-temperament frequency of a MIDI note, A4 (69) = 440 Hz. */
export function midiToHz(midi: number): number {
  return 440 * 2 ** ((midi - 69) / 12);
}

/** One period of a sum of harmonics (additive wavetable), with a guard sample for interpolation. */
function harmonicTable(partials: readonly number[]): Float32Array {
  const t = new Float32Array(TABLE_SIZE + 1);
  for (let i = 0; i < TABLE_SIZE; i++) {
    let s = 0;
    partials.forEach((a, k) => (s += a * Math.sin((2 * Math.PI * (k + 1) * i) / TABLE_SIZE)));
    t[i] = s;
  }
  t[TABLE_SIZE] = t[0]!;
  return t;
}

const BASS_TABLE = harmonicTable([1, 0.35, 0.1]);

/**
 * An additive instrument: a harmonic recipe plus an envelope. The 3rd and 5th harmonics stay weak in
 * every recipe (they would add the chord's 7th or a major third to the pad's pitch-class profile).
 */
interface Instrument {
  table: Float32Array;
  /** Attack in milliseconds for the pad and for melody notes. */
  padAttackMs: number;
  melodyAttackMs: number;
  /** Exponential decay time constants in seconds (pad, melody). */
  padDecaySec: number;
  melodyDecaySec: number;
}

const INSTRUMENTS: Record<Timbre, Instrument> = {
  // Sustained drawbar-like harmonics: octave partials, no decay to speak of.
  organ: { table: harmonicTable([1, 0.45, 0.08, 0.3, 0.04, 0.08, 0, 0.15]), padAttackMs: 25, melodyAttackMs: 10, padDecaySec: 4, melodyDecaySec: 4 },
  // Bright attack, exponential decay.
  piano: { table: harmonicTable([1, 0.55, 0.1, 0.25, 0.05, 0.06]), padAttackMs: 5, melodyAttackMs: 4, padDecaySec: 1.4, melodyDecaySec: 0.45 },
  // Slow attack, flat vibrato-free sustain, mellow spectrum.
  strings: { table: harmonicTable([1, 0.35, 0.1, 0.15, 0.05, 0.04]), padAttackMs: 140, melodyAttackMs: 45, padDecaySec: 6, melodyDecaySec: 6 },
  // Plucked: fast decay, bright.
  pluck: { table: harmonicTable([1, 0.6, 0.1, 0.3, 0.05, 0.1]), padAttackMs: 3, melodyAttackMs: 2, padDecaySec: 0.7, melodyDecaySec: 0.16 },
};

const MELODY_MIDI_BASE = 72; // melody notes sit in C5..B5
/** Melody level relative to one pad tone: about −9 dB, so it never outweighs the chord. */
const MELODY_GAIN = 0.35;

/** Which parts to render (all by default); for tests and auditioning. */
export interface RenderParts {
  pad?: boolean;
  bass?: boolean;
  melody?: boolean;
  drums?: boolean;
}

/** mulberry32 seeded PRNG: uniform floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a 32-bit hash of a string (PRNG seed). */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

interface Note {
  start: number; // sample
  length: number; // samples
  freq: number;
  amp: number;
  attack: number; // samples
  release: number; // samples
  decay: number; // per-sample amplitude factor (exponential decay)
  panL: number;
  panR: number;
}

/** Adds a wavetable note with a linear attack/release fade and exponential decay (no clicks). */
function addNote(L: Float32Array, R: Float32Array, table: Float32Array, n: Note, sampleRate: number): void {
  const start = n.start;
  const length = Math.min(n.length, L.length - start);
  const attack = Math.min(n.attack, length);
  const releaseFrom = Math.max(attack, n.length - n.release);
  const inc = (n.freq * TABLE_SIZE) / sampleRate;
  const decay = n.decay;
  const invAttack = 1 / n.attack;
  const invRelease = 1 / n.release;
  const panL = n.panL;
  const panR = n.panR;
  const noteLength = n.length;
  let phase = 0;
  let level = n.amp;
  for (let t = 0; t < length; t++) {
    const fade = t < attack ? t * invAttack : t >= releaseFrom ? (noteLength - t) * invRelease : 1;
    const idx = phase | 0;
    const a = table[idx]!;
    const s = (a + (phase - idx) * (table[idx + 1]! - a)) * level * fade;
    L[start + t]! += s * panL;
    R[start + t]! += s * panR;
    level *= decay;
    phase += inc;
    if (phase >= TABLE_SIZE) phase -= TABLE_SIZE;
  }
}

/** Kick drum: a sine sweeping 120 → 45 Hz with an exponential decay. */
function addKick(L: Float32Array, R: Float32Array, start: number, amp: number, sampleRate: number): void {
  const length = Math.round(0.16 * sampleRate);
  const end = Math.min(L.length, start + length);
  let phase = 0;
  for (let i = start, t = 0; i < end; i++, t++) {
    const sec = t / sampleRate;
    const freq = 45 + 75 * Math.exp(-sec / 0.03);
    const fade = Math.min(1, t / (0.002 * sampleRate), (length - t) / (0.01 * sampleRate));
    const s = Math.sin(phase) * amp * Math.exp(-sec / 0.07) * fade;
    L[i]! += s;
    R[i]! += s;
    phase += (2 * Math.PI * freq) / sampleRate;
  }
}

/** Hi-hat: high-passed (first-difference) seeded noise with a fast decay. */
function addHat(L: Float32Array, R: Float32Array, start: number, amp: number, sampleRate: number, rand: () => number): void {
  const length = Math.round(0.035 * sampleRate);
  const end = Math.min(L.length, start + length);
  let prev = 0;
  for (let i = start, t = 0; i < end; i++, t++) {
    const x = rand() * 2 - 1;
    const fade = Math.min(1, t / (0.001 * sampleRate), (length - t) / (0.005 * sampleRate));
    const s = (x - prev) * 0.5 * amp * Math.exp(-t / (0.008 * sampleRate)) * fade;
    prev = x;
    L[i]! += s * 0.6;
    R[i]! += s;
  }
}

/** Renders a song spec to stereo samples in [-1, 1] (peak-normalised), deterministically. */
export function renderSong(spec: SongSpec, sampleRate: number, parts: RenderParts = {}): Float32Array[] {
  const play = { pad: true, bass: true, melody: true, drums: true, ...parts };
  const total = Math.round(songDurationSeconds(spec) * sampleRate);
  const L = new Float32Array(total);
  const R = new Float32Array(total);
  const at = (sec: number) => Math.min(total, Math.round(sec * sampleRate));
  const ms = (m: number) => Math.max(1, Math.round((m / 1000) * sampleRate));
  const rand = mulberry32(fnv1a(spec.id));
  const timeline = chordTimeline(spec);
  const beats = beatsPerBar(spec.meter);
  const pulses = pulsesPerBeat(spec.meter);
  const beatSec = 60 / spec.tempo;

  const timbre = songTimbre(spec);
  const padInst = INSTRUMENTS[timbre.pad];
  const padDecay = Math.exp(-1 / (padInst.padDecaySec * sampleRate));

  // Pad: every chord tone for the whole chord slot; choruses add the tones an octave up.
  if (play.pad) for (const ev of timeline) {
    const style = sectionStyle(spec, ev.section);
    const chord = parseChord(ev.symbol);
    const start = at(ev.startSec);
    const length = at(ev.endSec) - start;
    const amp = (0.16 * style.gain) / Math.sqrt(chord.pitchClasses.length / 3);
    for (const pc of chord.pitchClasses) {
      const note: Note = { start, length, freq: midiToHz(PAD_MIDI_BASE + pc), amp, attack: ms(padInst.padAttackMs), release: ms(40), decay: padDecay, panL: 1, panR: 0.85 };
      addNote(L, R, padInst.table, note, sampleRate);
      if (style.octave) addNote(L, R, padInst.table, { ...note, freq: note.freq * 2, amp: amp * 0.45, panL: 0.7, panR: 1 }, sampleRate);
    }
  }

  // Bass: hits on the section's beats and at every chord change, each lasting until the next hit.
  const bassHits: { sec: number; midi: number; gain: number }[] = [];
  for (const ev of timeline) {
    const style = sectionStyle(spec, ev.section);
    const bass = parseChord(ev.symbol).bass;
    const slotBeats = beats * ev.length;
    const firstBeat = ev.half * slotBeats;
    for (let b = 0; b < slotBeats; b++) {
      const beat = firstBeat + b;
      const strong = beat === 0 || (style.bass === 'half' && beats === 4 && beat === 2);
      if (b === 0 || style.bass === 'beat' || strong) {
        bassHits.push({ sec: ev.startSec + b * beatSec, midi: BASS_MIDI_BASE + bass, gain: style.gain });
      }
    }
  }
  if (play.bass) bassHits.forEach((hit, i) => {
    const start = at(hit.sec);
    const end = i + 1 < bassHits.length ? at(bassHits[i + 1]!.sec) : total;
    const length = end - start - ms(8);
    if (length <= 0) return;
    addNote(L, R, BASS_TABLE, { start, length, freq: midiToHz(hit.midi), amp: 0.3 * (0.6 + 0.4 * hit.gain), attack: ms(6), release: ms(25), decay: Math.exp(-1 / (1.2 * sampleRate)), panL: 1, panR: 1 }, sampleRate);
  });

  if (play.melody) addMelody(L, R, spec, timeline, INSTRUMENTS[timbre.melody], sampleRate);

  // Drums: kick on the beats (downbeats strongest), hats on the eighth-note pulses.
  const sectionOfBar = timeline.reduce<number[]>((acc, ev) => ((acc[ev.bar - 1] = ev.section), acc), []);
  if (play.drums) for (let bar = 0; bar < songBars(spec); bar++) {
    const style = sectionStyle(spec, sectionOfBar[bar]!);
    if (!style.drums) continue;
    for (let beat = 0; beat < beats; beat++) {
      const beatStart = (bar * beats + beat) * beatSec;
      if (beat === 0 || style.kick === 'beats') addKick(L, R, at(beatStart), (beat === 0 ? 0.55 : 0.33) * (0.5 + 0.5 * style.gain), sampleRate);
      for (let p = 0; p < pulses; p++) {
        const hat = p === 0 ? style.hats === 'all' : style.hats !== 'none';
        if (hat) addHat(L, R, at(beatStart + (p * beatSec) / pulses), p === 0 ? 0.12 : 0.18, sampleRate, rand);
      }
    }
  }

  // Peak-normalise both channels together.
  let peak = 0;
  for (let i = 0; i < total; i++) {
    const l = Math.abs(L[i]!);
    const r = Math.abs(R[i]!);
    if (l > peak) peak = l;
    if (r > peak) peak = r;
  }
  const scale = peak > 0 ? PEAK / peak : 1;
  for (let i = 0; i < total; i++) {
    L[i] = L[i]! * scale;
    R[i] = R[i]! * scale;
  }
  return [L, R];
}

/** Diatonic pitch classes of a key (natural minor plus its leading tone). */
function scaleOf(tonic: number, mode: 'major' | 'minor'): number[] {
  const steps = mode === 'major' ? [0, 2, 4, 5, 7, 9, 11] : [0, 2, 3, 5, 7, 8, 10, 11];
  return steps.map((s) => (tonic + s) % 12);
}

/**
 * Melody: a seeded line of quarter and eighth notes with rests, mostly chord tones of the chord in
 * force, with the odd diatonic passing tone (of the key in force) on a weak eighth, in C5..B5.
 */
function addMelody(L: Float32Array, R: Float32Array, spec: SongSpec, timeline: readonly ChordEvent[], inst: Instrument, sampleRate: number): void {
  const rand = mulberry32(fnv1a(`${spec.id}/melody`));
  const beats = beatsPerBar(spec.meter);
  const pulses = pulsesPerBeat(spec.meter);
  const beatSec = 60 / spec.tempo;
  const pulseSec = beatSec / pulses;
  const total = L.length;
  const at = (sec: number) => Math.min(total, Math.round(sec * sampleRate));
  const decay = Math.exp(-1 / (inst.melodyDecaySec * sampleRate));
  const attack = Math.max(1, Math.round((inst.melodyAttackMs / 1000) * sampleRate));
  const release = Math.max(1, Math.round(0.02 * sampleRate));
  let prev = -1; // previous melody MIDI note, -1 before the first
  let evIndex = 0;
  const bars = songBars(spec);
  for (let bar = 1; bar <= bars; bar++) {
    const scale = scaleOf(keyAtBar(spec, bar).tonic, keyAtBar(spec, bar).mode);
    for (let beat = 0; beat < beats; beat++) {
      const beatStart = ((bar - 1) * beats + beat) * beatSec;
      while (evIndex + 1 < timeline.length && timeline[evIndex + 1]!.startSec <= beatStart + 1e-9) evIndex++;
      const ev = timeline[evIndex]!;
      const style = sectionStyle(spec, ev.section);
      const gain = style.gain;
      const tones = parseChord(ev.symbol).pitchClasses;
      const r = rand();
      // Rhythm per beat: a rest, one note for the whole beat, or the beat's eighths.
      const onsets = r < 0.2 ? [] : r < 0.6 ? [0] : Array.from({ length: pulses }, (_, p) => p);
      onsets.forEach((p, i) => {
        const len = (i + 1 < onsets.length ? onsets[i + 1]! : pulses) - p;
        // Chord tone nearest-ish to the previous note; on a weak eighth, sometimes a diatonic step instead.
        let midi: number;
        const passing = p > 0 && prev >= 0 && rand() < 0.3;
        if (passing) {
          const dir = rand() < 0.5 ? -1 : 1;
          let m = prev + dir;
          while (!scale.includes(((m % 12) + 12) % 12)) m += dir;
          midi = m < MELODY_MIDI_BASE || m > MELODY_MIDI_BASE + 11 ? prev : m;
        } else {
          const pc = tones[Math.floor(rand() * tones.length)]!;
          midi = MELODY_MIDI_BASE + pc;
        }
        prev = midi;
        const start = at(beatStart + p * pulseSec);
        const length = at(beatStart + (p + len) * pulseSec) - start - Math.round(0.01 * sampleRate);
        if (length <= 0) return;
        const amp = 0.16 * gain * MELODY_GAIN;
        if (!style.melody) return; // the PRNG still advances, so later sections keep their notes
        addNote(L, R, inst.table, { start, length, freq: midiToHz(midi), amp, attack, release, decay, panL: 0.8, panR: 1 }, sampleRate);
      });
    }
  }
}
