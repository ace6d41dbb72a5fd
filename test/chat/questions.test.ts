// Scores the default (no language model) chat on the demo library's question set: ≥ 90 % right,
// each answer's text checked against the ground truth and its citations against the tracks (and
// moments) it must rest on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerQuestion } from '../../app/chat/answer.ts';
import { ChatLibrary } from '../../app/chat/library.ts';
import type { Store } from '../../app/store/index.ts';
import { openDemoStore } from '../search/demoFixture.ts';
import { chatQuestions, type Question } from './questions.ts';

let store: Store;
beforeAll(async () => {
  ({ store } = await openDemoStore());
}, 600_000);
afterAll(() => store?.close());

function correct(q: Question, lib: ChatLibrary): { ok: boolean; why: string; text: string } {
  const a = answerQuestion(lib, q.question);
  const cited = new Set(a.citations.map((c) => c.title));
  if (!q.check(a)) return { ok: false, why: 'answer', text: a.text };
  const missing = q.cites.filter((t) => !cited.has(t));
  if (missing.length) return { ok: false, why: `citations lack ${missing.join(', ')}`, text: a.text };
  if (q.at && !a.citations.some((c) => c.title === q.at!.title && c.start !== undefined && Math.abs(c.start - q.at!.time) <= q.at!.tolerance)) {
    return { ok: false, why: `no citation near ${q.at.time.toFixed(1)} s`, text: a.text };
  }
  return { ok: true, why: '', text: a.text };
}

describe('chat question set (default parser, demo library)', () => {
  it('has at least 80 questions and answers at least 90 % of them right, with the right citations', () => {
    const lib = new ChatLibrary(store);
    const qs = chatQuestions();
    expect(qs.length).toBeGreaterThanOrEqual(80);
    const results = qs.map((q) => ({ q, ...correct(q, lib) }));
    const right = results.filter((r) => r.ok).length;
    const score = right / qs.length;
    for (const r of results.filter((x) => !x.ok)) console.log(`✗ ${r.q.question} — ${r.why}\n    ${r.text.split('\n')[0]}`);
    console.log(`chat question set: ${right}/${qs.length} correct = ${(score * 100).toFixed(1)} %`);
    expect(score).toBeGreaterThanOrEqual(0.9);
  });
});
