// The runtime list of service method and event names: what the transports accept (HTTP server,
// Electron preload and main). The type check below fails when api.ts gains a method not listed here.
import type { EventName, MethodName } from './api.ts';

export const METHOD_NAMES = [
  'library.stats',
  'roots.list',
  'roots.add',
  'roots.remove',
  'scan.start',
  'tracks.page',
  'tracks.get',
  'tracks.artwork',
  'analysis.run',
  'analysis.get',
  'analysis.export',
  'settings.get',
  'settings.models',
  'search.query',
  'search.facets',
  'playlists.list',
  'playlists.save',
  'playlists.open',
  'playlists.remove',
  'playlists.export',
  'chat.ask',
  'chat.conversations',
  'chat.history',
  'queue.status',
  'queue.pause',
  'queue.resume',
  'queue.retry',
  'queue.cancel',
  'queue.bump',
  'queue.setConcurrency',
  'queue.setTranscribe',
  'deep.backends',
  'deep.addBackend',
  'deep.removeBackend',
  'deep.optIn',
  'deep.optOut',
  'deep.caption',
] as const satisfies readonly MethodName[];

export const EVENT_NAMES = ['scan.progress', 'scan.done', 'queue.progress', 'library.changed'] as const satisfies readonly EventName[];

// Compile-time completeness: every name in the API is in the lists above.
type Missing<All, Listed> = Exclude<All, Listed>;
const _allMethodsListed: Missing<MethodName, (typeof METHOD_NAMES)[number]> extends never ? true : never = true;
const _allEventsListed: Missing<EventName, (typeof EVENT_NAMES)[number]> extends never ? true : never = true;
void _allMethodsListed;
void _allEventsListed;

const methodSet: ReadonlySet<string> = new Set(METHOD_NAMES);

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && methodSet.has(name);
}
