// The written insight (app/analysis/insight): layered order, evidence and confidence on every claim,
// hedging and omission by the documented thresholds, determinism, variety across the demo songs, and
// honest text for silence and other input with nothing to describe.
import { describe, expect, it } from 'vitest';
import { writeInsight, notEnoughContent, THRESHOLDS, type InsightInput } from '../../../app/analysis/insight/index.ts';
import { thresholdsFor } from '../../../app/analysis/insight/confidence.ts';
import { fnv1a, atTimes } from '../../../app/analysis/insight/phrasing.ts';
import { analyseTheory } from '../../../app/analysis/theory/index.ts';
import { clock } from '../../../app/analysis/report.ts';
import { DEMO_SONGS, songDurationSeconds } from '../../../app/demo/songs.ts';
import type { HarmonicDevice, Insight } from '../../../app/analysis/types.ts';
import { descriptors, form, loudness, sound } from './fixtures.ts';
import { demoInput } from '../theory/demoInput.ts';

/** A demo song as the analysers would report it at full confidence (chords from the spec, theory run on them). */
function demoAnalysis(title: string): InsightInput {
  const spec = DEMO_SONGS.find((s) => s.title === title)!;
  const { chords, key, rhythm } = demoInput(spec);
  return { durationSec: songDurationSeconds(spec), rhythm, key, chords, theory: analyseTheory(chords, key, rhythm) };
}

const allDemo = () => DEMO_SONGS.map((s) => demoAnalysis(s.title));
const text = (i: Insight) => i.paragraphs.join('\n\n');

