// The one typed service API the UI talks to, whatever the transport (HTTP + WebSocket for
// `linernotes serve`, Electron IPC for the desktop app). Types only: the renderer imports this
// file with `import type`; the runtime list of method names is in methods.ts.
import type {
  ChordQuality,
  DeviceKind,
  FormResult,
  HarmonicFunction,
  Insight,
  LoudnessResult,
  Meter,
  SoundResult,
  DescriptorResult,
} from '../analysis/types.ts';
import type { JamsDocument } from '../analysis/jams.ts';
import type { TempoSpan } from '../analysis/rhythm/span.ts';

/** A music folder as the UI shows it. */
export interface RootInfo {
  id: number;
  path: string;
  /** 'offline': the folder could not be reached at the last scan or check; nothing under it changes. */
  status: 'online' | 'offline';
  lastScanAt: number | null;
  trackCount: number;
}

export type TrackSortKey = 'title' | 'artist' | 'album' | 'year' | 'genre' | 'duration' | 'bpm' | 'key' | 'added' | 'path';

export interface TrackFilter {
  /** Words that must all appear in title, artist, album or genre (case-insensitive). */
  text?: string;
  rootId?: number;
  status?: 'present' | 'missing';
}

export interface TrackPageQuery {
  offset: number;
  /** At most 1000 rows per page. */
  limit: number;
  sort?: TrackSortKey;
  descending?: boolean;
  filter?: TrackFilter;
}

/** One row of the library table. */
export interface TrackRow {
  id: number;
  title: string | null;
  artist: string | null;
  album: string | null;
  year: number | null;
  genre: string | null;
  duration: number | null;
  path: string;
  status: 'present' | 'missing';
  format: string | null;
  bpm: number | null;
  /** e.g. 'C major', with its Camelot code '8B'; null until analysed. */
  keyName: string | null;
  camelot: string | null;
  meter: string | null;
  analysed: boolean;
}

export interface TrackPage {
  total: number;
  offset: number;
  rows: TrackRow[];
}

export interface TrackDetail extends TrackRow {
  albumArtist: string | null;
  trackNo: number | null;
  composer: string | null;
  codec: string | null;
  sampleRate: number | null;
  channels: number | null;
  bitDepth: number | null;
  bitrate: number | null;
  size: number;
  hasArtwork: boolean;
}

export interface Measured<T> {
  value: T;
  /** 0..1 */
  confidence: number;
}

export interface KeyView {
  name: string;
  camelot: string;
  start: number;
  end: number;
  confidence: number;
}

export interface ChordView {
  start: number;
  end: number;
  /** Harte label ('A:min7'); 'N' for no chord. */
  label: string;
  quality: ChordQuality | 'N';
  /** Roman numeral in the local key ('♭VI'), '' when there is none. */
  numeral: string;
  function: HarmonicFunction | null;
  confidence: number;
}

export interface DeviceView {
  kind: DeviceKind;
  label: string;
  start: number;
  end: number;
  confidence: number;
  /** The numerals of the chords that make the device, in order. */
  numerals: string[];
  detail: Record<string, string | number>;
}

/** A track's stored analysis, shaped for display: names are spelled here, not in the UI. */
export interface AnalysisView {
  durationSec: number;
  analysedAt: number;
  versions: Record<string, number>;
  key: Measured<{ name: string; camelot: string }>;
  keySegments: KeyView[];
  /** `span`: how the local tempo moves (steady, drifts within 25 %, or changes beyond: a mix or a medley). */
  tempo: Measured<{ bpm: number }> & { curve: { time: number; bpm: number }[]; span: TempoSpan };
  meter: Measured<Meter>;
  tuningCents: number;
  chords: ChordView[];
  devices: DeviceView[];
  /** Analysis II results, present only once those analysers have run on the track. */
  loudness: LoudnessResult | null;
  sound: SoundResult | null;
  form: FormResult | null;
  descriptors: DescriptorResult | null;
  insight: Insight | null;
}

export interface TrackInsight {
  track: TrackDetail;
  analysis: AnalysisView | null;
  /** Why the track could not be analysed, when it could not. */
  analysisError: string | null;
  /** Whether the queue stored a note transcription (the "MIDI transcription" download). */
  hasTranscription?: boolean;
}

export interface Artwork {
  mime: string;
  /** Base64 of the picture bytes. */
  base64: string;
}

export interface ScanSummary {
  rootId: number;
  rootPath: string;
  outcome: string;
  added: number;
  updated: number;
  moved: number;
  missing: number;
  unchanged: number;
  errors: number;
  durationMs: number;
}

/** What `analysis.run` did: tracks put in the analysis queue (the workers analyse them). */
export interface QueuedSummary {
  queued: number;
}

