// A readable plain-text summary of one analysis, for `linernotes analyze`. Every number shown is a
// measurement with its confidence; times are m:ss so they can be found in the track.
import { camelot, keyName } from './key/names.ts';
import { tempoSpan } from './rhythm/span.ts';
import { formPhrase } from './form/phrase.ts';
import { writeInsight } from './insight/index.ts';
import { clock } from './insight/phrasing.ts';
import { THRESHOLDS, certainty, type Thresholds } from './insight/confidence.ts';
import type { DescriptorResult, FormResult, HarmonicDevice, LoudnessResult, SoundResult, TrackAnalysis } from './types.ts';

export { clock };

const pct = (x: number) => x.toFixed(2);

/** How sure we are, in words, for a confidence in 0..1, by the same thresholds as the written insight. */
export function hedge(confidence: number, t: Thresholds = { firm: 0.75, hedge: 0.5 }): string {
  const level = certainty(confidence, t);
  return level === 'firm' ? '' : level === 'hedged' ? ' (probably)' : ' (uncertain)';
}

function chordLine(a: TrackAnalysis, limit: number): string {
  const romans = new Map(a.theory.romans.map((r) => [r.chordIndex, r.numeral]));
  const shown = a.chords.chords.filter((c) => c.quality !== 'N').slice(0, limit);
  const parts = shown.map((c) => {
    const i = a.chords.chords.indexOf(c);
    const rn = romans.get(i);
    return `${clock(c.start)} ${c.label}${rn ? ` (${rn})` : ''}`;
  });
  const rest = a.chords.chords.filter((c) => c.quality !== 'N').length - shown.length;
  return parts.join(' · ') + (rest > 0 ? ` · … ${rest} more` : '');
}

function deviceLine(d: HarmonicDevice): string {
  const detail = d.detail ? ` [${Object.entries(d.detail).map(([k, v]) => `${k}: ${v}`).join(', ')}]` : '';
  return `${clock(d.start)}–${clock(d.end)}  ${d.label}${detail}  (confidence ${pct(d.confidence)})`;
}

/** Words joined into lines of at most `width` characters (a longer word gets a line of its own). */
export function wrap(text: string, width = 96): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

const db = (x: number | null, unit: string) => (x === null || !Number.isFinite(x) ? null : `${x.toFixed(1)} ${unit}`);

function loudnessLine(l: LoudnessResult): string {
  if (l.integratedLufs === null) return 'Loudness silent (below the −70 LUFS absolute gate)';
  const parts = [
    `${l.integratedLufs.toFixed(1)} LUFS integrated`,
    db(l.loudnessRangeLu, 'LU range'),
    db(l.truePeakDbtp, 'dBTP true peak'),
    l.replayGainDb === null ? null : `ReplayGain ${l.replayGainDb >= 0 ? '+' : ''}${l.replayGainDb.toFixed(1)} dB`,
    l.stereoWidth === null ? 'mono' : `stereo width ${pct(l.stereoWidth)}`,
  ];
  return `Loudness ${parts.filter(Boolean).join(', ')}`;
}

function formLines(f: FormResult): string[] {
  if (f.sections.length === 0) return ['Form     no sections found'];
  const lines = [`Form     ${formPhrase(f.sections.map((x) => x.label))}${hedge(f.confidence, THRESHOLDS.form)}  (confidence ${pct(f.confidence)})`];
  for (const x of f.sections) lines.push(`  ${clock(x.start)}–${clock(x.end)}  ${x.label} (${x.group})${x.progression ? `  ${x.progression}` : ''}  (confidence ${pct(x.confidence)})`);
  return lines;
}

function soundLine(x: SoundResult): string {
  const vocals = x.vocals.presence >= 0.3 ? `vocals ${pct(x.vocals.presence)}` : 'no clear vocals';
  return `Sound    centroid ${x.spectralCentroidHz.mean.toFixed(0)} Hz, harmonic share ${pct(x.harmonicRatio)}, ${x.onsetDensity.toFixed(1)} onsets/s, dynamic range ${x.dynamicRangeDb.toFixed(1)} dB, ${vocals} (confidence ${pct(x.vocals.confidence)})`;
}

function descriptorLines(d: DescriptorResult): string[] {
  const v = (name: string, x: { value: number; confidence: number }) => `${name} ${pct(x.value)}`;
  const lines = [`Feel     ${[v('energy', d.energy), v('danceability', d.danceability), v('acoustic', d.acousticness), v('valence', d.valence), v('arousal', d.arousal)].join(', ')}; ${d.tempoClass}`];
  if (d.tags.length > 0) lines.push(`Tags     ${d.tags.map((t) => t.tag).join(', ')}`);
  return lines;
}

/** The summary printed by `linernotes analyze`: the written description, then the measured facts. */
export function describeAnalysis(a: TrackAnalysis, meta: { title?: string | null; artist?: string | null; path?: string } = {}): string {
  const lines: string[] = [];
  const name = [meta.artist, meta.title].filter(Boolean).join(' — ') || meta.path || 'track';
  lines.push(`${name}  (${clock(a.durationSec)})`);
  lines.push('');
  for (const p of (a.insight ?? writeInsight(a)).paragraphs) lines.push(...wrap(p), '');
  const r = a.rhythm;
  const span = tempoSpan(r);
  const drift = span.kind === 'steady' ? '' : `, ${span.kind === 'changes' ? 'changing' : 'drifting'} ${span.lo}–${span.hi} BPM`;
  lines.push(`Tempo    ${r.bpm.toFixed(1)} BPM${drift}${hedge(r.confidence, THRESHOLDS.tempo)}  (confidence ${pct(r.confidence)})`);
  lines.push(`Meter    ${r.meter}${hedge(r.meterConfidence, THRESHOLDS.meter)}  (confidence ${pct(r.meterConfidence)}; ${r.beats.length} beats, ${r.downbeats.length} bars)`);
  lines.push(`Key      ${keyName(a.key.global)} (${camelot(a.key.global)})${hedge(a.key.confidence, THRESHOLDS.key)}  (confidence ${pct(a.key.confidence)})`);
  if (a.key.segments.length > 1) {
    const changes = a.key.segments.slice(1).map((s) => `${clock(s.start)} → ${keyName(s.key)} (${camelot(s.key)})`);
    lines.push(`Changes  ${changes.join(', ')}`);
  }
  lines.push(`Tuning   ${a.frontend.tuningCents >= 0 ? '+' : ''}${a.frontend.tuningCents.toFixed(0)} cents from A = 440 Hz`);
  if (a.loudness) lines.push(loudnessLine(a.loudness));
  if (a.sound) lines.push(soundLine(a.sound));
  if (a.descriptors) lines.push(...descriptorLines(a.descriptors));
  if (a.form) lines.push(...formLines(a.form));
  lines.push(`Chords   ${chordLine(a, 24) || 'none recognised'}`);
  const devices = a.theory.devices;
  if (devices.length === 0) lines.push('Harmony  no borrowed chords, secondary dominants, modulations or named progressions found');
  else {
    lines.push('Harmony');
    for (const d of [...devices].sort((x, y) => x.start - y.start)) lines.push(`  ${deviceLine(d)}`);
  }
  return lines.join('\n');
}
