// A queue status as the service reports it, for the renderer's text tests: idle and empty, with `over` on top.
import type { QueueStatusView } from '../../app/service/api.ts';

export const queueStatus = (over: Partial<QueueStatusView>): QueueStatusView => ({
  state: 'idle',
  paused: false,
  heldByPid: null,
  problem: null,
  workers: 2,
  concurrency: 2,
  transcribe: false,
  counts: { queued: 0, running: 0, done: 0, failed: 0, cancelled: 0, waiting: 0, blocked: 0 },
  runnable: 0,
  nextRetryAt: null,
  done: 0,
  total: 0,
  tracksPerMinute: null,
  etaSeconds: null,
  current: [],
  lastRun: null,
  failures: [],
  ...over,
});
