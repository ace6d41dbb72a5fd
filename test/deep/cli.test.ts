// `linernotes models` and `linernotes deep` in process, against the fake OpenAI-compatible server.
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { keyName } from '../../app/analysis/key/names.ts';
import type { TrackAnalysis } from '../../app/analysis/types.ts';
import { openStore } from '../../app/store/index.ts';
import { tempDir } from '../library/helpers.ts';
import { runInProcess } from '../cli/run.ts';
import { chatParts, completion, reply, startFakeServer, type FakeServer } from './fakeServer.ts';
import { analyzeFile, libraryWith, writeSong } from './helpers.ts';

let base: string;
let dataDir: string;
let trackId: number;
let analysis: TrackAnalysis;
let fake: FakeServer;

beforeAll(async () => {
  base = await tempDir('ln-deep-cli-');
  const file = await writeSong(base);
  analysis = await analyzeFile(file);
  const lib = await libraryWith(base, analysis);
  trackId = lib.trackId;
  lib.store.close();
  dataDir = path.join(base, 'data');
  const wrongKey = keyName({ tonic: (analysis.key.global.tonic + 6) % 12, mode: analysis.key.global.mode });
  fake = await startFakeServer((req, res) => {
    const { prompt } = chatParts(req);
    if (prompt.includes('Describe this song')) return reply(res, 200, completion(`An instrumental pop tune at ${Math.round(analysis.rhythm.bpm)} BPM in ${wrongKey}, no vocals.`));
    reply(res, 200, completion('A few words.'));
  });
}, 120_000);
afterAll(async () => {
  vi.unstubAllEnvs();
  await fake.close();
  await fs.rm(base, { recursive: true, force: true });
});

const cli = (...args: string[]) => runInProcess(['--data-dir', dataDir, ...args]);

describe('linernotes models / deep', () => {
  it('models add stores a server (never its key); models lists it with its health', async () => {
    expect((await cli('models')).stdout).toContain('No model servers');
    expect((await cli('models', 'add', 'flamingo', '--url', fake.url, '--model', 'music-flamingo-test', '--api-key-env', 'FLAMINGO_KEY')).code).toBe(0);
    expect((await cli('models', 'add', 'bad', '--url', 'ftp://x', '--model', 'm')).code).toBe(2);
    expect((await cli('models', 'add', 'bad', '--url', fake.url, '--model', 'm', '--api-key-env', 'sk-123 456')).code).toBe(2);
    const list = await cli('models', '--json');
    const rows = JSON.parse(list.stdout) as { name: string; apiKeyEnv: string; default: boolean; health: { ok: boolean; modelListed: boolean } }[];
    expect(rows).toMatchObject([{ name: 'flamingo', apiKeyEnv: 'FLAMINGO_KEY', default: true, health: { ok: true, modelListed: true } }]);
    expect((await cli('models')).stdout).toMatch(/\* flamingo {2}music-flamingo-test .* up \(\d+ ms\)/);
  });

  it('deep <track-id> prints the caption with its cross-check table and stores it; deep status counts', async () => {
    const r = await cli('deep', String(trackId), '--no-questions');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Model text: unverified');
    expect(r.stdout).toMatch(/agrees\s+tempo\s+caption/);
    expect(r.stdout).toMatch(/disagrees\s+key\s+caption/);
    expect(r.stdout).toContain('1 agree, 0 partly, 1 disagree, 0 unverifiable');
    const store = openStore(dataDir);
    try {
      expect(store.deep.captions(trackId)[0]).toMatchObject({ model: 'music-flamingo-test', lyrics: null });
    } finally {
      store.close();
    }
    expect((await cli('deep', 'status')).stdout).toContain('deep jobs: 0 queued');
  });

  it('deep enable root + deep queue captions the opted-in tracks through the deep queue; status and retry', async () => {
    expect((await cli('deep', 'enable', 'root', '1')).stdout).toContain('deep analysis enabled for root 1');
    expect((await cli('deep', 'enable', 'shelf', '1')).code).toBe(2);
    const q = await cli('deep', 'queue', '--model', 'flamingo', '--no-questions');
    expect(q.code).toBe(0);
    // The track already has a caption by this model and prompt (previous test): nothing to do.
    expect(q.stdout).toContain('0 done, 0 to retry later, 0 failed');
    const store = openStore(dataDir);
    try {
      store.deep.saveCaption({ ...store.deep.captions(trackId)[0]!, promptVersion: 0 }); // an older prompt: wanted again
    } finally {
      store.close();
    }
    const again = await cli('deep', 'queue', '--model', 'flamingo', '--no-questions');
    expect(again.stdout).toMatch(/track \d+: captioned by music-flamingo-test; 1 claims disagree/);
    expect(again.stdout).toContain('1 done, 0 to retry later, 0 failed');
    expect((await cli('deep', 'status')).stdout).toContain('1 done, 0 failed');
    expect((await cli('deep', 'retry')).stdout).toContain('0 deep jobs queued again');
  });

  it('a server that is down: models says so, deep exits non-zero with the reason; no server configured is a usage error', async () => {
    await cli('models', 'add', 'down', '--url', 'http://127.0.0.1:9/v1', '--model', 'm');
    expect((await cli('models')).stdout).toMatch(/down .*UNREACHABLE: down: cannot reach/);
    const r = await cli('deep', String(trackId), '--model', 'down');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("model server 'down' is not answering");
    expect((await cli('deep', String(trackId), '--model', 'nobody')).code).toBe(2);
    expect((await cli('deep', '/no/such/file.wav')).code).toBe(2);
  });

  it('LINERNOTES_ALM_URL configures a server without saving it', async () => {
    vi.stubEnv('LINERNOTES_ALM_URL', fake.url);
    vi.stubEnv('LINERNOTES_ALM_MODEL', 'music-flamingo-test');
    const rows = JSON.parse((await cli('models', '--json')).stdout) as { name: string; from: string }[];
    expect(rows.find((x) => x.name === 'env')).toMatchObject({ from: 'environment' });
    vi.unstubAllEnvs();
  });
});
