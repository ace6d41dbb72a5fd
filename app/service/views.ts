// Shapes stored rows and analyses into the display types of the service API (names spelled here,
// so the UI needs no music-theory code).
import type { Track, TrackSummary } from '../store/index.ts';
import type { TrackAnalysis } from '../analysis/types.ts';
import type { StoredAnalysis } from '../store/index.ts';
import { camelot, keyName } from '../analysis/key/names.ts';
import { tempoSpan } from '../analysis/rhythm/span.ts';
import type { AnalysisView, TrackDetail, TrackRow } from './api.ts';

export function formatOf(t: Pick<Track, 'container' | 'codec'>): string | null {
  if (t.codec && t.container && !t.container.toLowerCase().includes(t.codec.toLowerCase())) return `${t.container} · ${t.codec}`;
  return t.container ?? t.codec;
}

export function trackDetail(t: Track, s: TrackSummary | undefined): TrackDetail {
  const key = s && s.keyTonic !== null && s.keyMode ? { tonic: s.keyTonic, mode: s.keyMode } : null;
  return {
    id: t.id,
    title: t.title,
    artist: t.artist,
    album: t.album,
    year: t.year,
    genre: t.genre,
    duration: t.duration,
    path: t.path,
    status: t.status,
    format: formatOf(t),
    bpm: s?.bpm ?? null,
    keyName: key ? keyName(key) : null,
    camelot: key ? camelot(key) : null,
    meter: s?.meter ?? null,
    analysed: !!s,
    albumArtist: t.albumArtist,
    trackNo: t.trackNo,
    composer: t.composer,
    codec: t.codec,
    sampleRate: t.sampleRate,
    channels: t.channels,
    bitDepth: t.bitDepth,
    bitrate: t.bitrate,
    size: t.size,
    hasArtwork: t.hasArtwork,
  };
}

export function rowOf(d: TrackDetail): TrackRow {
  const { albumArtist: _a, trackNo: _n, composer: _c, codec: _co, sampleRate: _s, channels: _ch, bitDepth: _b, bitrate: _br, size: _si, hasArtwork: _h, ...row } = d;
  return row;
}

/** Analysis II results stored under these analyser names, read when present. */
const EXTRA_RESULTS = ['loudness', 'sound', 'form', 'descriptors', 'insight'] as const;

/** The display form of a stored analysis; `rows` supply analysis II results when they exist. */
export function analysisView(a: TrackAnalysis, rows: StoredAnalysis[], analysedAt: number): AnalysisView {
  const extra = new Map(rows.filter((r) => r.result !== null && (EXTRA_RESULTS as readonly string[]).includes(r.analyser)).map((r) => [r.analyser, r.result]));
  const romanByChord = new Map(a.theory.romans.map((r) => [r.chordIndex, r]));
  return {
    durationSec: a.durationSec,
    analysedAt,
    versions: a.versions,
    key: { value: { name: keyName(a.key.global), camelot: camelot(a.key.global) }, confidence: a.key.confidence },
    keySegments: a.key.segments.map((s) => ({ name: keyName(s.key), camelot: camelot(s.key), start: s.start, end: s.end, confidence: s.confidence })),
    tempo: { value: { bpm: a.rhythm.bpm }, confidence: a.rhythm.confidence, curve: a.rhythm.tempoCurve, span: tempoSpan(a.rhythm) },
    meter: { value: a.rhythm.meter, confidence: a.rhythm.meterConfidence },
    tuningCents: a.frontend.tuningCents,
    chords: a.chords.chords.map((c, i) => {
      const r = romanByChord.get(i);
      return {
        start: c.start,
        end: c.end,
        label: c.label,
        quality: c.quality,
        numeral: r && r.numeral !== 'N' ? r.numeral : '',
        function: r?.function ?? null,
        confidence: c.confidence,
      };
    }),
    devices: a.theory.devices.map((d) => ({
      kind: d.kind,
      label: d.label,
      start: d.start,
      end: d.end,
      confidence: d.confidence,
      numerals: d.chordIndices.map((i) => romanByChord.get(i)?.numeral ?? a.chords.chords[i]?.label ?? '?'),
      detail: d.detail ?? {},
    })),
    loudness: a.loudness ?? (extra.get('loudness') as AnalysisView['loudness']) ?? null,
    sound: a.sound ?? (extra.get('sound') as AnalysisView['sound']) ?? null,
    form: a.form ?? (extra.get('form') as AnalysisView['form']) ?? null,
    descriptors: a.descriptors ?? (extra.get('descriptors') as AnalysisView['descriptors']) ?? null,
    insight: a.insight ?? (extra.get('insight') as AnalysisView['insight']) ?? null,
  };
}
