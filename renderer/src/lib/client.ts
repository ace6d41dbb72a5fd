// The renderer's one view of the service API, over either transport: HTTP + WebSocket when served by
// `linernotes serve`, or the Electron preload bridge. Components only ever see `ServiceClient`.
import type { EventName, MethodArgs, MethodName, MethodResult, ServiceErrorInfo, ServiceEvents } from '../../../app/service/api.ts';

export interface ServiceClient {
  call<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>>;
  on<E extends EventName>(event: E, listener: (payload: ServiceEvents[E]) => void): () => void;
  /** A URL the <audio> element can play (range requests supported). */
  audioUrl(trackId: number): string;
  readonly transport: 'http' | 'ipc';
}

/** What main/preload.ts exposes as `window.linernotes`. */
export interface PreloadBridge {
  invoke(method: string, args: unknown): Promise<{ ok: true; result: unknown } | { ok: false; error: ServiceErrorInfo }>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

export class ServiceCallError extends Error {
  override name = 'ServiceCallError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Listeners = Map<string, Set<(payload: unknown) => void>>;

function emitTo(listeners: Listeners, event: string, payload: unknown): void {
  for (const l of listeners.get(event) ?? []) l(payload);
}

function addListener(listeners: Listeners, event: string, listener: (payload: never) => void): () => void {
  let set = listeners.get(event);
  if (!set) listeners.set(event, (set = new Set()));
  set.add(listener as (payload: unknown) => void);
  return () => set.delete(listener as (payload: unknown) => void);
}

/** The HTTP transport: POST /api/<method> (the session cookie authenticates), events over /events. */
export function httpClient(base: { origin: string; host: string; protocol: string }, fetchImpl: typeof fetch = fetch): ServiceClient {
  const listeners: Listeners = new Map();
  let socket: WebSocket | null = null;
  let retryMs = 250;
  const connect = () => {
    if (typeof WebSocket === 'undefined') return;
    socket = new WebSocket(`${base.protocol === 'https:' ? 'wss' : 'ws'}://${base.host}/events`);
    socket.onmessage = (m) => {
      const { event, payload } = JSON.parse(String(m.data)) as { event: string; payload: unknown };
      emitTo(listeners, event, payload);
    };
    socket.onopen = () => (retryMs = 250);
    socket.onclose = () => {
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
  };
  return {
    transport: 'http',
    async call(method, args) {
      const res = await fetchImpl(`${base.origin}/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        credentials: 'same-origin',
        body: JSON.stringify(args ?? {}),
      });
      const type = res.headers.get('content-type') ?? '';
      if (!type.startsWith('application/json')) throw new ServiceCallError(String(res.status), (await res.text()) || res.statusText);
      const body = (await res.json()) as { ok: true; result: never } | { ok: false; error: ServiceErrorInfo };
      if (!body.ok) throw new ServiceCallError(body.error.code, body.error.message);
      return body.result;
    },
    on(event, listener) {
      if (!socket) connect();
      return addListener(listeners, event, listener);
    },
    audioUrl: (trackId) => `${base.origin}/audio/${trackId}`,
  };
}

/** The Electron transport: the preload bridge's invoke/on; audio through the app's media protocol. */
export function ipcClient(bridge: PreloadBridge): ServiceClient {
  return {
    transport: 'ipc',
    async call(method, args) {
      const out = await bridge.invoke(method, args ?? {});
      if (!out.ok) throw new ServiceCallError(out.error.code, out.error.message);
      return out.result as never;
    },
    on(event, listener) {
      return bridge.on(event, listener as (payload: unknown) => void);
    },
    audioUrl: (trackId) => `linernotes-media://track/${trackId}`,
  };
}

/** The client for this page: the preload bridge when running in the desktop app, else HTTP. */
export function defaultClient(): ServiceClient {
  const bridge = (globalThis as { linernotes?: PreloadBridge }).linernotes;
  return bridge ? ipcClient(bridge) : httpClient(location);
}
