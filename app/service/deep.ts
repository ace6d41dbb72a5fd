// Deep captions (app/deep) as the service offers them: the configured audio-language-model servers
// with their health, adding and removing one (the API key stays in the environment: only the
// variable's name is stored), opting a music folder or a track in or out, and a track's newest
// caption with the cross-check of each claim, disagreements first. Model text is always marked
// unverified; nothing here runs a model.
import type { Store } from '../store/index.ts';
import { configuredBackends, pickBackend } from '../deep/backends.ts';
import { captionSource, disagreementLines } from '../deep/sources.ts';
import type { SourcedCheck } from '../deep/check.ts';
import { PROMPT_VERSION } from '../deep/prompts.ts';
import { OpenAICompatibleBackend } from '../models/alm/openai.ts';
import { AlmError } from '../models/alm/types.ts';
import type { CaptionCheckView, DeepTrackView, ModelServerView, ServiceMethods } from './api.ts';
import { ServiceError } from './errors.ts';

export interface DeepMethodsOptions {
  /** Where LINERNOTES_ALM_URL and the API-key variables are read (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Time limit of one health check (ms; default 3000). */
  healthTimeoutMs?: number;
}

type Args<M extends keyof ServiceMethods> = ServiceMethods[M]['args'];
type Result<M extends keyof ServiceMethods> = ServiceMethods[M]['result'];

const NO_TABLES = 'this library database has no deep-analysis tables (store migration 8)';
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ORDER: Record<CaptionCheckView['agreement'], number> = { disagrees: 0, partial: 1, unverifiable: 2, agrees: 3 };

const text = (v: unknown, name: string, max = 500): string => {
  if (typeof v !== 'string' || !v.trim()) throw new ServiceError('BAD_ARGS', `give the ${name}`);
  if (v.length > max || /[\r\n]/.test(v)) throw new ServiceError('BAD_ARGS', `the ${name} is one line of at most ${max} characters`);
  return v.trim();
};

const positiveId = (v: unknown, name: string): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ServiceError('BAD_ARGS', `${name} must be a positive whole number`);
  return v;
};

/** Every claim's check, disagreements first, then partial, unverifiable and agreeing ones (stable within each). */
export function sortedChecks(checks: readonly SourcedCheck[]): CaptionCheckView[] {
  return checks
    .map((c, i) => ({ c, i }))
    .sort((a, b) => ORDER[a.c.agreement] - ORDER[b.c.agreement] || a.i - b.i)
    .map(({ c }) => ({
      kind: c.kind,
      source: c.source,
      quote: c.quote,
      claimed: c.claimed,
      measured: c.measured,
      confidence: c.confidence,
      agreement: c.agreement,
      relation: c.relation,
      message: c.message,
    }));
}

