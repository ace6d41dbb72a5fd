// What the library's store can answer: the search tables (migration 6), the measured descriptor
// columns of analysis II (migration 4) and its similarity vectors (a sqlite-vec vec0 table). Search
// degrades clause by clause, saying so, when a part is missing.
import type { Db } from '../store/index.ts';
import type { DescriptorName } from './query.ts';

export interface VectorTable {
  table: string;
  /** The float[N] column and the column holding the track id ('rowid' unless declared). */
  column: string;
  idColumn: string;
}

export interface Capabilities {
  /** search_text / search_evidence exist (migration 6). */
  searchTables: boolean;
  /** Descriptor → column of track_summaries that holds it. */
  descriptors: Partial<Record<DescriptorName, string>>;
  vectors: VectorTable | null;
  /** Some track has a form analysis (sections). */
  form: boolean;
}

/** Column names analysis II may use for each descriptor, first match wins. */
const DESCRIPTOR_COLUMNS: Record<DescriptorName, string[]> = {
  loudness: ['loudness_lufs', 'integrated_lufs', 'loudness'],
  energy: ['energy'],
  danceability: ['danceability'],
  acousticness: ['acousticness'],
  valence: ['valence'],
  arousal: ['arousal'],
  vocals: ['vocal_presence', 'vocals_presence', 'vocals'],
};

/** Reads the schema once. */
export function detectCapabilities(db: Db): Capabilities {
  const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all() as { name: string; sql: string | null }[];
  const names = new Set(tables.map((t) => t.name));
  const searchTables = names.has('search_text') && names.has('search_evidence');
  const summaryColumns = new Set((db.prepare('PRAGMA table_info(track_summaries)').all() as { name: string }[]).map((c) => c.name));
  const descriptors: Partial<Record<DescriptorName, string>> = {};
  for (const [d, candidates] of Object.entries(DESCRIPTOR_COLUMNS)) {
    const col = candidates.find((c) => summaryColumns.has(c));
    if (col) descriptors[d as DescriptorName] = col;
  }
  let vectors: VectorTable | null = null;
  for (const t of tables) {
    const m = t.sql && /USING\s+vec0\s*\(([\s\S]*)\)/i.exec(t.sql);
    if (!m) continue;
    const col = /([A-Za-z_][A-Za-z0-9_]*)\s+float\s*\[\s*\d+\s*\]/i.exec(m[1]!);
    if (col) {
      const id = /([A-Za-z_][A-Za-z0-9_]*)\s+integer\s+primary\s+key/i.exec(m[1]!);
      vectors = { table: t.name, column: col[1]!, idColumn: id ? id[1]! : 'rowid' };
      break;
    }
  }
  const form = searchTables && db.prepare("SELECT 1 FROM search_evidence WHERE concept = 'form' LIMIT 1").get() !== undefined;
  return { searchTables, descriptors, vectors, form };
}
