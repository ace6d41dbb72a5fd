// Hash routes (#/library, #/track/12, #/track/12/at/83 (play from 1:23), #/chat, #/queue, #/playlists, #/playlist/<name>, #/settings): they work the same from serve and from Electron.

export type Route = { page: 'library' } | { page: 'track'; id: number; at?: number } | { page: 'chat' } | { page: 'queue' } | { page: 'playlists' } | { page: 'playlist'; name: string } | { page: 'settings' };

export function parseRoute(hash: string): Route {
  const m = /^#\/track\/(\d+)(?:\/at\/(\d+(?:\.\d+)?))?$/.exec(hash);
  if (m) return m[2] === undefined ? { page: 'track', id: Number(m[1]) } : { page: 'track', id: Number(m[1]), at: Number(m[2]) };
  if (hash === '#/chat') return { page: 'chat' };
  if (hash === '#/settings') return { page: 'settings' };
  if (hash === '#/queue') return { page: 'queue' };
  if (hash === '#/playlists') return { page: 'playlists' };
  const p = /^#\/playlist\/(.+)$/.exec(hash);
  if (p) {
    try {
      return { page: 'playlist', name: decodeURIComponent(p[1]!) };
    } catch {
      return { page: 'playlists' };
    }
  }
  return { page: 'library' };
}

export const routeHref = (r: Route): string =>
  r.page === 'track' ? `#/track/${r.id}${r.at === undefined ? '' : `/at/${Math.floor(r.at)}`}` : r.page === 'playlist' ? `#/playlist/${encodeURIComponent(r.name)}` : `#/${r.page}`;

class Router {
  current: Route = $state(parseRoute(typeof location === 'undefined' ? '' : location.hash));
  constructor() {
    if (typeof window !== 'undefined') window.addEventListener('hashchange', () => (this.current = parseRoute(location.hash)));
  }
  go(r: Route): void {
    location.hash = routeHref(r);
  }
}

export const router = new Router();
