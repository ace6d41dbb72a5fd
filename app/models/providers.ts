// Which ONNX Runtime execution provider to use: the fastest one this platform and this
// onnxruntime-node binary offer, tried in order, with CPU as the fallback that always works.

export type ProviderName = 'cuda' | 'dml' | 'coreml' | 'webgpu' | 'cpu';

/** What onnxruntime-node's listSupportedBackends() says about one backend. */
export interface BackendInfo {
  name: string;
  bundled: boolean;
}

/** Preference order: CUDA, DirectML (Windows), CoreML (macOS), WebGPU, then CPU. */
const PREFERENCE: ProviderName[] = ['cuda', 'dml', 'coreml', 'webgpu', 'cpu'];

/**
 * The providers worth trying, best first, always ending with 'cpu'. A provider is a candidate when
 * the binary lists it for this platform (CUDA is listed even when its libraries are not bundled:
 * it is tried and falls back if they are missing). `only` (from a setting such as
 * LINERNOTES_EXECUTION_PROVIDERS=cpu) restricts the list.
 */
export function candidateProviders(platform: NodeJS.Platform, supported: BackendInfo[], only?: ProviderName[]): ProviderName[] {
  const listed = new Set(supported.map((b) => b.name));
  const available = (p: ProviderName): boolean => {
    if (p === 'cpu') return true;
    if (p === 'dml') return platform === 'win32' && listed.has('dml');
    if (p === 'coreml') return platform === 'darwin' && listed.has('coreml');
    return listed.has(p);
  };
  const list = PREFERENCE.filter((p) => available(p) && (!only || only.length === 0 || only.includes(p)));
  return list.includes('cpu') ? list : [...list, 'cpu'];
}

/** Parses a comma-separated provider setting ('cuda,cpu'); unknown names are an error. */
export function parseProviderSetting(value: string | undefined): ProviderName[] | undefined {
  if (!value) return undefined;
  const names = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const n of names) {
    if (!(PREFERENCE as string[]).includes(n)) throw new Error(`unknown execution provider "${n}" (known: ${PREFERENCE.join(', ')})`);
  }
  return names as ProviderName[];
}
