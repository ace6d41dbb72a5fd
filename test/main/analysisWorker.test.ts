import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { serveUtilityWorker } from '../../main/analysisWorker.ts';
import { AnalysisWorker } from '../../app/worker/client.ts';
import { utilityProcessTransport, type ParentPortLike, type UtilityProcessLike } from '../../app/worker/transport.ts';
import type { SpawnWorker } from '../../app/worker/transport.ts';
import type { TrackAnalysis } from '../../app/analysis/types.ts';
import type { spawnUtilityWorker } from '../../main/utilityWorker.ts';

/** A stand-in result (the worker passes results through; this test is about the channel). */
const result = { durationSec: 12, versions: { key: 3 } } as unknown as TrackAnalysis;

/**
 * A utilityProcess and its parentPort joined in memory: the parent's postMessage arrives on the
 * worker's parentPort as { data }, the worker's postMessage arrives on the parent's 'message'.
 */
function pairedUtilityProcess(): { parent: UtilityProcessLike; child: ParentPortLike; exit: (code: number) => void } {
  const toParent = new EventEmitter();
  const toChild = new EventEmitter();
  const parent: UtilityProcessLike = {
    pid: 4242,
    postMessage: (m) => queueMicrotask(() => toChild.emit('message', { data: structuredClone(m) })),
    on: ((event: string, fn: (...args: unknown[]) => void) => toParent.on(event, fn)) as UtilityProcessLike['on'],
    kill: () => {
      toParent.emit('exit', 137);
      return true;
    },
  };
  const child: ParentPortLike = {
    postMessage: (m) => queueMicrotask(() => toParent.emit('message', structuredClone(m))),
    on: (_event, fn) => toChild.on('message', fn),
  };
  return { parent, child, exit: (code) => toParent.emit('exit', code) };
}

describe('the analysis worker in a utilityProcess', () => {
  it('says ready with the analyser versions and answers analysis requests through parentPort', async () => {
    const { parent, child, exit } = pairedUtilityProcess();
    const spawn: SpawnWorker = () => {
      serveUtilityWorker(child, {
        pid: 4242,
        exit,
        analyse: async (file) => {
          if (file.endsWith('bad.wav')) throw Object.assign(new Error('not audio'), { code: 'CORRUPT' });
          return result;
        },
      });
      return utilityProcessTransport(parent);
    };
    const worker = new AnalysisWorker(spawn);
    const { analysis } = await worker.analyse('/music/good.wav');
    expect(analysis).toEqual(result);
    expect(worker.versions).toHaveProperty('key');
    await expect(worker.analyse('/music/bad.wav')).rejects.toMatchObject({ code: 'CORRUPT', message: 'not audio' });
    await worker.stop(100);
  });

});

// Compile-time: main/utilityWorker.ts's transport is what the queue's worker client takes (it imports electron, so only its type is used here).
const _fits: (f: typeof spawnUtilityWorker) => SpawnWorker = (f) => () => f('entry.js');
void _fits;
