import { describe, expect, it } from 'vitest';
import { APP_ENTRY, DESKTOP_CSP, isAllowedNavigation, isTrustedSenderUrl, secureWebPreferences } from '../../main/security.ts';
import { handleInvoke } from '../../main/ipc.ts';
import { contentSecurityPolicy } from '../../app/server/csp.ts';
import type { LibraryService } from '../../app/service/service.ts';
import type config from '../../electron.config.ts';

describe('desktop security settings', () => {
  it('trusts IPC only from the app page itself', () => {
    expect(isTrustedSenderUrl(APP_ENTRY)).toBe(true);
    expect(isTrustedSenderUrl('linernotes-app://app/index.html#/track/3')).toBe(true);
    for (const url of [
      undefined,
      '',
      'not a url',
      'https://app/index.html',
      'http://127.0.0.1:4321/',
      'file:///home/user/index.html',
      'linernotes-app://evil/index.html',
      'linernotes-app://app.evil.example/index.html',
      'linernotes-app://user:pw@app/index.html',
      'linernotes-app://app:8080/index.html',
      'linernotes-media://track/1',
      'devtools://devtools/bundled/inspector.html',
    ]) {
      expect(isTrustedSenderUrl(url), String(url)).toBe(false);
    }
    expect(isAllowedNavigation('https://example.com/')).toBe(false);
  });

  it('has a strict CSP: own scripts only, no eval, no framing, audio from the media scheme', () => {
    const directives = new Map(DESKTOP_CSP.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(DESKTOP_CSP).not.toMatch(/unsafe-eval/);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('media-src')).toEqual(["'self'", 'linernotes-media:']);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(contentSecurityPolicy({ connect: ['ws://127.0.0.1:1'] })).toContain("connect-src 'self' ws://127.0.0.1:1");
  });

  it('opens windows isolated and sandboxed, without Node', () => {
    expect(secureWebPreferences('/x/preload.cjs')).toMatchObject({
      preload: '/x/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
    });
  });

  it('refuses a call from any other frame before it reaches the service', async () => {
    let called = 0;
    const service = { api: { 'roots.list': async () => (called++, []) }, subscribe: () => () => undefined } as unknown as LibraryService;
    expect(await handleInvoke(service, 'https://evil.example/', 'roots.list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(called).toBe(0);
    expect(await handleInvoke(service, APP_ENTRY, 'roots.list', {})).toEqual({ ok: true, result: [] });
    expect(await handleInvoke(service, APP_ENTRY, 'fs.readFile', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });

  it('packages AppImage, deb, dmg and NSIS with the native modules outside the asar', async () => {
    const cfg: typeof config = (await import('../../electron.config.ts')).default;
    expect(cfg.linux.target).toEqual(['AppImage', 'deb']);
    expect(cfg.mac.target).toEqual(['dmg']);
    expect(cfg.win.target).toEqual(['nsis']);
    for (const m of ['better-sqlite3', 'sqlite-vec', 'onnxruntime-node']) expect(cfg.asarUnpack).toContain(`node_modules/${m}/**/*`);
  });
});
