// `linernotes search "<query>"` and `linernotes playlist save|list|export|remove`: plain-English
// search over the analysed library, and smart playlists (saved queries, run afresh on every read).
import fs from 'node:fs';
import path from 'node:path';
import { describeClause } from '../search/describe.ts';
import { MAX_LIMIT, SearchEngine, type Facets, type SearchHit, type SearchResult } from '../search/engine.ts';
import { EXPORT_FORMATS, toCsv, toJson, toM3u8, type ExportFormat } from '../search/export.ts';
import { parseQuery } from '../search/parse.ts';
import type { ParsedQuery } from '../search/query.ts';
import { PlaylistsRepo } from '../store/playlists.ts';
import type { Context } from './commands.ts';
import { EXIT } from './exitCodes.ts';
import { formatDuration } from './output.ts';

export interface SearchCliOptions {
  json?: boolean;
  explain?: boolean;
  facets?: boolean;
  limit?: number;
  format?: string;
  out?: string;
  relativeTo?: string;
}

function explainLines(q: ParsedQuery): string[] {
  const lines = ['parsed query:'];
  for (const c of q.clauses) lines.push(`  ${describeClause(c)}   ← "${c.source}"`);
  if (q.similarTo) lines.push(`  similar to "${q.similarTo}"`);
  if (q.clauses.length === 0 && !q.similarTo) lines.push('  (nothing)');
  return lines;
}

function hitLines(hits: SearchHit[], offset = 0): string[] {
  const lines: string[] = [];
  hits.forEach((h, i) => {
    const facts = [h.key, h.bpm !== null ? `${h.bpm.toFixed(0)} BPM` : null, h.meter, formatDuration(h.durationSec)].filter(Boolean).join(' · ');
    lines.push(`${String(offset + i + 1).padStart(3)}. ${[h.artist, h.title].filter(Boolean).join(' – ') || path.basename(h.path)}  (${facts})  #${h.trackId}`);
    lines.push(`     why: ${h.why}`);
  });
  return lines;
}

function facetLines(f: Facets): string[] {
  const row = (name: string, items: { value: string; count: number }[]) =>
    `  ${name.padEnd(7)} ${items.length ? items.map((x) => `${x.value} ${x.count}`).join(' · ') : '–'}`;
  return ['facets:', row('key', f.key.slice(0, 12)), row('mode', f.mode), row('tempo', f.tempo), row('devices', f.device), row('decade', f.decade), row('genre', f.genre.slice(0, 12))];
}

function parseFormat(format: string | undefined): ExportFormat | null | undefined {
  if (format === undefined) return undefined;
  const f = format.toLowerCase().replace(/^m3u$/, 'm3u8') as ExportFormat;
  return EXPORT_FORMATS.includes(f) ? f : null;
}

