// Note transcription in words, for the Settings page's switch (the queue setting 'transcribe').
import type { QueueStatusView } from '../../../app/service/api.ts';

/** What the setting does now, and what turning it over would do. */
export function transcribeNote(q: QueueStatusView): string {
  if (q.transcribe) {
    const elsewhere = q.state === 'elsewhere' ? ' The queue runs in another Linernotes process; it follows this setting too.' : '';
    return `On: the analysis also transcribes each track's notes with Basic Pitch (about 2.3 s of CPU per minute of audio); a track page offers them as a MIDI file. Turning it off stops the transcriptions still waiting; stored notes are kept.${elsewhere}`;
  }
  return 'Off: no notes are transcribed. Turning it on queues every track without notes; each is decoded again, and its notes stored with the rest of its analysis.';
}

/** The line shown after the switch: 'Note transcription on · 12 tracks waiting in the queue'. */
export function transcribeResult(q: QueueStatusView): string {
  const waiting = q.counts.queued;
  const tail = waiting === 0 ? 'nothing waiting in the queue' : `${waiting} track${waiting === 1 ? '' : 's'} waiting in the queue`;
  return `Note transcription ${q.transcribe ? 'on' : 'off'} · ${tail}${q.paused && waiting ? ' (the queue is paused)' : ''}`;
}
