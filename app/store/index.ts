import { openDatabase, type Db } from './db.ts';
import { RootsRepo } from './roots.ts';
import { TracksRepo } from './tracks.ts';
import { ScanLogRepo } from './scanLog.ts';
import { AnalysesRepo } from './analyses.ts';
import { JobsRepo } from './jobs.ts';
import { VectorsRepo } from './vectors.ts';
import { DeepRepo } from './deepCaptions.ts';

/** The library store: one database and its typed repositories. All writes go through here. */
export interface Store {
  db: Db;
  roots: RootsRepo;
  tracks: TracksRepo;
  scanLog: ScanLogRepo;
  analyses: AnalysesRepo;
  jobs: JobsRepo;
  /** Similarity vectors (sqlite-vec) and nearest-neighbour search. */
  vectors: VectorsRepo;
  /** Deep analysis by an audio-language model: servers, opt-ins, its job queue, captions (migration 8). */
  deep: DeepRepo;
  /** Runs `fn` in one transaction (batch writes). */
  transaction<T>(fn: () => T): T;
  close(): void;
}

export function openStore(dataDir: string | ':memory:'): Store {
  const db = openDatabase(dataDir);
  return {
    db,
    roots: new RootsRepo(db),
    tracks: new TracksRepo(db),
    scanLog: new ScanLogRepo(db),
    analyses: new AnalysesRepo(db),
    jobs: new JobsRepo(db),
    vectors: new VectorsRepo(db),
    deep: new DeepRepo(db),
    transaction: <T>(fn: () => T) => db.transaction(fn)(),
    close: () => db.close(),
  };
}

export type { Db };
export type { Root, RootStatus } from './roots.ts';
export type { Track, TrackFacts, TrackStamp, TrackStatus, TrackQuery } from './tracks.ts';
export type { StoredAnalysis, TrackSummary } from './analyses.ts';
export type { Neighbour } from './vectors.ts';
export type { Conversation, ChatMessage } from './conversations.ts';
export type { Job, JobState, JobCounts, ClaimedJob, RunnerLock } from './jobs.ts';
export type { ScanError, ScanRun, ScanCounts, ScanOutcome } from './scanLog.ts';
