// Service calls over Electron IPC: one handler, every sender checked (its frame must be our page),
// events pushed to every window of the app.
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { LibraryService } from '../app/service/service.ts';
import { dispatch, type CallOutcome } from '../app/service/dispatch.ts';
import { IPC_EVENT, IPC_INVOKE, isTrustedSenderUrl } from './security.ts';

/** Handles one invoke: refused unless the sending frame is the app's own page. */
export async function handleInvoke(service: LibraryService, senderFrameUrl: string | undefined, method: unknown, args: unknown): Promise<CallOutcome> {
  if (!isTrustedSenderUrl(senderFrameUrl)) {
    return { ok: false, error: { name: 'ServiceError', code: 'FORBIDDEN', message: 'calls are accepted only from the Linernotes window' } };
  }
  return dispatch(service.api, method, args);
}

export function registerIpc(ipcMain: IpcMain, service: LibraryService, windows: () => WebContents[]): () => void {
  ipcMain.handle(IPC_INVOKE, (e: IpcMainInvokeEvent, method: unknown, args: unknown) => handleInvoke(service, e.senderFrame?.url, method, args));
  const unsubscribe = service.subscribe((event, payload) => {
    for (const wc of windows()) if (!wc.isDestroyed() && isTrustedSenderUrl(wc.getURL())) wc.send(IPC_EVENT, { event, payload });
  });
  return () => {
    ipcMain.removeHandler(IPC_INVOKE);
    unsubscribe();
  };
}
