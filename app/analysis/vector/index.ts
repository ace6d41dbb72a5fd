// The similarity vector of a track (issue 4, item 6): a fixed-length, documented audio-feature vector for
// nearest-neighbour search (sqlite-vec). Each dimension is a measured feature mapped by a fixed centre and
// scale to roughly −2…2 and multiplied by its group's weight; the whole vector is then L2-normalised, so
// the store's distance ranks like cosine similarity. Nothing in it depends on the playback level: MFCC 0
// (overall level) and absolute loudness are left out, and every other feature is level-independent up to
// the silence gates. Key-dependent features are made key-invariant by taking chord roots relative to the
// global tonic.
import type { ChordResult, KeyResult, RhythmResult, SoundResult } from '../types.ts';

/** Bump when a dimension's meaning, centre, scale or weight changes (stored vectors must then be re-made). */
export const VECTOR_VERSION = 1;

export interface VectorInput {
  sound: SoundResult;
  rhythm: RhythmResult;
  key: KeyResult;
  chords: ChordResult;
}

interface Dimension {
  name: string;
  /** The raw feature. */
  value: (a: VectorInput, h: Harmony) => number;
  centre: number;
  scale: number;
  weight: number;
}

/** Duration-weighted chord statistics relative to the global key (key-invariant). */
interface Harmony {
  /** Share of chord time per root, in semitones above the global tonic (12, summing to 1 or all 0). */
  roots: number[];
  /** Share of chord time per quality family: major (maj, maj7), minor (min, min7), dominant (7), other. */
  families: number[];
}

const FAMILY: Record<string, number> = { maj: 0, maj7: 0, min: 1, min7: 1, '7': 2 };

function harmony(a: VectorInput): Harmony {
  const roots = new Array<number>(12).fill(0);
  const families = new Array<number>(4).fill(0);
  let total = 0;
  const tonic = a.key.global.tonic;
  for (const c of a.chords.chords) {
    if (c.root === null || c.quality === 'N') continue;
    const d = Math.max(0, c.end - c.start);
    if (!(d > 0)) continue;
    roots[(((c.root - tonic) % 12) + 12) % 12]! += d;
    families[FAMILY[c.quality] ?? 3]! += d;
    total += d;
  }
  return { roots: roots.map((x) => (total > 0 ? x / total : 0)), families: families.map((x) => (total > 0 ? x / total : 0)) };
}

const INTERVALS = ['I', '♭II', 'II', '♭III', 'III', 'IV', '♯IV', 'V', '♭VI', 'VI', '♭VII', 'VII'];
const FAMILIES = ['major', 'minor', 'dominant', 'other'];
const safeLog2 = (x: number) => (x > 0 && Number.isFinite(x) ? Math.log2(x) : 0);

/** Every dimension in order: name, raw feature, centre, scale, weight. */
export const VECTOR_DIMENSIONS: readonly Dimension[] = [
  // Timbre: MFCC 1–12 means and standard deviations (MFCC 0, the level, is left out).
  // MFCC 1 (the spectral tilt) sits near 100–150 on the front end's dB mel scale; the others near 0.
  ...Array.from({ length: 12 }, (_, i): Dimension => ({ name: `mfcc${i + 1}_mean`, value: (a) => a.sound.mfcc.mean[i + 1] ?? 0, centre: i === 0 ? 110 : 0, scale: i === 0 ? 40 : 25, weight: 1 })),
  ...Array.from({ length: 12 }, (_, i): Dimension => ({ name: `mfcc${i + 1}_std`, value: (a) => a.sound.mfcc.std[i + 1] ?? 0, centre: 8, scale: 6, weight: 0.7 })),
  // Spectral shape.
  { name: 'centroid_log2_khz', value: (a) => safeLog2(a.sound.spectralCentroidHz.mean / 1000), centre: 0, scale: 1, weight: 1 },
  { name: 'centroid_cv', value: (a) => (a.sound.spectralCentroidHz.mean > 0 ? a.sound.spectralCentroidHz.std / a.sound.spectralCentroidHz.mean : 0), centre: 0.4, scale: 0.3, weight: 0.7 },
  { name: 'rolloff_log2_khz', value: (a) => safeLog2(a.sound.spectralRolloffHz.mean / 2000), centre: 0, scale: 1, weight: 1 },
  { name: 'flatness_log10', value: (a) => Math.log10(a.sound.spectralFlatness.mean + 1e-4), centre: -2, scale: 1, weight: 0.7 },
  ...Array.from({ length: 7 }, (_, i): Dimension => ({ name: `contrast_band${i}`, value: (a) => a.sound.spectralContrast[i] ?? 0, centre: 25, scale: 10, weight: 0.7 })),
  // Texture and rhythm.
  { name: 'harmonic_ratio', value: (a) => a.sound.harmonicRatio, centre: 0.6, scale: 0.15, weight: 1 },
  { name: 'onset_density_log2', value: (a) => Math.log2(a.sound.onsetDensity + 0.25), centre: 1, scale: 1, weight: 1 },
  { name: 'dynamic_range_db', value: (a) => a.sound.dynamicRangeDb, centre: 10, scale: 5, weight: 0.7 },
  { name: 'tempo_log2', value: (a) => (a.rhythm.bpm > 0 ? Math.log2(a.rhythm.bpm / 110) : 0), centre: 0, scale: 0.5, weight: 1 },
  { name: 'triple_meter', value: (a) => (a.rhythm.meter === '3/4' || a.rhythm.meter === '6/8' || a.rhythm.meter === '12/8' ? 1 : 0), centre: 0.5, scale: 1, weight: 0.5 },
  { name: 'vocal_presence', value: (a) => a.sound.vocals.presence, centre: 0.5, scale: 1, weight: 0.5 },
  // Harmony, key-invariant.
  { name: 'mode', value: (a) => (a.key.global.mode === 'major' ? 1 : -1) * Math.min(1, Math.max(0, a.key.confidence)), centre: 0, scale: 1, weight: 0.7 },
  ...INTERVALS.map((n, i): Dimension => ({ name: `chord_root_${n}`, value: (_, h) => h.roots[i]!, centre: 0, scale: 0.25, weight: 0.6 })),
  ...FAMILIES.map((n, i): Dimension => ({ name: `chord_family_${n}`, value: (_, h) => h.families[i]!, centre: 0.25, scale: 0.3, weight: 0.6 })),
];

/** Number of dimensions (the sqlite-vec column is declared with this length in migration 004). */
export const VECTOR_LENGTH = VECTOR_DIMENSIONS.length;

/** The track's similarity vector (VECTOR_LENGTH floats, unit length; all zeros only if every feature sits at its centre). */
export function similarityVector(analysis: VectorInput): Float32Array {
  const h = harmony(analysis);
  const v = new Float32Array(VECTOR_LENGTH);
  let norm = 0;
  VECTOR_DIMENSIONS.forEach((d, i) => {
    const raw = d.value(analysis, h);
    const x = Number.isFinite(raw) ? Math.max(-4, Math.min(4, (raw - d.centre) / d.scale)) * d.weight : 0;
    v[i] = x;
    norm += x * x;
  });
  if (norm > 0) {
    const s = 1 / Math.sqrt(norm);
    for (let i = 0; i < v.length; i++) v[i] = v[i]! * s;
  }
  return v;
}
