// Comparing each parsed claim with what Linernotes measured, with stated tolerances:
// - tempo: agrees within 4 % (a range: the measured tempo inside it ± 4 %); half or double (or
//   2/3, 3/2) within 4 % is 'partial' with relation 'octave error'; else disagrees.
// - key: same pitch class and mode agrees (an enharmonic spelling agrees); a local key we measured
//   agrees as 'local key'; relative, parallel or a fifth away is 'partial'; else disagrees.
// - mode: agrees with the global mode or disagrees.
// - meter: same agrees; simple/compound or half/double bar (3/4~6/8, 4/4~12/8, 2/4~4/4, 2/2~4/4) partial.
// - chords: each named chord's root and triad family looked up in the measured chords (≥ 1 s in all):
//   all found agrees, some partial, none disagrees.
// - section: a label our form analysis uses agrees if found, disagrees if not; labels outside our
//   vocabulary (drop, breakdown, build-up) are unverifiable. Counts compare exactly.
// - duration: within 3 s (exact mm:ss) or 10 % / 20 s (approximate) agrees.
// Our confidence travels with each result. Claims about nothing we measured are 'unverifiable'.
import type { ChordSegment, Key, TrackAnalysis } from '../../analysis/types.ts';
import { camelot, keyName } from '../../analysis/key/names.ts';
import type { Claim } from './claims.ts';

export type Agreement = 'agrees' | 'partial' | 'disagrees' | 'unverifiable';

export interface CheckedClaim {
  kind: Claim['kind'];
  /** The sentence the claim was found in. */
  quote: string;
  /** The model's value, written out, e.g. '128 BPM', 'A minor'. */
  claimed: string;
  /** Our value, written out, or null when not measured. */
  measured: string | null;
  /** Our confidence in the measured value (0..1), or null. */
  confidence: number | null;
  agreement: Agreement;
  /** How a partial or disagreeing claim relates, e.g. 'octave error', 'relative key'. */
  relation: string | null;
  /** One line: "the model says 128 BPM; measured 120.1 BPM, confidence 0.93". */
  message: string;
}

/** What the cross-check reads from a stored analysis. */
export type Measured = Pick<TrackAnalysis, 'durationSec' | 'rhythm' | 'key' | 'chords' | 'form'>;

const mod12 = (n: number) => ((n % 12) + 12) % 12;
const fmtBpm = (b: number) => `${Math.round(b * 10) / 10} BPM`;
const fmtTime = (s: number) => `${Math.floor(s / 60)}:${String(Math.round(s % 60)).padStart(2, '0')}`;
const TEMPO_TOLERANCE = 0.04;

function line(claimed: string, measured: string | null, confidence: number | null, agreement: Agreement, relation: string | null): string {
  if (measured === null) return `the model says ${claimed}; not measured, unverifiable`;
  const conf = confidence === null ? '' : `, confidence ${confidence.toFixed(2)}`;
  const verdict = agreement === 'agrees' ? 'agrees' : agreement === 'partial' ? `partly agrees (${relation})` : agreement === 'disagrees' ? `disagrees${relation ? ` (${relation})` : ''}` : 'unverifiable';
  return `the model says ${claimed}; measured ${measured}${conf}: ${verdict}`;
}

function result(c: Claim, claimed: string, measured: string | null, confidence: number | null, agreement: Agreement, relation: string | null = null): CheckedClaim {
  return { kind: c.kind, quote: c.quote, claimed, measured, confidence, agreement, relation, message: line(claimed, measured, confidence, agreement, relation) };
}

function checkTempo(c: Extract<Claim, { kind: 'tempo' }>, m: Measured): CheckedClaim {
  const claimed = c.high ? `${c.bpm}–${c.high} BPM` : fmtBpm(c.bpm);
  const bpm = m.rhythm?.bpm;
  if (!(bpm > 0)) return result(c, claimed, null, null, 'unverifiable');
  const lo = c.bpm * (1 - TEMPO_TOLERANCE);
  const hi = (c.high ?? c.bpm) * (1 + TEMPO_TOLERANCE);
  const within = (x: number) => x >= lo && x <= hi;
  const conf = m.rhythm.confidence;
  if (within(bpm)) return result(c, claimed, fmtBpm(bpm), conf, 'agrees');
  if (within(bpm * 2) || within(bpm / 2)) return result(c, claimed, fmtBpm(bpm), conf, 'partial', 'octave error (half or double tempo)');
  if (within(bpm * 1.5) || within(bpm / 1.5)) return result(c, claimed, fmtBpm(bpm), conf, 'partial', 'three-to-two tempo relation');
  return result(c, claimed, fmtBpm(bpm), conf, 'disagrees');
}