/** One track the queue gave up on, with why. */
export interface QueueFailureView {
  trackId: number;
  title: string;
  path: string | null;
  code: string | null;
  reason: string;
  attempts: number;
  /** When it failed (ms since the epoch). */
  at: number | null;
}

/** The analysis queue as the UI shows it. */
export interface QueueStatusView {
  /**
   * 'running': workers are analysing; 'idle': workers wait for work; 'paused'; 'stopped': no workers
   * in this process; 'elsewhere': another Linernotes process (heldByPid) runs the queue.
   */
  state: 'running' | 'idle' | 'paused' | 'stopped' | 'elsewhere';
  paused: boolean;
  heldByPid: number | null;
  /** Why the workers stopped, when they could not run (e.g. the worker process would not start). */
  problem: string | null;
  /** Worker processes running now, and the setting. */
  workers: number;
  concurrency: number;
  /** Whether the workers also transcribe notes (Basic Pitch; the setting 'transcribe'). */
  transcribe: boolean;
  counts: { queued: number; running: number; done: number; failed: number; cancelled: number; waiting: number; blocked: number };
  /** Queued jobs that can run now. */
  runnable: number;
  nextRetryAt: number | null;
  /** Progress of the current run (since the queue was last idle): finished of total. */
  done: number;
  total: number;
  /** Measured over the current run; null until a track has finished. */
  tracksPerMinute: number | null;
  etaSeconds: number | null;
  current: { trackId: number; title: string }[];
  /** The last finished run in this process (the queue went idle after it). */
  lastRun: { analysed: number; failed: number; seconds: number; endedAt: number } | null;
  /** Failed tracks, most urgent (highest priority) first, at most 200 (counts.failed has them all). */
  failures: QueueFailureView[];
}

export interface LibraryStats {
  tracks: number;
  analysed: number;
  roots: number;
  offlineRoots: number;
}

export interface SettingsInfo {
  dataDir: string;
  databaseFile: string;
  appVersion: string;
  /** Which optional parts exist in this build, so the UI shows only what works. */
  features: { search: boolean; queue: boolean; playlists: boolean; analysisII: boolean };
}

/** One search hit, with why it matched and where the evidence is heard. */
export interface SearchHitView {
  trackId: number;
  title: string | null;
  artist: string | null;
  album: string | null;
  durationSec: number | null;
  bpm: number | null;
  key: string | null;
  camelot: string | null;
  score: number;
  /** One line: why this track matched. */
  why: string;
  evidence: { start: number; end: number; confidence: number; label: string }[];
  /** Set when the track matched (in part) only on words in a model caption: model text, unverified. */
  unverified?: true;
}

export interface SearchResultView {
  /** The query as understood, one chip per clause. */
  understood: string[];
  hits: SearchHitView[];
  total: number;
  notes: string[];
}

export interface FacetsView {
  total: number;
  groups: { name: string; values: { value: string; count: number }[] }[];
  notes: string[];
}

/** A smart playlist: a saved search, run afresh whenever it is opened. */
export interface PlaylistView {
  id: number;
  name: string;
  query: string;
  /** Tracks matching it now. */
  matches: number;
  updatedAt: number;
}

export type PlaylistExportFormat = 'm3u8' | 'csv' | 'json';

/** A file for the user to download. */
export interface DownloadFile {
  fileName: string;
  mime: string;
  text: string;
}

/** A source of a chat answer: a track, and for a moment the span where it is heard (s). */
export interface ChatCitationView {
  trackId: number;
  title: string;
  start?: number;
  end?: number;
  what?: string;
}

export interface ChatMessageView {
  id: number;
  role: 'user' | 'assistant';
  text: string;
  citations: ChatCitationView[];
  /** Assistant messages: who wrote the text (the built-in parser, or a language model checked against the tools). */
  source?: 'parser' | 'model';
  notices: string[];
  suggestions: string[];
  createdAt: number;
}

export interface ConversationView {
  id: number;
  /** Set for "ask about this song". */
  trackId: number | null;
  title: string;
  updatedAt: number;
}

/** The analysis models and the machine they run on (what `linernotes doctor` reports), plus the chat's model. */
export interface ModelsStatusView {
  runtime: { node: string; platform: string; cpus: number; onnxruntime: string; threads: number; sqlite: string | null; sqliteVec: string | null };
  /** Execution providers in the order they are tried (e.g. ['cuda', 'cpu']). */
  providerOrder: string[];
  modelsDir: string;
  models: {
    name: string;
    version: string;
    licence: string;
    /** 'ok', or 'failed' when the file is missing or its checksum differs. */
    sha256: string;
    /** The provider it loaded on; null when it did not load. */
    provider: string | null;
    fellBack: { provider: string; error: string }[];
    loadMs: number | null;
    error: string | null;
  }[];
  /** The chat's language model: an OpenAI-compatible server (LINERNOTES_LLM_URL), or the built-in parser. */
  chat: { kind: 'parser' } | { kind: 'model'; url: string; model: string };
}