/** The deep-caption methods over one store. */
export function deepMethods(store: Store, opts: DeepMethodsOptions = {}) {
  const env = opts.env ?? process.env;
  const tables = () => {
    if (!store.deep.available()) throw new ServiceError('NOT_FOUND', NO_TABLES);
  };
  const optScope = (scope: unknown, id: unknown): { scope: 'root' | 'track'; id: number } => {
    if (scope !== 'root' && scope !== 'track') throw new ServiceError('BAD_ARGS', "scope must be 'root' or 'track'");
    const n = positiveId(id, 'id');
    if (scope === 'track' && !store.tracks.byId(n)) throw new ServiceError('NOT_FOUND', `no track with id ${n}`);
    if (scope === 'root' && !store.roots.list().some((r) => r.id === n)) throw new ServiceError('NOT_FOUND', `no music folder with id ${n}`);
    return { scope, id: n };
  };

  return {
    async backends(): Promise<Result<'deep.backends'>> {
      const all = configuredBackends(store, env);
      const timeoutMs = opts.healthTimeoutMs ?? 3000;
      return Promise.all(
        all.map(async (b): Promise<ModelServerView> => {
          const health = await new OpenAICompatibleBackend({ ...b.config, timeoutMs, attempts: 1 }, env).health();
          return {
            name: b.config.name,
            url: b.config.url,
            model: b.config.model,
            apiKeyEnv: b.config.apiKeyEnv ?? null,
            apiKeySet: !!(b.config.apiKeyEnv && env[b.config.apiKeyEnv]),
            isDefault: b.isDefault,
            from: b.from,
            health: health.ok
              ? { ok: true, ms: Math.round(health.ms), models: health.models, modelListed: health.modelListed }
              : { ok: false, code: health.code, message: health.message, ms: Math.round(health.ms) },
          };
        }),
      );
    },

    addBackend(a: Args<'deep.addBackend'>): Result<'deep.addBackend'> {
      tables();
      const name = text(a.name, 'server name', 80);
      const url = text(a.url, 'server URL');
      const model = text(a.model, 'model name', 200);
      const keyEnv = a.apiKeyEnv === undefined || a.apiKeyEnv === null || a.apiKeyEnv === '' ? null : text(a.apiKeyEnv, 'API-key variable name', 100);
      if (keyEnv !== null && !ENV_NAME.test(keyEnv)) {
        throw new ServiceError('BAD_ARGS', 'give the name of the environment variable that holds the API key (letters, digits and _), never the key itself');
      }
      try {
        new OpenAICompatibleBackend({ name, url, model }); // checks the URL
      } catch (err) {
        throw new ServiceError('BAD_ARGS', err instanceof AlmError ? err.message : String(err));
      }
      store.deep.saveBackend({ name, url, model, apiKeyEnv: keyEnv, timeoutMs: null, concurrency: null, maxAudioSec: null });
      return { added: name };
    },

    removeBackend(a: Args<'deep.removeBackend'>): Result<'deep.removeBackend'> {
      tables();
      const name = text(a.name, 'server name', 80);
      if (!store.deep.removeBackend(name)) {
        const fromEnv = configuredBackends(store, env).some((b) => b.from === 'environment' && b.config.name === name);
        throw new ServiceError('NOT_FOUND', fromEnv ? `'${name}' comes from LINERNOTES_ALM_URL: unset that variable to remove it` : `no saved model server named '${name}'`);
      }
      return { removed: name };
    },

    /** Opts in and queues the deep jobs for the default server (they run in `linernotes watch` or `linernotes deep queue`). */
    async optIn(a: Args<'deep.optIn'>): Promise<Result<'deep.optIn'>> {
      tables();
      const { scope, id } = optScope(a.scope, a.id);
      const backend = pickBackend(store, undefined, env);
      if (!backend) throw new ServiceError('NOT_FOUND', 'no model server is configured: add one in Settings first');
      // The runner (and the audio decoder it imports) loads on the first opt-in, not at serve start.
      const { syncDeepQueue } = await import('../deep/runner.ts');
      store.deep.optIn(scope, id);
      return { queued: syncDeepQueue(store, backend.config.name, backend.config.model, PROMPT_VERSION) };
    },

    /** Opts out and cancels the queued deep jobs it covered; stored captions stay. */
    optOut(a: Args<'deep.optOut'>): Result<'deep.optOut'> {
      tables();
      const { scope, id } = optScope(a.scope, a.id);
      const removed = store.deep.optOut(scope, id);
      // Cancel the jobs of tracks no longer opted in, themselves or through their folder.
      const opted = store.deep.optIns();
      const stillIn = (trackId: number, rootId: number) => opted.some((o) => (o.scope === 'track' && o.id === trackId) || (o.scope === 'root' && o.id === rootId));
      const covered = scope === 'track' ? [store.tracks.byId(id)!] : store.tracks.list().filter((t) => t.rootId === id);
      return { removed, cancelled: store.deep.cancel(covered.filter((t) => !stillIn(t.id, t.rootId)).map((t) => t.id)) };
    },

    caption(a: Args<'deep.caption'>): Result<'deep.caption'> {
      const trackId = positiveId(a.trackId, 'trackId');
      const track = store.tracks.byId(trackId);
      if (!track) throw new ServiceError('NOT_FOUND', `no track with id ${trackId}`);
      const backends = configuredBackends(store, env).length;
      if (!store.deep.available()) return { backends, caption: null, optedIn: { track: false, root: false }, job: null };
      const opted = store.deep.optIns();
      const job = store.deep.jobForTrack(trackId);
      const view: DeepTrackView = {
        backends,
        caption: null,
        optedIn: { track: opted.some((o) => o.scope === 'track' && o.id === trackId), root: opted.some((o) => o.scope === 'root' && o.id === track.rootId) },
        job: job ? { state: job.state, error: job.error, attempts: job.attempts, nextAttemptAt: job.nextAttemptAt } : null,
      };
      const src = captionSource(store, trackId);
      const stored = store.deep.captions(trackId)[0];
      if (!src || !stored) return view;
      const lines = disagreementLines(store, trackId);
      view.caption = {
        trackId,
        model: src.model,
        backend: stored.backend,
        createdAt: src.createdAt,
        promptVersion: src.promptVersion,
        caption: src.caption,
        lyrics: src.lyrics,
        answers: src.answers,
        tally: src.tally,
        disagreements: [...lines.filter((l) => l.agreement === 'disagrees'), ...lines.filter((l) => l.agreement === 'partial')],
        checks: sortedChecks(stored.checks as SourcedCheck[]),
        notices: stored.notices,
        text: src.text,
      };
      return view;
    },
  };
}