/** Every sanity rule a written insight must keep. */
function expectSane(a: InsightInput, ins: Insight): void {
  const all = text(ins);
  expect(all).not.toMatch(/NaN|undefined|null|Infinity|\[object/);
  expect(all.trim().length).toBeGreaterThan(0);
  expect(ins.paragraphs.length).toBeGreaterThan(0);
  const order = { surface: 0, middle: 1, top: 2 };
  for (const [i, c] of ins.claims.entries()) {
    if (i > 0) expect(order[c.layer]).toBeGreaterThanOrEqual(order[ins.claims[i - 1]!.layer]);
    expect(c.confidence).toBeGreaterThanOrEqual(0);
    expect(c.confidence).toBeLessThanOrEqual(1);
    expect(c.evidence.length, c.topic).toBeGreaterThan(0);
    for (const e of c.evidence) {
      expect(e.start).toBeGreaterThanOrEqual(0);
      expect(e.end).toBeGreaterThanOrEqual(e.start);
      expect(e.end).toBeLessThanOrEqual(Math.max(0, a.durationSec) + 1e-9);
    }
    // The rule: firm claims only at or above their topic's firm threshold; below it, hedged words; nothing below the hedge threshold.
    const t = thresholdsFor(c.topic);
    expect(c.confidence, `${c.topic}: ${c.text}`).toBeGreaterThanOrEqual(t.hedge);
    if (c.confidence < t.firm) expect(c.text, `${c.topic} at ${c.confidence}`).toMatch(/probably|seems?|may|about|around/);
  }
  // The paragraphs are the claims' texts, layer by layer.
  const byLayer = (['surface', 'middle', 'top'] as const).map((l) => ins.claims.filter((c) => c.layer === l).map((c) => c.text).join(' ')).filter(Boolean);
  expect(ins.paragraphs).toEqual(byLayer);
}

describe('writeInsight on the demo songs', () => {
  it('writes surface, middle and top in order, every claim with evidence inside the track', () => {
    for (const a of allDemo()) {
      const ins = writeInsight(a);
      expectSane(a, ins);
      expect(ins.claims.map((c) => c.topic).slice(0, 3)).toEqual(['tempo', 'meter', 'key']);
      expect(ins.claims.some((c) => c.topic === 'chords')).toBe(true);
    }
  });

  it('is deterministic: the same analysis (or a JSON copy of it) gives the same text', () => {
    for (const a of allDemo()) {
      const once = writeInsight(a);
      expect(writeInsight(a)).toEqual(once);
      expect(writeInsight(JSON.parse(JSON.stringify(a)) as InsightInput)).toEqual(once);
    }
  });

  it('reads varied across the library: every description differs and the phrasings vary', () => {
    const texts = allDemo().map((a) => writeInsight(a));
    expect(new Set(texts.map(text)).size).toBe(texts.length);
    const opening = (ins: Insight, topic: string) => ins.claims.find((c) => c.topic === topic)?.text.split(/\s+/).slice(0, 2).join(' ');
    for (const topic of ['tempo', 'key', 'chords']) {
      const variants = new Set(texts.map((t) => opening(t, topic)));
      expect(variants.size, topic).toBeGreaterThanOrEqual(2);
    }
    expect(new Set(texts.map((t) => t.paragraphs[0]!.split(' ').slice(0, 3).join(' '))).size).toBeGreaterThanOrEqual(3);
  });

  it('names the devices with their Roman numerals and the times they are heard', () => {
    const a = demoAnalysis('Borrowed Light');
    const ins = writeInsight(a);
    const mixture = ins.claims.find((c) => c.topic === 'modal-interchange')!;
    expect(mixture.text).toMatch(/♭VI/);
    expect(mixture.text).toMatch(/C minor/);
    const starts = a.theory.devices.filter((d) => d.kind === 'modal-interchange').map((d) => clock(d.start));
    for (const t of starts) expect(mixture.text).toContain(t);
    expect(mixture.evidence.length).toBe(starts.length);
    expect(text(ins)).toMatch(/Camelot 8B|\(8B\)|8B on the Camelot/);
    const ferry = writeInsight(demoAnalysis('Night Ferry'));
    expect(ferry.claims.find((c) => c.topic === 'modulation')!.text).toMatch(/E minor to B minor/);
    const four = writeInsight(demoAnalysis('Four on the Floor'));
    expect(four.claims.find((c) => c.topic === 'chords')!.text).toMatch(/I–V–vi–IV/);
  });
});

describe('confidence: stated, hedged or left out', () => {
  it('hedges a middling key, tempo and meter, and leaves them out when very unsure', () => {
    const a = demoAnalysis('Borrowed Light');
    const hedged = writeInsight({ ...a, key: { ...a.key, confidence: 0.55 }, rhythm: { ...a.rhythm, confidence: 0.45, meterConfidence: 0.45 } });
    expectSane(a, hedged);
    expect(hedged.claims.find((c) => c.topic === 'key')!.text).toMatch(/probably|seems/);
    expect(hedged.claims.find((c) => c.topic === 'tempo')!.text).toMatch(/probably|seems/);
    expect(hedged.claims.find((c) => c.topic === 'meter')!.text).toMatch(/probably|seems/);
    const gone = writeInsight({ ...a, key: { ...a.key, confidence: 0.2 }, rhythm: { ...a.rhythm, confidence: 0.1, meterConfidence: 0.1 } });
    expectSane(a, gone);
    expect(gone.claims.map((c) => c.topic)).not.toContain('key');
    expect(gone.claims.map((c) => c.topic)).not.toContain('tempo');
    expect(gone.claims.map((c) => c.topic)).not.toContain('meter');
    expect(text(gone)).not.toMatch(/BPM|8B|4\/4/);
  });

  it('says a tempo drifts by a few per cent, and that it changes when a long recording spans many tempi', () => {
    const a = demoAnalysis('Borrowed Light');
    const at = (bpms: number[]) => bpms.map((bpm, i) => ({ time: 5 + 10 * i, bpm }));
    const drifting = writeInsight({ ...a, rhythm: { ...a.rhythm, tempoCurve: at([126, 128, 131]) } });
    expectSane(a, drifting);
    expect(drifting.claims.find((c) => c.topic === 'tempo')!.text).toMatch(/128 BPM, drifting between 126 and 131 BPM/);
    const changing = writeInsight({ ...a, rhythm: { ...a.rhythm, tempoCurve: at([90, 128, 150]) } });
    expectSane(a, changing);
    expect(changing.claims.find((c) => c.topic === 'tempo')!.text).toMatch(/128 BPM \(the median; the tempo changes between 90 and 150 BPM\)/);
    const steady = writeInsight(a);
    expect(steady.claims.find((c) => c.topic === 'tempo')!.text).not.toMatch(/drift|changes/);
  });

  it('tells key changes in the order they are first heard, a change heard again once with its times, and summarises a long list', () => {
    const a = demoAnalysis('Night Ferry');
    const mod = (start: number, from: string, to: string): HarmonicDevice => ({
      kind: 'modulation',
      label: `Direct modulation ${from} → ${to}, up a whole step`,
      start,
      end: start + 1,
      chordIndices: [],
      confidence: 0.9,
      detail: { from, to, type: 'direct', interval: 'up a whole step' },
    });
    const others = a.theory.devices.filter((d) => d.kind !== 'modulation');
    const twice = writeInsight({ ...a, durationSec: 600, theory: { ...a.theory, devices: [...others, mod(400, 'C major', 'D major'), mod(100, 'C major', 'D major'), mod(200, 'D major', 'C major')] } });
    const t = twice.claims.find((c) => c.topic === 'modulation')!.text;
    expect(t).toMatch(/from C major to D major at 1:40 and 6:40, a direct key change; later .*3:20/);
    expect(t.indexOf('1:40')).toBeLessThan(t.indexOf('3:20'));
    const keys = ['C major', 'D major', 'E major', 'F♯ major', 'A♭ major', 'B♭ major', 'C major'];
    const many = keys.slice(1).map((to, i) => mod(60 * (i + 1), keys[i]!, to));
    const medley = writeInsight({ ...a, durationSec: 600, theory: { ...a.theory, devices: [...others, ...many] } });
    expectSane({ ...a, durationSec: 600 }, medley);
    expect(medley.claims.find((c) => c.topic === 'modulation')!.text).toBe(
      'The key changes six times between 1:00 and 6:00, through six keys; the first changes: C major → D major at 1:00; D major → E major at 2:00; and E major → F♯ major at 3:00.',
    );
  });

  it('hedges a device of middling confidence and drops one below the threshold', () => {
    const a = demoAnalysis('Night Ferry');
    const at = (c: number) => ({ ...a, theory: { ...a.theory, devices: a.theory.devices.map((d) => ({ ...d, confidence: c })) } });
    const mid = writeInsight(at((THRESHOLDS.device.firm + THRESHOLDS.device.hedge) / 2));
    expectSane(a, mid);
    expect(mid.claims.find((c) => c.topic === 'modulation')!.text).toMatch(/seems/);
    const low = writeInsight(at(THRESHOLDS.device.hedge - 0.05));
    expect(low.claims.find((c) => c.topic === 'modulation')).toBeUndefined();
    expect(text(low)).not.toMatch(/B minor/);
  });

  it('keeps the threshold rule whatever the confidences (a sweep over every level)', () => {
    for (const title of ['Borrowed Light', 'Malt Shop Moon', 'Blue Corner']) {
      const a = demoAnalysis(title);
      for (const c of [0.05, 0.2, 0.35, 0.42, 0.5, 0.6, 0.68, 0.72, 0.8, 1]) {
        const scaled: InsightInput = {
          ...a,
          rhythm: { ...a.rhythm, confidence: c, meterConfidence: c },
          key: { ...a.key, confidence: c },
          chords: { chords: a.chords.chords.map((x) => ({ ...x, confidence: c })) },
          theory: { ...a.theory, devices: a.theory.devices.map((d) => ({ ...d, confidence: c })) },
          form: form(a.durationSec, c),
          descriptors: descriptors({}, c),
          sound: sound(a.durationSec, { presence: 0.8, confidence: c }),
          loudness: loudness(a.durationSec),
        };
        expectSane(scaled, writeInsight(scaled));
      }
    }
  });

  it('says nothing of substance when every confidence is very low', () => {
    const a = demoAnalysis('Second Wind');
    const low: InsightInput = {
      ...a,
      rhythm: { ...a.rhythm, confidence: 0.1, meterConfidence: 0.1 },
      key: { ...a.key, confidence: 0.1 },
      chords: { chords: a.chords.chords.map((x) => ({ ...x, confidence: 0.1 })) },
      theory: { ...a.theory, devices: a.theory.devices.map((d) => ({ ...d, confidence: 0.1 })) },
    };
    const ins = writeInsight(low);
    expectSane(low, ins);
    expect(ins.paragraphs).toEqual(['There is not enough musical content here to describe: nothing was measured with enough confidence to state.']);
  });
});

describe('engine II facts, when measured', () => {
  it('adds loudness to the surface, the form to the middle and character, energy and vocals to the top', () => {
    const a = demoAnalysis('Four on the Floor');
    const full: InsightInput = { ...a, loudness: loudness(a.durationSec), form: form(a.durationSec), descriptors: descriptors(), sound: sound(a.durationSec, { presence: 0.8, confidence: 0.9 }) };
    const ins = writeInsight(full);
    expectSane(full, ins);
    const topic = (t: string) => ins.claims.find((c) => c.topic === t);
    expect(topic('loudness')!.layer).toBe('surface');
    expect(topic('loudness')!.text).toMatch(/−11\.3 LUFS/);
    expect(topic('loudness')!.text).toMatch(/−0\.4 dBTP/);
    expect(topic('form')!.text).toContain('intro–verse–chorus–verse–chorus');
    expect(topic('chorus')!.text).toContain(clock(full.form!.sections[2]!.start));
    expect(topic('chorus')!.evidence[0]!.start).toBeCloseTo(full.form!.sections[2]!.start, 3);
    expect(topic('mood')!.layer).toBe('top');
    expect(topic('mood')!.text).toMatch(/bright|joyful|sunny/);
    expect(topic('mood')!.text).toMatch(/electronic/);
    expect(topic('tempo')!.text).toMatch(/a fast 130 BPM/);
    expect(topic('energy-peak')!.text).toMatch(/\d:\d\d/);
    expect(topic('vocals')!.text).toContain('0:04');
    const quiet = writeInsight({ ...full, sound: sound(a.durationSec, { presence: 0.02, confidence: 0.85 }), descriptors: descriptors({ valence: 0.2, arousal: 0.2, energy: 0.2 }) });
    expect(quiet.claims.find((c) => c.topic === 'vocals')!.text).toMatch(/instrumental/);
    expect(quiet.claims.find((c) => c.topic === 'mood')!.text).toMatch(/wistful|sombre|dark/);
  });

  it('hedges an uncertain form and leaves out one it cannot trust', () => {
    const a = demoAnalysis('Open Road');
    const unsure = writeInsight({ ...a, form: form(a.durationSec, 0.5) });
    expect(unsure.claims.find((c) => c.topic === 'form')!.text).toMatch(/seems|probably/);
    const none = writeInsight({ ...a, form: form(a.durationSec, 0.2) });
    expect(none.claims.find((c) => c.topic === 'form')).toBeUndefined();
  });
});

describe('nothing to describe', () => {
  const silence = (durationSec: number): InsightInput => ({
    durationSec,
    rhythm: { bpm: 0, confidence: 0.02, tempoCurve: [], beats: [], downbeats: [], meter: '4/4', beatsPerBar: 4, meterConfidence: 0 },
    key: { global: { tonic: 0, mode: 'major' }, confidence: 0.01, segments: [] },
    chords: { chords: [{ start: 0, end: durationSec, root: null, quality: 'N', bass: null, confidence: 0.99, label: 'N' }] },
    theory: { romans: [], devices: [] },
  });

  it('says so for silence, a one-second file and unmusical noise, without inventing facts', () => {
    const cases: [InsightInput, RegExp][] = [
      [silence(10), /no steady beat and no chords/],
      [{ ...silence(10), loudness: { ...loudness(10), integratedLufs: null, loudnessRangeLu: null, truePeakDbtp: null } }, /silent/],
      [{ ...demoAnalysis('Open Road'), durationSec: 1 }, /too short/],
      // A sine: one 'chord' all through and no beat.
      [{ ...silence(10), key: { ...silence(10).key, confidence: 0.95 }, chords: { chords: [{ start: 0, end: 10, root: 4, quality: 'maj', bass: 4, confidence: 0.9, label: 'E:maj' }] } }, /no change of harmony/],
    ];
    for (const [a, why] of cases) {
      const ins = writeInsight(a);
      expect(ins.paragraphs).toHaveLength(1);
      expect(ins.paragraphs[0]).toMatch(/^There is not enough musical content here to describe: /);
      expect(ins.paragraphs[0]).toMatch(why);
      expect(notEnoughContent(a)).not.toBeNull();
      expect(ins.claims).toHaveLength(1);
      expect(ins.claims[0]!.evidence[0]!.end).toBeLessThanOrEqual(a.durationSec);
      expect(text(ins)).not.toMatch(/BPM|major|minor|NaN|undefined/);
    }
  });

  it('a steady beat over one chord is told as a single chord, not a loop', () => {
    const a = demoAnalysis('Open Road');
    const drone: InsightInput = { ...a, chords: { chords: [{ start: 0, end: a.durationSec, root: 7, quality: 'maj', bass: 7, confidence: 0.9, label: 'G:maj' }] }, theory: { romans: [{ chordIndex: 0, start: 0, end: a.durationSec, key: a.key.global, numeral: 'I', function: 'tonic' }], devices: [] } };
    const ins = writeInsight(drone);
    expectSane(drone, ins);
    expect(ins.claims.find((c) => c.topic === 'chords')!.text).toBe('It holds a single chord, G, throughout.');
  });

  it('survives broken numbers (NaN tempo, empty beats, zero duration) with clean text', () => {
    const a = demoAnalysis('Night Ferry');
    const odd: InsightInput[] = [
      { ...a, rhythm: { ...a.rhythm, bpm: NaN } },
      { ...a, rhythm: { ...a.rhythm, beats: [], downbeats: [] } },
      { ...silence(0) },
      { ...a, durationSec: NaN },
    ];
    for (const x of odd) {
      const ins = writeInsight(x);
      expect(text(ins)).not.toMatch(/NaN|undefined|null|Infinity/);
      for (const c of ins.claims) for (const e of c.evidence) expect(Number.isFinite(e.start) && Number.isFinite(e.end)).toBe(true);
    }
  });
});

describe('phrasing helpers', () => {
  it('hashes with FNV-1a and lists times in words', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(atTimes([83])).toBe('at 1:23');
    expect(atTimes([1, 2.2])).toBe('at 0:01 and 0:02');
    expect(atTimes([1, 20, 40, 60])).toBe('four times, first at 0:01');
  });
});
