// `linernotes models [list|add|remove]`: the audio-language-model servers and their health;
// `linernotes deep <track-id|file>`: one deep analysis (caption, lyric sheet, answers) printed with
// the cross-check of its claims; `linernotes deep enable|disable|queue|status|retry`.
import fs from 'node:fs';
import path from 'node:path';
import { analyzeFile } from '../analysis/analyze.ts';
import { loadAnalysis, saveAnalysis } from '../analysis/libraryAnalysis.ts';
import type { TrackAnalysis } from '../analysis/types.ts';
import { configuredBackends, pickBackend } from '../deep/backends.ts';
import { deepAnalyse, type DeepResult } from '../deep/caption.ts';
import { checkDeepText, type SourcedCheck } from '../deep/check.ts';
import { tally } from '../deep/crosscheck/compare.ts';
import { PROMPT_VERSION } from '../deep/prompts.ts';
import { runDeepQueue, syncDeepQueue } from '../deep/runner.ts';
import { OpenAICompatibleBackend } from '../models/alm/openai.ts';
import { AlmError, type AlmHealth } from '../models/alm/types.ts';
import { EXIT } from './exitCodes.ts';
import type { Context } from './commands.ts';

export interface ModelsAddOptions {
  url?: string;
  model?: string;
  apiKeyEnv?: string;
  timeout?: number;
  concurrency?: number;
  maxAudio?: number;
  default?: boolean;
}

const NO_TABLES = 'this library database has no deep-analysis tables yet (store migration 8 is not registered); LINERNOTES_ALM_URL still works for `linernotes deep <file>`';

/** `linernotes models [list]`, `models add <name> --url … --model …`, `models remove <name>`. */
export async function modelsCommand(ctx: Context, action: string, args: string[], o: ModelsAddOptions): Promise<number> {
  const { store, out } = ctx;
  if (action === 'add') {
    const name = args[0];
    if (!name || !o.url || !o.model) {
      out.err('linernotes models add <name> --url <base URL, e.g. http://127.0.0.1:8080/v1> --model <model name> [--api-key-env VAR]');
      return EXIT.USAGE;
    }
    if (!store.deep.available()) return (out.err(`linernotes: ${NO_TABLES}`), EXIT.DATABASE);
    try {
      new OpenAICompatibleBackend({ name, url: o.url, model: o.model }); // validates the URL
    } catch (err) {
      out.err(`linernotes: ${(err as Error).message}`);
      return EXIT.USAGE;
    }
    if (o.apiKeyEnv && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(o.apiKeyEnv)) {
      out.err(`linernotes: --api-key-env takes the name of an environment variable, not the key itself`);
      return EXIT.USAGE;
    }
    store.deep.saveBackend({
      name,
      url: o.url,
      model: o.model,
      apiKeyEnv: o.apiKeyEnv ?? null,
      timeoutMs: o.timeout ? Math.round(o.timeout * 1000) : null,
      concurrency: o.concurrency ?? null,
      maxAudioSec: o.maxAudio ?? null,
      isDefault: !!o.default,
    });
    if (out.json) out.data({ added: name });
    else out.out(`added model server '${name}' (${o.model} at ${o.url})`);
    return EXIT.OK;
  }
  if (action === 'remove') {
    if (!args[0]) return (out.err('linernotes models remove <name>'), EXIT.USAGE);
    if (!store.deep.available() || !store.deep.removeBackend(args[0])) return (out.err(`linernotes: no saved model server named '${args[0]}'`), EXIT.USAGE);
    if (!out.json) out.out(`removed '${args[0]}'`);
    else out.data({ removed: args[0] });
    return EXIT.OK;
  }
  if (action !== 'list') {
    out.err(`linernotes: models takes list, add or remove, not '${action}'`);
    return EXIT.USAGE;
  }
  const all = configuredBackends(store);
  const health: AlmHealth[] = await Promise.all(all.map((b) => new OpenAICompatibleBackend(b.config).health()));
  const rows = all.map((b, i) => ({ ...b.config, default: b.isDefault, from: b.from, health: health[i]! }));
  if (out.json) {
    out.data(rows);
    return EXIT.OK;
  }
  if (rows.length === 0) {
    out.out('No model servers. Add one: linernotes models add flamingo --url http://127.0.0.1:8080/v1 --model nvidia/music-flamingo-2601-hf');
    out.out('(or set LINERNOTES_ALM_URL). See docs/music-flamingo.md.');
    return EXIT.OK;
  }
  for (const r of rows) {
    const h = r.health;
    const state = h.ok ? `up (${Math.round(h.ms)} ms)${h.models.length && !h.modelListed ? `; serves ${h.models.join(', ')}, not '${r.model}'` : ''}` : `${h.code}: ${h.message}`;
    out.out(`${r.default ? '*' : ' '} ${r.name}  ${r.model}  ${r.url}${r.apiKeyEnv ? `  key from $${r.apiKeyEnv}` : ''}  [${r.from}]  ${state}`);
  }
  return EXIT.OK;
}

