// Deep analysis in the background of `linernotes watch`: when the measured queue goes idle, queue
// the opted-in tracks that lack a current caption and run the deep queue (one job at a time). Does
// nothing, silently, without the deep tables or a configured model server.
import type { Store } from '../store/index.ts';
import { OpenAICompatibleBackend } from '../models/alm/openai.ts';
import { configuredBackends, pickBackend } from './backends.ts';
import { PROMPT_VERSION } from './prompts.ts';
import { runDeepQueue, syncDeepQueue, type DeepOutcome, type DeepRunSummary } from './runner.ts';

export interface DeepBackgroundOptions {
  env?: NodeJS.ProcessEnv;
  /** At most one look for deep work per this many ms (the measured queue says 'idle' every poll). */
  intervalMs?: number;
  now?: () => number;
  onOutcome?: (o: DeepOutcome) => void;
  /** Why a run stopped early (a server that cannot be reached): said once per run. */
  onStopped?: (why: string) => void;
}

export class DeepBackground {
  private running: Promise<DeepRunSummary | null> | null = null;
  private nextLookAt = 0;
  private readonly abort = new AbortController();

  constructor(
    private readonly store: Store,
    private readonly opts: DeepBackgroundOptions = {},
  ) {}

  /** Starts a run unless one is running or the last look was too recent; resolves with its summary (null: nothing to do). */
  kick(): Promise<DeepRunSummary | null> {
    const now = (this.opts.now ?? Date.now)();
    if (this.running) return this.running;
    if (this.abort.signal.aborted || now < this.nextLookAt) return Promise.resolve(null);
    this.nextLookAt = now + (this.opts.intervalMs ?? 60_000);
    this.running = this.run().finally(() => (this.running = null));
    return this.running;
  }

  private async run(): Promise<DeepRunSummary | null> {
    const { store, opts } = this;
    if (!store.deep.available() || store.deep.optIns().length === 0) return null;
    const chosen = pickBackend(store, undefined, opts.env);
    if (!chosen) return null;
    syncDeepQueue(store, chosen.config.name, chosen.config.model, PROMPT_VERSION);
    if (store.deep.runnableCount() === 0) return null;
    const backends = new Map(configuredBackends(store, opts.env).map((b) => [b.config.name, new OpenAICompatibleBackend(b.config, opts.env)]));
    const summary = await runDeepQueue(store, { backends, signal: this.abort.signal, onOutcome: opts.onOutcome });
    if (summary.stopped) opts.onStopped?.(summary.stopped);
    return summary;
  }

  /** Stops a run in progress (its job goes back to the queue) and waits for it. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.running?.catch(() => undefined);
  }
}
