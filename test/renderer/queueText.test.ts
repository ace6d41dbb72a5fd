import { describe, expect, it } from 'vitest';
import { etaText, queueFraction, queueLine, rateText } from '../../renderer/src/lib/queueText.ts';
import { queueStatus } from './queueStatus.ts';

const status = queueStatus;

describe('the analysis queue in words', () => {
  it('says progress, rate and time left while running', () => {
    const q = status({ state: 'running', done: 3, total: 12, tracksPerMinute: 4.25, etaSeconds: 127 });
    expect(queueLine(q)).toBe('Analysing 3 of 12 · 4.3 tracks/min · 2:07 left');
    expect(queueFraction(q)).toBe(0.25);
    expect(rateText(status({ tracksPerMinute: 31.6 }))).toBe('32 tracks/min');
    expect(etaText(status({}))).toBe('');
  });

  it('leaves the rate out until a track has finished', () => {
    expect(queueLine(status({ state: 'running', done: 0, total: 5 }))).toBe('Analysing 0 of 5');
  });

  it('says paused, held elsewhere, stopped with a reason, and the last run', () => {
    expect(queueLine(status({ state: 'paused', counts: { ...status({}).counts, queued: 7 } }))).toBe('Analysis paused · 7 waiting');
    expect(queueLine(status({ state: 'elsewhere', heldByPid: 99 }))).toMatch(/another Linernotes process \(pid 99\)/);
    expect(queueLine(status({ state: 'stopped', problem: 'the analysis worker did not start' }))).toBe('Analysis stopped: the analysis worker did not start');
    expect(queueLine(status({ lastRun: { analysed: 3, failed: 1, seconds: 20, endedAt: 0 } }))).toBe('Analysis: 3 analysed, 1 failed');
    expect(queueLine(status({}))).toBe('');
    expect(queueLine(null)).toBe('');
    expect(queueFraction(status({ state: 'idle', done: 1, total: 1 }))).toBeNull();
  });
});