/** Writes an export to --out (atomically; never onto a track of the library) or to stdout. */
function writeExport(ctx: Context, text: string, outFile: string | undefined): number {
  if (!outFile) {
    if (ctx.out.json) {
      ctx.out.err('linernotes: --json and --format are two output formats; choose one');
      return EXIT.USAGE;
    }
    ctx.out.out(text.replace(/\n$/, ''));
    return EXIT.OK;
  }
  const abs = path.resolve(outFile);
  if (ctx.store.tracks.byPath(abs) || ctx.store.tracks.byPath(fs.realpathSync.native(path.dirname(abs)) + path.sep + path.basename(abs))) {
    ctx.out.err(`linernotes: ${abs} is a music file in the library; Linernotes never writes to music files`);
    return EXIT.USAGE;
  }
  const tmp = `${abs}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, text, 'utf8');
    fs.renameSync(tmp, abs);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    ctx.out.err(`linernotes: cannot write ${abs}: ${(err as Error).message}`);
    return EXIT.FAILURE;
  }
  ctx.out.err(`wrote ${abs}`);
  return EXIT.OK;
}

function exportText(format: ExportFormat, result: SearchResult, opts: { name?: string; relativeTo?: string; outFile?: string }, ctx: Context): string {
  if (format === 'csv') return toCsv(result.hits);
  if (format === 'json') return toJson({ ...(opts.name ? { name: opts.name } : {}), query: result.query.text, total: result.total, notes: result.notes, hits: result.hits });
  const { text, skipped } = toM3u8(result.hits, { relativeTo: opts.relativeTo, title: opts.name ?? result.query.text });
  if (skipped) ctx.out.err(`left out ${skipped} track(s) whose path has a line break (M3U cannot hold it)`);
  return text;
}

export function searchCommand(ctx: Context, text: string, opts: SearchCliOptions): number {
  const format = parseFormat(opts.format);
  if (format === null) {
    ctx.out.err(`linernotes: unknown --format ${opts.format} (use ${EXPORT_FORMATS.join(', ')})`);
    return EXIT.USAGE;
  }
  if (opts.limit !== undefined && (!Number.isFinite(opts.limit) || opts.limit < 1)) {
    ctx.out.err('linernotes: --limit needs a whole number of at least 1');
    return EXIT.USAGE;
  }
  const query = parseQuery(text);
  const engine = new SearchEngine(ctx.store.db);
  if (query.clauses.length === 0 && !query.similarTo) {
    for (const n of query.notes) ctx.out.err(`note: ${n}`);
    ctx.out.err('linernotes: nothing to search for. Try: linernotes search "minor key" · "waltz" · "modal interchange" · "around 90 bpm" · "artist:<name>"');
    return EXIT.USAGE;
  }
  const limit = opts.limit ?? (format ? MAX_LIMIT : 20);
  const result = engine.search(query, { limit });
  if (format) return writeExport(ctx, exportText(format, result, { relativeTo: opts.relativeTo }, ctx), opts.out);
  const facets = opts.facets ? engine.facets(query) : undefined;
  if (ctx.out.json) {
    ctx.out.data({ query: query.text, ...(opts.explain ? { parsed: query } : {}), total: result.total, notes: result.notes, hits: result.hits, ...(facets ? { facets } : {}) });
    return EXIT.OK;
  }
  if (opts.explain) for (const l of explainLines(query)) ctx.out.out(l);
  for (const n of result.notes) ctx.out.out(`note: ${n}`);
  const count = `${result.total.toLocaleString('en')}${result.totalIsAtLeast ? '+' : ''}`;
  ctx.out.out(result.total === 0 ? 'no tracks match' : `${count} track(s) match${result.total > result.hits.length ? `, the best ${result.hits.length}` : ''}:`);
  for (const l of hitLines(result.hits)) ctx.out.out(l);
  if (facets) for (const l of facetLines(facets)) ctx.out.out(l);
  return EXIT.OK;
}

export interface PlaylistCliOptions {
  json?: boolean;
  format?: string;
  out?: string;
  relativeTo?: string;
}

export function playlistCommand(ctx: Context, action: string, args: string[], opts: PlaylistCliOptions): number {
  const repo = new PlaylistsRepo(ctx.store.db);
  const engine = new SearchEngine(ctx.store.db);
  if (!engine.capabilities.searchTables) {
    ctx.out.err('linernotes: this library database has no search tables yet');
    return EXIT.DATABASE;
  }
  switch (action) {
    case 'save': {
      const [name, query] = args;
      if (!name?.trim() || query === undefined || args.length !== 2) {
        ctx.out.err('linernotes: usage: linernotes playlist save <name> "<query>"');
        return EXIT.USAGE;
      }
      if (name.length > 200 || /[\r\n]/.test(name)) {
        ctx.out.err('linernotes: a playlist name is one line of at most 200 characters');
        return EXIT.USAGE;
      }
      const parsed = parseQuery(query);
      if (parsed.clauses.length === 0 && !parsed.similarTo) {
        ctx.out.err(`linernotes: "${query}" has nothing to search for; the playlist was not saved`);
        return EXIT.USAGE;
      }
      const p = repo.save(name.trim(), parsed.text);
      const now = engine.search(parsed, { limit: 1 });
      if (ctx.out.json) ctx.out.data({ ...p, matches: now.total, notes: now.notes });
      else {
        for (const n of now.notes) ctx.out.out(`note: ${n}`);
        ctx.out.out(`saved smart playlist "${p.name}" (${p.query}): ${now.total} track(s) match now; it updates as the library changes`);
      }
      return EXIT.OK;
    }
    case 'list': {
      const lists = repo.list().map((p) => ({ ...p, matches: engine.search(p.query, { limit: 1 }).total }));
      if (ctx.out.json) ctx.out.data(lists);
      else if (lists.length === 0) ctx.out.out('no smart playlists yet: linernotes playlist save <name> "<query>"');
      else for (const p of lists) ctx.out.out(`${p.name}  —  "${p.query}"  (${p.matches} track(s))`);
      return EXIT.OK;
    }
    case 'show':
    case 'export': {
      const [name] = args;
      const p = name ? repo.byName(name) : undefined;
      if (!p) {
        ctx.out.err(name ? `linernotes: no smart playlist called "${name}" (linernotes playlist list)` : 'linernotes: which playlist? linernotes playlist export <name> --format m3u8');
        return EXIT.USAGE;
      }
      const format = parseFormat(opts.format ?? (action === 'export' ? 'm3u8' : undefined));
      if (format === null) {
        ctx.out.err(`linernotes: unknown --format ${opts.format} (use ${EXPORT_FORMATS.join(', ')})`);
        return EXIT.USAGE;
      }
      const result = engine.search(p.query, { limit: MAX_LIMIT });
      if (!format) {
        if (ctx.out.json) ctx.out.data({ ...p, total: result.total, notes: result.notes, hits: result.hits });
        else {
          ctx.out.out(`"${p.name}" — ${p.query} — ${result.total} track(s)`);
          for (const l of hitLines(result.hits)) ctx.out.out(l);
        }
        return EXIT.OK;
      }
      return writeExport(ctx, exportText(format, result, { name: p.name, relativeTo: opts.relativeTo }, ctx), opts.out);
    }
    case 'remove': {
      const [name] = args;
      if (!name || !repo.remove(name)) {
        ctx.out.err(`linernotes: no smart playlist called "${name ?? ''}"`);
        return EXIT.USAGE;
      }
      ctx.out.out(`removed smart playlist "${name}"`);
      return EXIT.OK;
    }
    default:
      ctx.out.err(`linernotes: unknown playlist action "${action}" (save, list, show, export, remove)`);
      return EXIT.USAGE;
  }
}
