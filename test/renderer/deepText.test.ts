import { describe, expect, it } from 'vitest';
import { confidenceText, deepJobText, healthText, tallyText } from '../../renderer/src/lib/deepText.ts';
import type { DeepTrackView, ModelServerView } from '../../app/service/api.ts';

const server = (over: Partial<ModelServerView>): ModelServerView => ({
  name: 'flamingo',
  url: 'http://127.0.0.1:8080/v1',
  model: 'nvidia/music-flamingo-2601-hf',
  apiKeyEnv: null,
  apiKeySet: false,
  isDefault: true,
  from: 'settings',
  health: { ok: true, ms: 42, models: [], modelListed: false },
  ...over,
});

const track = (over: Partial<DeepTrackView>): DeepTrackView => ({ backends: 1, caption: null, optedIn: { track: false, root: false }, job: null, ...over });

describe('deep captions in words', () => {
  it('counts the cross-check, naming only what occurs', () => {
    expect(tallyText({ agrees: 2, partial: 0, disagrees: 1, unverifiable: 1 })).toBe('1 disagrees · 2 agree · 1 unverifiable');
    expect(tallyText({ agrees: 0, partial: 0, disagrees: 0, unverifiable: 0 })).toBe('no checkable claims');
    expect(confidenceText(0.934)).toBe('0.93');
    expect(confidenceText(null)).toBe('–');
  });

  it('says how a model server answers', () => {
    expect(healthText(server({}))).toBe('up · 42 ms');
    expect(healthText(server({ health: { ok: true, ms: 5, models: ['other'], modelListed: false } }))).toBe('up · 5 ms · serves other (not “nvidia/music-flamingo-2601-hf”)');
    expect(healthText(server({ health: { ok: false, code: 'UNREACHABLE', message: 'cannot reach it', ms: 3 } }))).toBe('UNREACHABLE: cannot reach it');
  });

  it('says where the track stands with the model', () => {
    expect(deepJobText(track({}))).toBe('');
    expect(deepJobText(track({ job: { state: 'queued', error: null, attempts: 0, nextAttemptAt: 0 } }))).toMatch(/^Queued for the model/);
    expect(deepJobText(track({ job: { state: 'failed', error: 'HTTP 500', attempts: 3, nextAttemptAt: 0 } }))).toBe('The model could not analyse this track: HTTP 500');
    expect(deepJobText(track({ optedIn: { track: false, root: true } }))).toBe('Opted in through its music folder.');
  });
});
