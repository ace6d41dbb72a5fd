// A readable plain-text summary of one analysis, for `linernotes analyze`. Every number shown is a
// measurement with its confidence; times are m:ss so they can be found in the track.
import { camelot, keyName } from './key/names.ts';
import type { HarmonicDevice, TrackAnalysis } from './types.ts';

export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

const pct = (x: number) => x.toFixed(2);

/** How sure we are, in words, for a confidence in 0..1. */
export function hedge(confidence: number): string {
  if (confidence >= 0.75) return '';
  if (confidence >= 0.5) return ' (probably)';
  return ' (uncertain)';
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

/** The summary printed by `linernotes analyze`. */
export function describeAnalysis(a: TrackAnalysis, meta: { title?: string | null; artist?: string | null; path?: string } = {}): string {
  const lines: string[] = [];
  const name = [meta.artist, meta.title].filter(Boolean).join(' — ') || meta.path || 'track';
  lines.push(`${name}  (${clock(a.durationSec)})`);
  const r = a.rhythm;
  const drift = r.tempoCurve.length > 1 ? `, drifting ${Math.min(...r.tempoCurve.map((p) => p.bpm)).toFixed(0)}–${Math.max(...r.tempoCurve.map((p) => p.bpm)).toFixed(0)} BPM` : '';
  lines.push(`Tempo    ${r.bpm.toFixed(1)} BPM${drift}${hedge(r.confidence)}  (confidence ${pct(r.confidence)})`);
  lines.push(`Meter    ${r.meter}${hedge(r.meterConfidence)}  (confidence ${pct(r.meterConfidence)}; ${r.beats.length} beats, ${r.downbeats.length} bars)`);
  lines.push(`Key      ${keyName(a.key.global)} (${camelot(a.key.global)})${hedge(a.key.confidence)}  (confidence ${pct(a.key.confidence)})`);
  if (a.key.segments.length > 1) {
    const changes = a.key.segments.slice(1).map((s) => `${clock(s.start)} → ${keyName(s.key)} (${camelot(s.key)})`);
    lines.push(`Changes  ${changes.join(', ')}`);
  }
  lines.push(`Tuning   ${a.frontend.tuningCents >= 0 ? '+' : ''}${a.frontend.tuningCents.toFixed(0)} cents from A = 440 Hz`);
  lines.push(`Chords   ${chordLine(a, 24) || 'none recognised'}`);
  const devices = a.theory.devices;
  if (devices.length === 0) lines.push('Harmony  no borrowed chords, secondary dominants, modulations or named progressions found');
  else {
    lines.push('Harmony');
    for (const d of [...devices].sort((x, y) => x.start - y.start)) lines.push(`  ${deviceLine(d)}`);
  }
  return lines.join('\n');
}