/** How key `a` relates to key `b`: 'same', 'relative', 'parallel', 'fifth' or null. */
export function keyRelation(a: Key, b: Key): 'same' | 'relative key' | 'parallel key' | 'a fifth away' | null {
  if (a.tonic === b.tonic && a.mode === b.mode) return 'same';
  if (a.mode !== b.mode) {
    const major = a.mode === 'major' ? a : b;
    const minor = a.mode === 'major' ? b : a;
    if (mod12(major.tonic - 3) === minor.tonic) return 'relative key';
    if (a.tonic === b.tonic) return 'parallel key';
    return null;
  }
  const d = mod12(a.tonic - b.tonic);
  return d === 7 || d === 5 ? 'a fifth away' : null;
}

const keyText = (k: Key) => `${keyName(k)} (${camelot(k)})`;

function checkKey(c: Extract<Claim, { kind: 'key' }>, m: Measured): CheckedClaim {
  const g = m.key?.global;
  if (!g) return result(c, c.spelled, null, null, 'unverifiable');
  const conf = m.key.confidence;
  if (c.key.mode === null) {
    const claimed = `key of ${c.spelled}`;
    if (c.key.tonic === g.tonic) return result(c, claimed, keyText(g), conf, 'agrees');
    const local = m.key.segments.find((s) => s.key.tonic === c.key.tonic);
    if (local) return result(c, claimed, `${keyText(g)}; ${keyName(local.key)} from ${fmtTime(local.start)}`, local.confidence, 'agrees', 'local key');
    return result(c, claimed, keyText(g), conf, 'disagrees');
  }
  const claimedKey = c.key as Key;
  const claimed = /^\d/.test(c.spelled) ? `Camelot ${c.spelled} (${keyName(claimedKey)})` : c.spelled;
  const rel = keyRelation(claimedKey, g);
  if (rel === 'same') {
    const enharmonic = /^[A-G]/.test(c.spelled) && c.spelled[0] !== keyName(g)[0];
    return result(c, claimed, keyText(g), conf, 'agrees', enharmonic ? 'enharmonic spelling' : null);
  }
  const local = m.key.segments.find((s) => keyRelation(claimedKey, s.key) === 'same');
  if (local) return result(c, claimed, `${keyText(g)}; ${keyName(local.key)} from ${fmtTime(local.start)} to ${fmtTime(local.end)}`, local.confidence, 'agrees', 'local key');
  if (rel) return result(c, claimed, keyText(g), conf, 'partial', rel);
  return result(c, claimed, keyText(g), conf, 'disagrees');
}

function checkMode(c: Extract<Claim, { kind: 'mode' }>, m: Measured): CheckedClaim {
  const g = m.key?.global;
  if (!g) return result(c, `a ${c.mode} key`, null, null, 'unverifiable');
  return result(c, `a ${c.mode} key`, keyText(g), m.key.confidence, g.mode === c.mode ? 'agrees' : 'disagrees');
}

const METER_KIN: Record<string, string[]> = {
  '3/4': ['6/8'],
  '6/8': ['3/4', '12/8'],
  '4/4': ['12/8', '2/4', '2/2'],
  '12/8': ['4/4', '6/8'],
  '2/4': ['4/4', '6/8'],
  '2/2': ['4/4', '2/4'],
};

function checkMeter(c: Extract<Claim, { kind: 'meter' }>, m: Measured): CheckedClaim {
  const meter = m.rhythm?.meter;
  if (!meter) return result(c, c.meter, null, null, 'unverifiable');
  const conf = m.rhythm.meterConfidence;
  if (meter === c.meter) return result(c, c.meter, meter, conf, 'agrees');
  if (METER_KIN[c.meter]?.includes(meter)) return result(c, c.meter, meter, conf, 'partial', 'related meter (simple/compound or bar length)');
  return result(c, c.meter, meter, conf, 'disagrees');
}

const familyOfQuality = (q: ChordSegment['quality']): 'maj' | 'min' | 'dim' | null =>
  q === 'N' ? null : q === 'min' || q === 'min7' ? 'min' : q === 'dim' || q === 'hdim7' || q === 'dim7' ? 'dim' : 'maj';
const MIN_CHORD_SECONDS = 1;

