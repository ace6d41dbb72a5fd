// The chat's model-caption source: get_model_caption (typed tool, spec, runTool) and the default
// parser's "what does the model say about X" — always cited and marked as unverified model text,
// with a plain answer when there is no caption or no model server configured.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { answerQuestion } from '../../app/chat/answer.ts';
import { ChatLibrary } from '../../app/chat/library.ts';
import { answerWithModel } from '../../app/chat/llm.ts';
import { CAPTION_NOTICE, TOOL_SPECS, modelCaptionTool, runTool } from '../../app/chat/tools.ts';
import { openStore, type Store } from '../../app/store/index.ts';
import { addFakeTracks } from '../search/helpers.ts';
import { finalText, startFakeModel, toolCall } from './fakeModel.ts';

let store: Store;
let ids: number[];

beforeEach(() => {
  vi.stubEnv('LINERNOTES_ALM_URL', '');
  store = openStore(':memory:');
  ids = addFakeTracks(store.db, [{ title: 'Second Wind', bpm: 120 }, { title: 'Night Ferry', bpm: 90 }]);
});
afterEach(() => {
  store.close();
  vi.unstubAllEnvs();
});

function saveCaption(trackId: number): void {
  store.deep.saveCaption({
    trackId, backend: 'flamingo', model: 'music-flamingo-test', promptVersion: 1, createdAt: Date.UTC(2026, 0, 2), reasoning: null,
    caption: 'An upbeat pop-rock song at 128 BPM in G major with bright electric guitars.',
    lyrics: null, answers: [{ id: 'mood', question: 'What is the mood?', answer: 'Hopeful.', reasoning: null }],
    checks: [
      { kind: 'tempo', quote: 'An upbeat pop-rock song at 128 BPM', claimed: '128 BPM', measured: '120.0 BPM', confidence: 0.8, agreement: 'disagrees', relation: null, message: 'the model says 128 BPM; measured 120.0 BPM, confidence 0.80', source: 'caption' },
      { kind: 'key', quote: 'in G major', claimed: 'G major', measured: 'G major', confidence: 0.9, agreement: 'agrees', relation: null, message: 'the model says G major; measured G major', source: 'caption' },
    ],
    analysisVersions: null, notices: [], durationSec: 180, parts: 1,
  });
}

describe('get_model_caption', () => {
  it('returns the caption with its standing, cited as unverified, and is in TOOL_SPECS and runTool', () => {
    saveCaption(ids[0]!);
    const lib = new ChatLibrary(store);
    const r = modelCaptionTool(lib, { track: 'second wind' });
    expect(r.ok).toBe(true);
    expect(r.text).toContain('unverified model text; 1 of 2 checkable claims agree with the measurements; 1 disagree');
    expect(r.text).toContain('- the model says 128 BPM; measured 120.0 BPM');
    expect(r.text).toContain(CAPTION_NOTICE);
    expect(r.citations).toEqual([{ trackId: ids[0], title: 'Second Wind', what: 'music-flamingo-test caption (unverified)' }]);
    expect(r.data).toMatchObject({ unverified: true, model: 'music-flamingo-test', claims: { agrees: 1, disagrees: 1 } });
    const spec = TOOL_SPECS.find((s) => s.function.name === 'get_model_caption')!;
    expect((spec.function.parameters as { required?: readonly string[] }).required).toEqual(['track']);
    expect(runTool(lib, 'get_model_caption', { track: String(ids[0]) }).text).toBe(r.text);
    expect(runTool(lib, 'get_model_caption', { track: 'no such song' }).ok).toBe(false);
  });

  it('says plainly when there is no caption, and whether a model server is configured', () => {
    const lib = new ChatLibrary(store);
    const none = modelCaptionTool(lib, { track: 'Night Ferry' }, {});
    expect(none.ok).toBe(false);
    expect(none.text).toContain('no audio-language model is configured');
    store.deep.saveBackend({ name: 'flamingo', url: 'http://127.0.0.1:9/v1', model: 'nvidia/music-flamingo-2601-hf', apiKeyEnv: null, timeoutMs: null, concurrency: null, maxAudioSec: null });
    const notYet = modelCaptionTool(lib, { track: 'Night Ferry' }, {});
    expect(notYet.text).toContain(`no model caption of “Night Ferry” yet`);
    expect(notYet.text).toContain(`linernotes deep enable track ${ids[1]}`);
    expect(modelCaptionTool(lib, { track: 'Night Ferry' }, { LINERNOTES_ALM_URL: 'http://x' }).data).toMatchObject({ modelConfigured: true });
  });
});

describe('the default parser', () => {
  it('answers "what does the model say about X" and "Music Flamingo caption of X" with the caption and a notice', () => {
    saveCaption(ids[0]!);
    const lib = new ChatLibrary(store);
    for (const q of ['what does the model say about Second Wind?', 'Music Flamingo caption of second wind', "what's the AI's description of Second Wind"]) {
      const a = answerQuestion(lib, q);
      expect(a.intent, q).toBe('track-caption');
      expect(a.text, q).toContain('128 BPM in G major');
      expect(a.notices, q).toEqual([CAPTION_NOTICE]);
      expect(a.citations[0]!.what, q).toContain('unverified');
    }
    const scoped = answerQuestion(lib, 'what does flamingo say about this song', { scopeTrack: store.tracks.byId(ids[0]!)! });
    expect(scoped.intent).toBe('track-caption');
    const none = answerQuestion(lib, 'what does the model say about Night Ferry');
    expect(none.intent).toBe('track-caption');
    expect(none.text).toContain('no audio-language model is configured');
    expect(none.notices).toEqual([]);
    // Measured questions still get measured answers.
    expect(answerQuestion(lib, 'how fast is Second Wind').intent).toBe('track-tempo');
  });
});

describe('a language model using the caption', () => {
  it('gets the caption as a tool result and its answer carries the unverified notice and the caption citation', async () => {
    saveCaption(ids[0]!);
    const fake = await startFakeModel((n) => (n === 0 ? { json: toolCall('get_model_caption', { track: 'Second Wind' }) } : { json: finalText('The model describes Second Wind as upbeat pop-rock, but that is unverified.') }));
    try {
      const a = await answerWithModel(new ChatLibrary(store), 'what does music flamingo think of second wind?', { url: fake.url, model: 'fake-1' });
      expect(a.source).toBe('model');
      expect(a.intent).toBe('track-caption');
      expect(a.notices).toContain(CAPTION_NOTICE);
      expect(a.citations.map((c) => c.what)).toContain('music-flamingo-test caption (unverified)');
      const toolMsg = fake.requests[1]!.body.messages.find((m) => m.role === 'tool')!;
      expect(toolMsg.content).toContain('unverified model text');
      expect(String(fake.requests[0]!.body.messages[0]!.content)).toContain('get_model_caption returns text written by an audio-language model');
    } finally {
      await fake.close();
    }
  });
});
