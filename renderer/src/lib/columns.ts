// The library table's columns: what each shows, its width, and the sort key it maps to.
import type { TrackRow, TrackSortKey } from '../../../app/service/api.ts';
import { clock, number } from './format.ts';

export interface Column {
  id: string;
  label: string;
  width: string;
  sort?: TrackSortKey;
  text(row: TrackRow): string;
  numeric?: boolean;
}

export const COLUMNS: readonly Column[] = [
  { id: 'title', label: 'Title', width: 'minmax(160px, 2fr)', sort: 'title', text: (r) => r.title ?? r.path.split(/[\\/]/).pop() ?? '' },
  { id: 'artist', label: 'Artist', width: 'minmax(120px, 1.4fr)', sort: 'artist', text: (r) => r.artist ?? '' },
  { id: 'album', label: 'Album', width: 'minmax(120px, 1.4fr)', sort: 'album', text: (r) => r.album ?? '' },
  { id: 'year', label: 'Year', width: '64px', sort: 'year', text: (r) => (r.year ? String(r.year) : ''), numeric: true },
  { id: 'genre', label: 'Genre', width: 'minmax(80px, 0.8fr)', sort: 'genre', text: (r) => r.genre ?? '' },
  { id: 'duration', label: 'Time', width: '64px', sort: 'duration', text: (r) => clock(r.duration), numeric: true },
  { id: 'bpm', label: 'BPM', width: '64px', sort: 'bpm', text: (r) => (r.bpm === null ? '' : number(r.bpm)), numeric: true },
  { id: 'key', label: 'Key', width: '104px', sort: 'key', text: (r) => r.keyName ?? '' },
  { id: 'camelot', label: 'Camelot', width: '72px', sort: 'key', text: (r) => r.camelot ?? '' },
  { id: 'meter', label: 'Meter', width: '64px', text: (r) => r.meter ?? '' },
  { id: 'format', label: 'Format', width: 'minmax(70px, 0.6fr)', text: (r) => r.format ?? '' },
  { id: 'path', label: 'File', width: 'minmax(160px, 2fr)', sort: 'path', text: (r) => r.path },
];

export const DEFAULT_COLUMNS = ['title', 'artist', 'album', 'duration', 'bpm', 'key', 'camelot'];