function checkChords(c: Extract<Claim, { kind: 'chords' }>, m: Measured): CheckedClaim {
  const claimed = c.chords.map((x) => x.symbol).join(', ');
  const segs = m.chords?.chords ?? [];
  if (segs.length === 0 || segs.every((s) => s.quality === 'N')) return result(c, claimed, null, null, 'unverifiable');
  const seconds = new Map<string, { s: number; conf: number }>();
  for (const s of segs) {
    const f = familyOfQuality(s.quality);
    if (f === null || s.root === null) continue;
    const k = `${s.root}:${f}`;
    const prev = seconds.get(k) ?? { s: 0, conf: 0 };
    const d = s.end - s.start;
    seconds.set(k, { s: prev.s + d, conf: prev.conf + d * s.confidence });
  }
  const found = c.chords.map((x) => seconds.get(`${x.root}:${x.family}`)).map((v) => (v && v.s >= MIN_CHORD_SECONDS ? v : null));
  const hits = found.filter((v): v is { s: number; conf: number } => v !== null);
  const missing = c.chords.filter((_, i) => found[i] === null).map((x) => x.symbol);
  const total = hits.reduce((n, v) => n + v.s, 0);
  const conf = total > 0 ? hits.reduce((n, v) => n + v.conf, 0) / total : null;
  const measured = missing.length === 0 ? `all ${c.chords.length} heard` : `${hits.length} of ${c.chords.length} heard; not heard: ${missing.join(', ')}`;
  const agreement: Agreement = missing.length === 0 ? 'agrees' : hits.length > 0 ? 'partial' : 'disagrees';
  return result(c, claimed, measured, conf, agreement, agreement === 'partial' ? 'some chords not heard' : null);
}

const OUR_LABELS = new Set(['intro', 'verse', 'pre-chorus', 'chorus', 'bridge', 'instrumental', 'outro']);

function checkSection(c: Extract<Claim, { kind: 'section' }>, m: Measured): CheckedClaim {
  const sections = m.form?.sections ?? [];
  const claimed = `${/^[aeiou]/.test(c.label) ? 'an' : 'a'} ${c.label}`;
  if (!OUR_LABELS.has(c.label) || sections.length === 0) return result(c, claimed, null, null, 'unverifiable');
  const ours = sections.filter((s) => s.label === c.label);
  const summary = m.form.summary || sections.map((s) => s.label).join('–');
  if (ours.length) return result(c, claimed, summary, Math.max(...ours.map((s) => s.confidence)), 'agrees');
  return result(c, claimed, summary, m.form.confidence, 'disagrees');
}

function checkSectionCount(c: Extract<Claim, { kind: 'section-count' }>, m: Measured): CheckedClaim {
  const sections = m.form?.sections ?? [];
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : w.endsWith('s') ? 'es' : 's'}`;
  const claimed = plural(c.count, c.label ?? 'section');
  if (sections.length === 0 || (c.label !== null && !OUR_LABELS.has(c.label))) return result(c, claimed, null, null, 'unverifiable');
  const n = c.label === null ? sections.length : sections.filter((s) => s.label === c.label).length;
  const measured = `${plural(n, c.label ?? 'section')} (${m.form.summary || sections.map((s) => s.label).join('–')})`;
  return result(c, claimed, measured, m.form.confidence, n === c.count ? 'agrees' : 'disagrees');
}

function checkDuration(c: Extract<Claim, { kind: 'duration' }>, m: Measured): CheckedClaim {
  const claimed = `${c.approximate ? 'about ' : ''}${fmtTime(c.seconds)}`;
  if (!(m.durationSec > 0)) return result(c, claimed, null, null, 'unverifiable');
  const tol = c.approximate ? Math.max(20, 0.1 * m.durationSec) : 3;
  return result(c, claimed, fmtTime(m.durationSec), 1, Math.abs(c.seconds - m.durationSec) <= tol ? 'agrees' : 'disagrees');
}

/** Checks one claim against the measurements. */
export function checkClaim(c: Claim, m: Measured): CheckedClaim {
  switch (c.kind) {
    case 'tempo':
      return checkTempo(c, m);
    case 'key':
      return checkKey(c, m);
    case 'mode':
      return checkMode(c, m);
    case 'meter':
      return checkMeter(c, m);
    case 'chords':
      return checkChords(c, m);
    case 'section':
      return checkSection(c, m);
    case 'section-count':
      return checkSectionCount(c, m);
    case 'duration':
      return checkDuration(c, m);
  }
}

/** Checks every claim; without a measurement every claim is unverifiable. */
export function crossCheck(claims: readonly Claim[], m: Measured | undefined): CheckedClaim[] {
  const none: Measured = { durationSec: 0, rhythm: undefined!, key: undefined!, chords: undefined!, form: undefined! };
  return claims.map((c) => checkClaim(c, m ?? none));
}

export interface CheckTally {
  agrees: number;
  partial: number;
  disagrees: number;
  unverifiable: number;
}

export function tally(checks: readonly CheckedClaim[]): CheckTally {
  const t: CheckTally = { agrees: 0, partial: 0, disagrees: 0, unverifiable: 0 };
  for (const c of checks) t[c.agreement]++;
  return t;
}
