import { describe, expect, it } from 'vitest';
import { transcribeNote, transcribeResult } from '../../renderer/src/lib/transcribeText.ts';
import type { QueueStatusView } from '../../app/service/api.ts';
import { queueStatus } from './queueStatus.ts';

const status = (over: Partial<QueueStatusView>): QueueStatusView => queueStatus({ workers: 1, concurrency: 1, ...over });
const queued = (n: number) => ({ ...status({}).counts, queued: n });

describe('the note transcription switch in words', () => {
  it('says what the setting does when off and when on, and that another process follows it', () => {
    expect(transcribeNote(status({}))).toMatch(/^Off: no notes are transcribed\. Turning it on queues every track without notes/);
    const on = transcribeNote(status({ transcribe: true }));
    expect(on).toMatch(/^On: .*Basic Pitch .*MIDI file\. Turning it off stops the transcriptions still waiting; stored notes are kept\.$/);
    expect(transcribeNote(status({ transcribe: true, state: 'elsewhere', heldByPid: 7 }))).toMatch(/another Linernotes process; it follows this setting too\.$/);
  });

  it('says what the switch left in the queue', () => {
    expect(transcribeResult(status({ transcribe: true, counts: queued(12) }))).toBe('Note transcription on · 12 tracks waiting in the queue');
    expect(transcribeResult(status({ transcribe: true, counts: queued(1), paused: true }))).toBe('Note transcription on · 1 track waiting in the queue (the queue is paused)');
    expect(transcribeResult(status({}))).toBe('Note transcription off · nothing waiting in the queue');
  });
});