export interface DeepCliOptions {
  model?: string;
  questions?: boolean;
  cut?: boolean;
  reasoning?: boolean;
  json?: boolean;
}

/** The cross-check as a plain table. */
export function checkTable(checks: readonly SourcedCheck[]): string[] {
  if (checks.length === 0) return ['No checkable claims (tempo, key, meter, chords, sections, duration) in the model’s text.'];
  const rows = checks.map((c) => [c.agreement, c.kind, c.source, c.claimed, c.measured ?? '—', c.confidence === null ? '' : c.confidence.toFixed(2)]);
  const head = ['agreement', 'claim', 'where', 'the model says', 'measured', 'conf'];
  const widths = head.map((h, i) => Math.min(48, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
  const fmt = (r: string[]) => r.map((x, i) => (x.length > widths[i]! ? x.slice(0, widths[i]! - 1) + '…' : x.padEnd(widths[i]!))).join('  ').trimEnd();
  const t = tally(checks);
  return [fmt(head), fmt(widths.map((w) => '─'.repeat(w))), ...rows.map(fmt), '', `${t.agrees} agree, ${t.partial} partly, ${t.disagrees} disagree, ${t.unverifiable} unverifiable`];
}

function printResult(ctx: Context, r: DeepResult, checks: SourcedCheck[], o: DeepCliOptions, where: string): void {
  const { out } = ctx;
  out.out(`Deep analysis of ${where} by ${r.model} (prompt v${r.promptVersion}, ${r.requests} requests, ${(r.ms / 1000).toFixed(1)} s)`);
  out.out('Model text: unverified except where the cross-check below agrees.');
  for (const n of r.notices) out.out(`Note: ${n}`);
  out.out('');
  out.out(r.caption);
  if (r.reasoning && o.reasoning) out.out(`\nReasoning (kept apart from the caption):\n${r.reasoning}`);
  else if (r.reasoning) out.out('\n(the model’s reasoning is stored; --reasoning prints it)');
  if (r.lyrics) out.out(`\nLyric sheet (as heard by the model):\n${r.lyrics}`);
  if (r.answers.length) {
    out.out('\nAnswers:');
    for (const a of r.answers) out.out(`  ${a.question}\n    ${a.answer.replace(/\n/g, '\n    ')}`);
  }
  out.out('\nCross-check against the measurements:');
  for (const l of checkTable(checks)) out.out(l);
}

/** `linernotes deep <track-id|file>`: runs one deep analysis now and prints it (stored for library tracks). */
export async function deepRunOne(ctx: Context, target: string, o: DeepCliOptions): Promise<number> {
  const { store, out } = ctx;
  const backend = pickBackend(store, o.model);
  if (!backend) {
    out.err(`linernotes: no model server${o.model ? ` named '${o.model}'` : ''} is configured. Add one with linernotes models add, or set LINERNOTES_ALM_URL (docs/music-flamingo.md).`);
    return EXIT.USAGE;
  }
  let trackId: number | null = null;
  let file: string;
  if (/^\d+$/.test(target)) {
    const t = store.tracks.byId(Number(target));
    if (!t) return (out.err(`linernotes: no track with id ${target}`), EXIT.USAGE);
    trackId = t.id;
    file = t.path;
  } else {
    file = path.resolve(target);
    if (!fs.existsSync(file)) return (out.err(`linernotes: no such file: ${target}`), EXIT.USAGE);
    trackId = store.tracks.byPath(file)?.id ?? null;
  }
  let analysis: TrackAnalysis | undefined = trackId === null ? undefined : loadAnalysis(store, trackId);
  if (!analysis) {
    if (!out.json) out.err('measuring the song first (the cross-check needs our measurements) …');
    try {
      analysis = await analyzeFile(file);
      if (trackId !== null) saveAnalysis(store, trackId, analysis);
    } catch (err) {
      out.err(`linernotes: cannot analyse ${file}: ${(err as Error).message}`);
      return EXIT.FILE_ERRORS;
    }
  }
  const health = await backend.health();
  if (!health.ok) {
    out.err(`linernotes: model server '${backend.config.name}' is not answering: ${health.message}`);
    return EXIT.FAILURE;
  }
  let result: DeepResult;
  try {
    result = await deepAnalyse(backend, file, {
      questions: o.questions !== false,
      long: o.cut ? 'cut' : 'chunk',
      hasVocals: trackId === null ? null : (store.analyses.summary(trackId)?.hasVocals ?? null),
    });
  } catch (err) {
    const code = err instanceof AlmError ? ` (${err.code})` : '';
    out.err(`linernotes: the deep analysis failed${code}: ${(err as Error).message}`);
    return EXIT.FAILURE;
  }
  const checks = checkDeepText(result.caption, result.answers, analysis);
  let stored = false;
  if (trackId !== null && store.deep.available()) {
    store.deep.saveCaption({
      trackId,
      backend: backend.config.name,
      model: result.model,
      promptVersion: result.promptVersion,
      createdAt: Date.now(),
      caption: result.caption,
      reasoning: result.reasoning,
      lyrics: result.lyrics,
      answers: result.answers,
      checks,
      analysisVersions: analysis.versions,
      notices: result.notices,
      durationSec: result.durationSec,
      parts: result.parts,
    });
    stored = true;
  }
  if (out.json) out.data({ trackId, file, stored, ...result, checks });
  else {
    printResult(ctx, result, checks, o, trackId === null ? file : `track ${trackId}`);
    if (!stored) out.out(trackId === null ? '\n(not in the library: nothing stored)' : `\n(not stored: ${NO_TABLES})`);
  }
  return EXIT.OK;
}

/** `linernotes deep enable|disable <root|track> <id>`, `deep queue`, `deep status`, `deep retry [ids]`. */
export async function deepCommand(ctx: Context, action: string, args: string[], o: DeepCliOptions & { signal?: AbortSignal }): Promise<number> {
  const { store, out } = ctx;
  const keyword = ['enable', 'disable', 'queue', 'status', 'retry', 'cancel'].includes(action) && !fs.existsSync(action);
  if (!keyword) return deepRunOne(ctx, action, o);
  if (!store.deep.available()) return (out.err(`linernotes: ${NO_TABLES}`), EXIT.DATABASE);
  if (action === 'enable' || action === 'disable') {
    const [scope, idText] = args;
    const id = Number(idText);
    if ((scope !== 'root' && scope !== 'track') || !Number.isInteger(id)) return (out.err(`linernotes deep ${action} root|track <id>`), EXIT.USAGE);
    if (action === 'enable') store.deep.optIn(scope, id);
    else store.deep.optOut(scope, id);
    if (!out.json) out.out(`deep analysis ${action}d for ${scope} ${id}`);
    else out.data({ [action]: { scope, id } });
    return EXIT.OK;
  }
  if (action === 'retry' || action === 'cancel') {
    const ids = args.map(Number).filter(Number.isInteger);
    const n = action === 'retry' ? store.deep.retry(ids.length ? ids : undefined) : store.deep.cancel(ids.length ? ids : undefined);
    if (!out.json) out.out(`${n} deep job${n === 1 ? '' : 's'} ${action === 'retry' ? 'queued again' : 'cancelled'}`);
    else out.data({ [action]: n });
    return EXIT.OK;
  }
  if (action === 'status') {
    const counts = store.deep.counts();
    const next = store.deep.nextRetryAt();
    const failed = store.deep.jobs('failed').map((j) => ({ trackId: j.trackId, code: j.errorCode, error: j.error }));
    const waiting = store.deep.jobs('queued').filter((j) => j.error).map((j) => ({ trackId: j.trackId, code: j.errorCode, error: j.error, nextAttemptAt: new Date(j.nextAttemptAt).toISOString() }));
    if (out.json) out.data({ counts, optIns: store.deep.optIns(), nextRetryAt: next && new Date(next).toISOString(), failed, waiting });
    else {
      out.out(`deep jobs: ${counts.queued} queued (${counts.waiting} waiting to retry), ${counts.running} running, ${counts.done} done, ${counts.failed} failed`);
      for (const w of waiting) out.out(`  track ${w.trackId}: retry at ${w.nextAttemptAt} after ${w.code}: ${w.error}`);
      for (const f of failed) out.out(`  track ${f.trackId} failed (${f.code}): ${f.error}`);
    }
    return EXIT.OK;
  }
  // queue: queue the opted-in tracks, then run the deep queue until nothing is runnable.
  const chosen = pickBackend(store, o.model);
  if (!chosen) return (out.err('linernotes: no model server is configured (linernotes models add)'), EXIT.USAGE);
  const added = syncDeepQueue(store, chosen.config.name, chosen.config.model, PROMPT_VERSION);
  const backends = new Map(configuredBackends(store).map((b) => [b.config.name, new OpenAICompatibleBackend(b.config)]));
  const sum = await runDeepQueue(store, {
    backends,
    signal: o.signal,
    deep: { questions: o.questions !== false, long: o.cut ? 'cut' : 'chunk' },
    onOutcome: (x) => {
      if (out.json) return;
      if (x.kind === 'done') out.out(`track ${x.trackId}: captioned by ${x.result.model}; ${x.checks.filter((c) => c.agreement === 'disagrees').length} claims disagree with the measurements`);
      else out.out(`track ${x.trackId}: ${x.kind === 'retry' ? 'will retry' : 'failed'} (${x.code}): ${x.error}`);
    },
  });
  if (out.json) out.data({ queued: added, ...sum, outcomes: sum.outcomes.map((x) => ({ kind: x.kind, trackId: x.trackId })) });
  else out.out(`${sum.done} done, ${sum.retrying} to retry later, ${sum.failed} failed${sum.stopped ? `; stopped: ${sum.stopped}` : ''}`);
  return sum.failed > 0 ? EXIT.FAILURE : EXIT.OK;
}
