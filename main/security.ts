// The desktop window's security settings as pure values, unit-tested without Electron: the app's
// own URL scheme, which senders may call the service, the CSP, and the BrowserWindow preferences.
import { contentSecurityPolicy } from '../app/server/csp.ts';

/** The renderer is loaded from this privileged scheme (never file://, never http). */
export const APP_SCHEME = 'linernotes-app';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;
/** Audio of library tracks: linernotes-media://track/<id>, with byte ranges. */
export const MEDIA_SCHEME = 'linernotes-media';

/** Whether an IPC message comes from our own page (its frame URL is on the app's origin). */
export function isTrustedSenderUrl(frameUrl: string | undefined | null): boolean {
  if (!frameUrl) return false;
  try {
    const u = new URL(frameUrl);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '' && u.port === '';
  } catch {
    return false;
  }
}

/** Navigation inside the window is allowed only to the app's own pages. */
export const isAllowedNavigation = (url: string): boolean => isTrustedSenderUrl(url);

/** The CSP sent with every page of the desktop app. */
export const DESKTOP_CSP = contentSecurityPolicy({ media: [`${MEDIA_SCHEME}:`] });

/** BrowserWindow web preferences: isolated, sandboxed, no Node in the page. */
export function secureWebPreferences(preloadPath: string) {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    spellcheck: false,
  } as const;
}

/** IPC channel names between preload and main. */
export const IPC_INVOKE = 'linernotes:invoke';
export const IPC_EVENT = 'linernotes:event';
