// Exporting a result or a smart playlist: M3U8 (UTF-8 extended M3U: #EXTM3U, #EXTINF), CSV
// (RFC 4180: CRLF line ends, fields with , " CR LF quoted, quotes doubled) and JSON.
import path from 'node:path';
import type { SearchHit } from './engine.ts';

export type ExportFormat = 'm3u8' | 'csv' | 'json';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['m3u8', 'csv', 'json'];

export interface M3uOptions {
  /** Write paths relative to this folder (where the playlist file will live); absolute otherwise. */
  relativeTo?: string;
  /** Playlist title (#PLAYLIST). */
  title?: string;
}

/** Extended M3U in UTF-8. A path with a line break cannot be written in M3U and is left out (counted in `skipped`). */
export function toM3u8(hits: SearchHit[], opts: M3uOptions = {}): { text: string; skipped: number } {
  const lines = ['#EXTM3U'];
  if (opts.title) lines.push(`#PLAYLIST:${oneLine(opts.title)}`);
  let skipped = 0;
  for (const h of hits) {
    if (/[\r\n]/.test(h.path)) {
      skipped++;
      continue;
    }
    const secs = h.durationSec === null ? -1 : Math.round(h.durationSec);
    const name = [h.artist, h.title].filter(Boolean).join(' - ') || path.basename(h.path);
    lines.push(`#EXTINF:${secs},${oneLine(name)}`);
    lines.push(opts.relativeTo ? path.relative(path.resolve(opts.relativeTo), h.path) : h.path);
  }
  return { text: lines.join('\n') + '\n', skipped };
}

const oneLine = (s: string) => s.replace(/[\r\n]+/g, ' ');

export const CSV_COLUMNS = ['track_id', 'title', 'artist', 'album', 'genre', 'year', 'duration_s', 'bpm', 'key', 'camelot', 'meter', 'score', 'why', 'evidence', 'path'] as const;

/** One CSV field per RFC 4180. */
export function csvField(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV with a header row; evidence as "start-end label" items separated by "; ". */
export function toCsv(hits: SearchHit[]): string {
  const rows = [CSV_COLUMNS.join(',')];
  for (const h of hits) {
    const evidence = h.evidence.map((e) => `${e.start.toFixed(1)}-${e.end.toFixed(1)} ${e.label}`).join('; ');
    rows.push(
      [h.trackId, h.title, h.artist, h.album, h.genre, h.year, h.durationSec?.toFixed(1), h.bpm?.toFixed(1), h.key, h.camelot, h.meter, h.score, h.why, evidence, h.path]
        .map(csvField)
        .join(','),
    );
  }
  return rows.join('\r\n') + '\r\n';
}

/** JSON: the query, its notes and the hits with their evidence. */
export function toJson(data: { name?: string; query: string; total: number; notes: string[]; hits: SearchHit[] }): string {
  return JSON.stringify(data, null, 2) + '\n';
}
