// The Electron main process: one window running the renderer from the app's own scheme, the service
// over IPC, audio through linernotes-media://. Everything the page may do goes through the preload
// bridge; navigation, new windows and permission requests are refused.
import path from 'node:path';
import { app, BrowserWindow, ipcMain, protocol, session, shell, webContents } from 'electron';
import { openStore, type Store } from '../app/store/index.ts';
import { defaultDataDir } from '../app/util/dataDir.ts';
import { createLibraryService, type LibraryService } from '../app/service/service.ts';
import { appRootDir } from '../app/server/static.ts';
import { handleAppRequest, handleMediaRequest } from './protocols.ts';
import { spawnUtilityWorker } from './utilityWorker.ts';
import { registerIpc } from './ipc.ts';
import { APP_ENTRY, APP_SCHEME, MEDIA_SCHEME, isAllowedNavigation, secureWebPreferences } from './security.ts';

protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } },
]);

let store: Store | undefined;
let mainWindow: BrowserWindow | undefined;
let service: LibraryService | undefined;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 720,
    minHeight: 480,
    title: 'Linernotes',
    show: false,
    webPreferences: secureWebPreferences(path.join(import.meta.dirname, 'preload.cjs')),
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_ENTRY);
  return win;
}

/** Every page the app ever creates: no navigation away, no new windows, no permissions. */
app.on('web-contents-created', (_e, contents) => {
  contents.on('will-navigate', (e, url) => {
    if (!isAllowedNavigation(url)) e.preventDefault();
  });
  contents.on('will-redirect', (e, url) => {
    if (!isAllowedNavigation(url)) e.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    // Links to the web open in the user's browser, never inside the app.
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (e) => e.preventDefault());
});

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });

  void app.whenReady().then(() => {
    const dataDir = process.env.LINERNOTES_DATA_DIR ?? defaultDataDir();
    store = openStore(dataDir);
    // The analysis queue's workers are utilityProcesses running the bundled worker (a crashed one is restarted by the worker client).
    const workerEntry = path.join(import.meta.dirname, 'analysis-worker.js');
    service = createLibraryService(store, { dataDir, appVersion: app.getVersion(), queue: { spawn: () => spawnUtilityWorker(workerEntry) } });
    const rendererDir = path.join(appRootDir(), 'renderer', 'dist');
    const openStoreNow = store;
    protocol.handle(APP_SCHEME, (request) => handleAppRequest(rendererDir, request));
    protocol.handle(MEDIA_SCHEME, (request) => handleMediaRequest(openStoreNow, request));
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    registerIpc(ipcMain, service, () => webContents.getAllWebContents());
    mainWindow = createWindow();
    service.startQueue();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // Stop the workers first (running jobs go back in the queue), then close the database.
  let quitting = false;
  app.on('will-quit', (e) => {
    if (quitting) return;
    quitting = true;
    e.preventDefault();
    void (service?.close() ?? Promise.resolve()).finally(() => {
      store?.close();
      app.quit();
    });
  });
}
