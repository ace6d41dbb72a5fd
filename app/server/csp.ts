// The Content-Security-Policy of the UI, shared by `linernotes serve` and the Electron window.
// Scripts only from the app itself; no eval, no plugins, no framing; audio only from our own source.

export interface CspOptions {
  /** Where API calls and events go besides 'self' (e.g. the WebSocket URL of serve). */
  connect?: string[];
  /** Where audio comes from besides 'self' (e.g. the Electron media protocol). */
  media?: string[];
}

export function contentSecurityPolicy(o: CspOptions = {}): string {
  const directives: [string, string[]][] = [
    ['default-src', ["'none'"]],
    ['script-src', ["'self'"]],
    // Svelte sets element styles (row positions of the virtual table); no external styles.
    ['style-src', ["'self'", "'unsafe-inline'"]],
    ['img-src', ["'self'", 'data:', 'blob:']],
    ['font-src', ["'self'"]],
    ['connect-src', ["'self'", ...(o.connect ?? [])]],
    ['media-src', ["'self'", ...(o.media ?? [])]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
  ];
  return directives.map(([k, v]) => `${k} ${v.join(' ')}`).join('; ');
}
