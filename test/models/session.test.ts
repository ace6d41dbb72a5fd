// Execution-provider choice, thread defaults and the session cache.
import { afterAll, describe, expect, it } from 'vitest';
import { candidateProviders, parseProviderSetting } from '../../app/models/providers.ts';
import { defaultIntraOpThreads, getModelSession, releaseModelSessions } from '../../app/models/session.ts';

describe('execution providers', () => {
  it('prefers CUDA, DirectML, CoreML, WebGPU where the platform and binary offer them, always ending with CPU', () => {
    const linux = [{ name: 'cpu', bundled: true }, { name: 'webgpu', bundled: true }, { name: 'cuda', bundled: false }];
    expect(candidateProviders('linux', linux)).toEqual(['cuda', 'webgpu', 'cpu']);
    const win = [{ name: 'cpu', bundled: true }, { name: 'dml', bundled: true }, { name: 'webgpu', bundled: true }];
    expect(candidateProviders('win32', win)).toEqual(['dml', 'webgpu', 'cpu']);
    expect(candidateProviders('darwin', [{ name: 'cpu', bundled: true }, { name: 'coreml', bundled: true }])).toEqual(['coreml', 'cpu']);
    expect(candidateProviders('linux', [{ name: 'dml', bundled: true }, { name: 'coreml', bundled: true }])).toEqual(['cpu']);
    expect(candidateProviders('linux', linux, ['cpu'])).toEqual(['cpu']);
    expect(candidateProviders('linux', linux, ['cuda'])).toEqual(['cuda', 'cpu']);
  });

  it('parses the provider setting and rejects unknown names', () => {
    expect(parseProviderSetting(undefined)).toBeUndefined();
    expect(parseProviderSetting(' CUDA, cpu ')).toEqual(['cuda', 'cpu']);
    expect(() => parseProviderSetting('tpu')).toThrow(/unknown execution provider "tpu"/);
  });

  it('leaves a core for the rest by default', () => {
    expect(defaultIntraOpThreads(1)).toBe(1);
    expect(defaultIntraOpThreads(2)).toBe(1);
    expect(defaultIntraOpThreads(8)).toBe(7);
  });
});

describe('model sessions', () => {
  afterAll(releaseModelSessions);

  it('falls back to CPU when a better provider cannot load, reports the choice, and caches one session per options', async () => {
    const lines: string[] = [];
    // CUDA is listed by this onnxruntime-node build but its libraries are not installed here (no GPU);
    // on a machine with CUDA this loads on 'cuda' instead, which the assertion allows.
    const a = await getModelSession('basic-pitch', { threads: 1, providers: ['cuda', 'cpu'], log: (l) => lines.push(l) });
    expect(['cuda', 'cpu']).toContain(a.provider);
    if (a.provider === 'cpu') expect(a.fellBack.map((f) => f.provider)).toEqual(['cuda']);
    expect(lines.join('\n')).toMatch(new RegExp(`model basic-pitch 1\\.0\\.1 on ${a.provider}, 1 thread\\(s\\)`));
    const again = await getModelSession('basic-pitch', { threads: 1, providers: ['cuda', 'cpu'], log: (l) => lines.push(l) });
    expect(again).toBe(a);
    expect(lines).toHaveLength(1);
    const other = await getModelSession('basic-pitch', { threads: 1, providers: ['cpu'], log: () => {} });
    expect(other).not.toBe(a);
    expect(other.provider).toBe('cpu');
    expect(other.fellBack).toEqual([]);
  });
});
