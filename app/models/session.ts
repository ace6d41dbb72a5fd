// ONNX Runtime sessions for the shipped models: manifest check before load, execution-provider
// choice with clean fallback, thread settings, and one cached session per (model file, options).
import os from 'node:os';
import * as ort from 'onnxruntime-node';
import { defaultModelsDir, findModel, loadManifest, ModelIntegrityError, verifyModelFile, type ModelManifestEntry } from './manifest.ts';
import { candidateProviders, parseProviderSetting, type ProviderName } from './providers.ts';

export interface SessionOptions {
  /** Intra-op threads; default defaultIntraOpThreads(). */
  threads?: number;
  /** Restrict the providers tried (default: LINERNOTES_EXECUTION_PROVIDERS, else all available). */
  providers?: ProviderName[];
  modelsDir?: string;
  /** Where the provider choice is reported (default: stderr). */
  log?: (line: string) => void;
}

export interface LoadedModel {
  entry: ModelManifestEntry;
  session: ort.InferenceSession;
  /** The provider the session runs on. */
  provider: ProviderName;
  /** Providers tried before it, with why they could not be used. */
  fellBack: { provider: ProviderName; error: string }[];
  threads: number;
  loadMs: number;
}

/** Default intra-op threads: every core but one (the decoder and the other analysers need one), at least 1. */
export function defaultIntraOpThreads(cores: number = os.availableParallelism()): number {
  const fromEnv = Number(process.env.LINERNOTES_MODEL_THREADS);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  return Math.max(1, cores - 1);
}

ort.env.logLevel = 'fatal'; // failed provider probes are reported by us, with the reason, not as ORT error dumps

const cache = new Map<string, Promise<LoadedModel>>();
/** Providers that failed to start in this process, with why: not probed again (a failed probe can take a second). */
const unavailable = new Map<ProviderName, string>();

/** The session of a model from the manifest, created once per (file, threads, providers). */
export function getModelSession(name: string, options: SessionOptions = {}): Promise<LoadedModel> {
  const modelsDir = options.modelsDir ?? defaultModelsDir();
  const threads = options.threads ?? defaultIntraOpThreads();
  const only = options.providers ?? parseProviderSetting(process.env.LINERNOTES_EXECUTION_PROVIDERS);
  const key = JSON.stringify([modelsDir, name, threads, only ?? null]);
  let loaded = cache.get(key);
  if (!loaded) {
    loaded = loadModel(name, modelsDir, threads, only, options.log ?? ((l) => process.stderr.write(`linernotes: ${l}\n`)));
    cache.set(key, loaded);
    loaded.catch(() => cache.delete(key));
  }
  return loaded;
}

/** Releases every cached session (tests, shutdown). */
export async function releaseModelSessions(): Promise<void> {
  const all = [...cache.values()];
  cache.clear();
  for (const p of all) {
    const m = await p.catch(() => null);
    await m?.session.release();
  }
}

async function loadModel(name: string, modelsDir: string, threads: number, only: ProviderName[] | undefined, log: (line: string) => void): Promise<LoadedModel> {
  const started = performance.now();
  const entry = findModel(loadManifest(modelsDir), name);
  const file = verifyModelFile(entry, modelsDir);
  const candidates = candidateProviders(process.platform, ort.listSupportedBackends(), only);
  const fellBack: LoadedModel['fellBack'] = [];
  for (const provider of candidates) {
    const earlier = unavailable.get(provider);
    if (earlier) {
      fellBack.push({ provider, error: earlier });
      continue;
    }
    try {
      const session = await ort.InferenceSession.create(file, {
        executionProviders: provider === 'cpu' ? ['cpu'] : [provider, 'cpu'],
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
        logSeverityLevel: 3,
      });
      checkTensorNames(entry, session);
      const loadMs = performance.now() - started;
      const note = fellBack.length ? ` (after ${fellBack.map((f) => `${f.provider}: ${f.error}`).join('; ')})` : '';
      log(`model ${entry.name} ${entry.version} on ${provider}, ${threads} thread(s), loaded in ${loadMs.toFixed(0)} ms${note}`);
      return { entry, session, provider, fellBack, threads, loadMs };
    } catch (err) {
      if (err instanceof ModelIntegrityError) throw err;
      const error = firstLine((err as Error).message);
      if (provider !== 'cpu') unavailable.set(provider, error);
      fellBack.push({ provider, error });
    }
  }
  throw new Error(`model ${name}: no execution provider could load it (${fellBack.map((f) => `${f.provider}: ${f.error}`).join('; ')})`);
}

/** The session's tensor names must be the manifest's: a clear error instead of a wrong-input crash later. */
function checkTensorNames(entry: ModelManifestEntry, session: ort.InferenceSession): void {
  const want = (l: { name: string }[]) => l.map((t) => t.name).sort().join(',');
  const inputs = [...session.inputNames].sort().join(',');
  const outputs = [...session.outputNames].sort().join(',');
  if (inputs !== want(entry.inputs) || outputs !== want(entry.outputs)) {
    throw new ModelIntegrityError('MANIFEST_INVALID', `model ${entry.name}: file has inputs [${inputs}] and outputs [${outputs}], the manifest says [${want(entry.inputs)}] and [${want(entry.outputs)}]`);
  }
}

const firstLine = (s: string): string => (s.split('\n').find((l) => l.trim()) ?? s).slice(0, 200);

export { ort };
