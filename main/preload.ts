// The only bridge between the page and the app: `window.linernotes.invoke(method, args)` and
// `window.linernotes.on(event, listener)`, each checked against the service's lists of names.
// Sandboxed preloads cannot load local files, so this is bundled into one file at build time.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_NAMES, METHOD_NAMES } from '../app/service/methods.ts';
import { IPC_EVENT, IPC_INVOKE } from './security.ts';

const methods: ReadonlySet<string> = new Set(METHOD_NAMES);
const events: ReadonlySet<string> = new Set(EVENT_NAMES);

contextBridge.exposeInMainWorld('linernotes', {
  invoke(method: string, args: unknown): Promise<unknown> {
    if (typeof method !== 'string' || !methods.has(method)) return Promise.reject(new Error(`unknown method: ${String(method)}`));
    return ipcRenderer.invoke(IPC_INVOKE, method, args ?? {});
  },
  on(event: string, listener: (payload: unknown) => void): () => void {
    if (typeof event !== 'string' || !events.has(event) || typeof listener !== 'function') throw new Error(`unknown event: ${String(event)}`);
    const forward = (_e: IpcRendererEvent, message: { event: string; payload: unknown }) => {
      if (message?.event === event) listener(message.payload);
    };
    ipcRenderer.on(IPC_EVENT, forward);
    return () => void ipcRenderer.removeListener(IPC_EVENT, forward);
  },
});
