// Readable names for search concepts and clauses (used by "why it matched" and --explain).
import { keyName } from '../analysis/key/names.ts';
import type { Clause, DescriptorName, DeviceConcept } from './query.ts';

export const DEVICE_NAMES: Record<DeviceConcept, string> = {
  'modal-interchange': 'modal interchange',
  'secondary-dominant': 'secondary dominants',
  'tritone-substitution': 'tritone substitution',
  modulation: 'key change',
  'chromatic-mediant': 'chromatic mediant',
  'pedal-point': 'pedal point',
  'picardy-third': 'Picardy third',
  'four-chord': 'four-chord progression (I–V–vi–IV)',
  fifties: '50s progression (I–vi–IV–V)',
  andalusian: 'Andalusian cadence',
  'ii-V-I': 'ii–V–I',
  'plagal-cadence': 'plagal cadence',
  'authentic-cadence': 'authentic cadence',
};

export const DESCRIPTOR_WORDS: Record<DescriptorName, { high: string; low: string }> = {
  loudness: { high: 'loud', low: 'quiet' },
  energy: { high: 'high energy', low: 'low energy' },
  danceability: { high: 'danceable', low: 'not danceable' },
  acousticness: { high: 'acoustic', low: 'electronic' },
  valence: { high: 'happy (high valence)', low: 'sad (low valence)' },
  arousal: { high: 'exciting (high arousal)', low: 'calm (low arousal)' },
  vocals: { high: 'with vocals', low: 'instrumental' },
};

/** Seconds as m:ss. */
export function clock(sec: number): string {
  const s = Math.max(0, Math.round(sec));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** One clause as the parser understood it, e.g. 'NOT key change', 'tempo 87–93 BPM (target 90)'. */
export function describeClause(c: Clause): string {
  const not = c.negate ? 'NOT ' : '';
  switch (c.kind) {
    case 'key':
      return `${not}key ${c.tonic === null ? `mode ${c.mode}` : c.mode === null ? `tonic ${keyName({ tonic: c.tonic, mode: 'major' }).split(' ')[0]} (either mode)` : keyName({ tonic: c.tonic, mode: c.mode })}`;
    case 'tempo':
      return `${not}tempo ${fmt(c.min)}–${c.max >= 1000 ? '∞' : fmt(c.max)} BPM${c.target !== null ? ` (target ${fmt(c.target)})` : ''}`;
    case 'meter':
      return `${not}meter ${c.meters.join(' or ')}`;
    case 'device':
      return `${not}device ${DEVICE_NAMES[c.concept]}`;
    case 'section':
      return `${not}section ${c.section}`;
    case 'descriptor':
      return `${not}${c.descriptor} ${c.direction} (${DESCRIPTOR_WORDS[c.descriptor][c.direction]})`;
    case 'field':
      return `${not}${c.field} contains "${c.value}"`;
    case 'year':
      return `${not}year ${c.min === c.max ? c.min : `${c.min || '…'}–${c.max >= 9999 ? '…' : c.max}`}`;
    case 'text':
      return `${not}text ${c.phrase ? `"${c.value}"` : `${c.value}*`}`;
  }
}