/** A configured audio-language-model server (Music Flamingo behind llama-server or vLLM) and whether it answers. */
export interface ModelServerView {
  name: string;
  url: string;
  model: string;
  /** Name of the environment variable holding the API key (the key itself is never stored or sent to the UI). */
  apiKeyEnv: string | null;
  /** Whether that variable is set in the service's environment. */
  apiKeySet: boolean;
  isDefault: boolean;
  /** 'settings': saved in the library (removable here); 'environment': LINERNOTES_ALM_URL. */
  from: 'settings' | 'environment';
  health: { ok: true; ms: number; models: string[]; modelListed: boolean } | { ok: false; code: string; message: string; ms: number };
}

/** One checkable claim of a model caption compared with our measurement. */
export interface CaptionCheckView {
  kind: string;
  /** 'caption' or 'answer:<question id>'. */
  source: string;
  quote: string;
  claimed: string;
  measured: string | null;
  confidence: number | null;
  agreement: 'agrees' | 'partial' | 'disagrees' | 'unverifiable';
  relation: string | null;
  /** "the model says 128 BPM; measured 120.1 BPM, confidence 0.93: disagrees" */
  message: string;
}

/** A track's newest model caption: unverified model text, with the cross-check of its claims. */
export interface ModelCaptionView {
  trackId: number;
  model: string;
  backend: string;
  createdAt: number;
  promptVersion: number;
  caption: string;
  lyrics: string | null;
  answers: { question: string; answer: string }[];
  tally: { agrees: number; partial: number; disagrees: number; unverifiable: number };
  /** Claims that disagree, then those that partly agree, as lines. */
  disagreements: { agreement: 'disagrees' | 'partial'; message: string; quote: string }[];
  /** Every checked claim, disagreements first. */
  checks: CaptionCheckView[];
  notices: string[];
  /** The caption as a plain text that says it is unverified. */
  text: string;
}

/** What the track page shows about deep captions. */
export interface DeepTrackView {
  /** How many model servers are configured (the page shows nothing about models without one). */
  backends: number;
  caption: ModelCaptionView | null;
  optedIn: { track: boolean; root: boolean };
  job: { state: string; error: string | null; attempts: number; nextAttemptAt: number } | null;
}

