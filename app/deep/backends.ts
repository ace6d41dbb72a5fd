// The configured audio-language-model servers: those saved with `linernotes models add` (store,
// migration 8), plus one from the environment: LINERNOTES_ALM_URL (and LINERNOTES_ALM_MODEL,
// default 'nvidia/music-flamingo-2601-hf'; LINERNOTES_ALM_API_KEY if the server wants a key).
import type { Store } from '../store/index.ts';
import { OpenAICompatibleBackend } from '../models/alm/openai.ts';
import type { AlmBackend, AlmBackendConfig } from '../models/alm/types.ts';

export const DEFAULT_ALM_MODEL = 'nvidia/music-flamingo-2601-hf';
export const ENV_BACKEND_NAME = 'env';

export interface ConfiguredBackend {
  config: AlmBackendConfig;
  isDefault: boolean;
  /** 'settings' (saved in the library) or 'environment'. */
  from: 'settings' | 'environment';
}

export function backendFromEnv(env: NodeJS.ProcessEnv = process.env): AlmBackendConfig | null {
  const url = env.LINERNOTES_ALM_URL?.trim();
  if (!url) return null;
  return {
    name: ENV_BACKEND_NAME,
    url,
    model: env.LINERNOTES_ALM_MODEL?.trim() || DEFAULT_ALM_MODEL,
    apiKeyEnv: env.LINERNOTES_ALM_API_KEY ? 'LINERNOTES_ALM_API_KEY' : null,
  };
}

/** Every configured backend, the default first (the environment's when none is saved as default). */
export function configuredBackends(store: Store, env: NodeJS.ProcessEnv = process.env): ConfiguredBackend[] {
  const saved: ConfiguredBackend[] = store.deep.available()
    ? store.deep.backends().map((b) => ({
        config: {
          name: b.name,
          url: b.url,
          model: b.model,
          apiKeyEnv: b.apiKeyEnv,
          ...(b.timeoutMs ? { timeoutMs: b.timeoutMs } : {}),
          ...(b.concurrency ? { concurrency: b.concurrency } : {}),
          ...(b.maxAudioSec ? { maxAudioSec: b.maxAudioSec } : {}),
        },
        isDefault: b.isDefault,
        from: 'settings' as const,
      }))
    : [];
  const fromEnv = backendFromEnv(env);
  const all = [...saved];
  if (fromEnv && !saved.some((b) => b.config.name.toLowerCase() === ENV_BACKEND_NAME)) all.push({ config: fromEnv, isDefault: saved.length === 0, from: 'environment' });
  return all;
}

/** The backend named `name`, or the default; null when none is configured. */
export function pickBackend(store: Store, name?: string, env: NodeJS.ProcessEnv = process.env): AlmBackend | null {
  const all = configuredBackends(store, env);
  const b = name ? all.find((x) => x.config.name.toLowerCase() === name.toLowerCase()) : (all.find((x) => x.isDefault) ?? all[0]);
  return b ? new OpenAICompatibleBackend(b.config, env) : null;
}