/** Every method: its argument object and its result. */
export interface ServiceMethods {
  'library.stats': { args: Record<string, never>; result: LibraryStats };
  'roots.list': { args: Record<string, never>; result: RootInfo[] };
  'roots.add': { args: { path: string }; result: RootInfo };
  'roots.remove': { args: { id: number }; result: RootInfo[] };
  /** Scans one root (or all); progress arrives as 'scan.progress' events; resolves when done. */
  'scan.start': { args: { rootId?: number }; result: ScanSummary[] };
  'tracks.page': { args: TrackPageQuery; result: TrackPage };
  'tracks.get': { args: { id: number }; result: TrackDetail };
  'tracks.artwork': { args: { id: number }; result: Artwork | null };
  /**
   * Puts tracks in the analysis queue: every track lacking a current analysis, or (with trackIds)
   * these tracks again from scratch, moved to the front. Worker processes analyse them; progress
   * arrives as 'queue.progress' events.
   */
  'analysis.run': { args: { trackIds?: number[] }; result: QueuedSummary };
  'analysis.get': { args: { trackId: number }; result: TrackInsight };
  /** The stored analysis as JSON or as a JAMS document, or the stored note transcription as a MIDI file (bytes in `base64`, `text` empty), for download. */
  'analysis.export': { args: { trackId: number; format: 'json' | 'jams' | 'midi' }; result: { fileName: string; mime: string; text: string; base64?: string } };
  'settings.get': { args: Record<string, never>; result: SettingsInfo };
  /** Checks every analysis model (file, checksum, loading on the best provider) — takes a few seconds the first time. */
  'settings.models': { args: Record<string, never>; result: ModelsStatusView };
  /** Plain-language search ("modal interchange in a minor key around 90 bpm"); only when features.search. */
  'search.query': { args: { text: string; offset?: number; limit?: number }; result: SearchResultView };
  /** Counts by key, mode, tempo, device, decade and genre of what a query matches (all tracks for ''). */
  'search.facets': { args: { text: string }; result: FacetsView };
  'playlists.list': { args: Record<string, never>; result: PlaylistView[] };
  /** Saves a search as a smart playlist (a name already used gets the new query). */
  'playlists.save': { args: { name: string; query: string }; result: PlaylistView };
  /** Opens a playlist: its tracks now, as search hits. */
  'playlists.open': { args: { name: string; offset?: number; limit?: number }; result: { playlist: PlaylistView; result: SearchResultView } };
  'playlists.remove': { args: { name: string }; result: PlaylistView[] };
  /** Every track of a playlist as M3U8 (absolute paths), CSV or JSON, for download. */
  'playlists.export': { args: { name: string; format: PlaylistExportFormat }; result: DownloadFile };
  /** Asks a question about the library (or, with trackId, about one song), in a new or continued conversation. */
  'chat.ask': {
    args: { question: string; conversationId?: number; trackId?: number };
    result: { conversation: ConversationView; question: ChatMessageView; answer: ChatMessageView };
  };
  /** Recent conversations (those about one track, with trackId). */
  'chat.conversations': { args: { trackId?: number }; result: ConversationView[] };
  /** The messages of one conversation, oldest first. */
  'chat.history': { args: { conversationId: number }; result: { conversation: ConversationView; messages: ChatMessageView[] } };
  'queue.status': { args: Record<string, never>; result: QueueStatusView };
  /** Running analyses finish; no new ones start until resumed. */
  'queue.pause': { args: Record<string, never>; result: QueueStatusView };
  'queue.resume': { args: Record<string, never>; result: QueueStatusView };
  /** Queues failed and cancelled tracks again (these, or all). */
  'queue.retry': { args: { trackIds?: number[] }; result: { queued: number } };
  /** Cancels queued and running analyses (of these tracks, or all). */
  'queue.cancel': { args: { trackIds?: number[] }; result: { cancelled: number } };
  /** Moves a track to the front of the queue (queuing it if it needs analysing). */
  'queue.bump': { args: { trackId: number }; result: { moved: boolean } };
  /** How many worker processes analyse at once (stored; the workers restart with it). */
  'queue.setConcurrency': { args: { workers: number }; result: QueueStatusView };
  /** Note transcription on or off, for the running queue too (on: tracks without notes are queued for them). */
  'queue.setTranscribe': { args: { on: boolean }; result: QueueStatusView };
  /** The audio-language-model servers, each with a quick health check. */
  'deep.backends': { args: Record<string, never>; result: ModelServerView[] };
  /** Saves a model server (a name already used gets the new settings); apiKeyEnv names a variable, never the key. */
  'deep.addBackend': { args: { name: string; url: string; model: string; apiKeyEnv?: string | null }; result: { added: string } };
  'deep.removeBackend': { args: { name: string }; result: { removed: string } };
  /** Opts a music folder or a track in to deep analysis and queues its jobs for the default server. */
  'deep.optIn': { args: { scope: 'root' | 'track'; id: number }; result: { queued: number } };
  /** Opts out and cancels the queued jobs no longer opted in (stored captions stay). */
  'deep.optOut': { args: { scope: 'root' | 'track'; id: number }; result: { removed: boolean; cancelled: number } };
  /** A track's newest model caption with its cross-check, whether it is opted in, and its deep job. */
  'deep.caption': { args: { trackId: number }; result: DeepTrackView };
}

export type MethodName = keyof ServiceMethods;
export type MethodArgs<M extends MethodName> = ServiceMethods[M]['args'];
export type MethodResult<M extends MethodName> = ServiceMethods[M]['result'];

/** The service as an object of async methods (implemented over the store in service.ts). */
export type ServiceApi = { [M in MethodName]: (args: MethodArgs<M>) => Promise<MethodResult<M>> };

export interface ScanProgressEvent {
  rootPath: string;
  phase: 'listing' | 'reading' | 'done';
  filesDone: number;
  filesTotal: number;
  filesPerSecond: number;
  etaSeconds: number | null;
}

/** Events pushed from the service to every connected UI. */
export interface ServiceEvents {
  'scan.progress': ScanProgressEvent;
  'scan.done': { summaries: ScanSummary[] };
  /** The analysis queue changed: a job started, finished or failed, or a setting changed. */
  'queue.progress': QueueStatusView;
  /** Something the library table shows changed (tracks added, analysed, roots changed). */
  'library.changed': { reason: string };
}

export type EventName = keyof ServiceEvents;

/** What a failed call returns on every transport. */
export interface ServiceErrorInfo {
  name: string;
  code: string;
  message: string;
}

/** The analysis JSON download (also the shape of `analysis.export` with format 'json'). */
export type AnalysisExport = { track: TrackDetail; analysis: AnalysisView };
export type { JamsDocument };
