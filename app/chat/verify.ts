// Checks a language model's answer against what the tools returned: a library title, a key, a meter,
// a time or a number that no tool result (nor the question) contains is marked "[unverified: …]"
// in place — marked, not stripped, so the sentence still reads and the user sees what to doubt.
import { normalise } from './library.ts';

export interface Verified {
  text: string;
  /** The pieces that were marked. */
  unverified: string[];
}

const NUMBER = /\d+(?:[.,]\d+)?/g;

/** Every number in a text (m:ss times also as seconds). */
function numbersIn(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(/(\d+):([0-5]\d)/g)) out.push(Number(m[1]) * 60 + Number(m[2]));
  for (const m of text.matchAll(NUMBER)) out.push(Number(m[0].replace(',', '.')));
  return out;
}

/** True when a number is one of the known ones, as written or rounded (to 0 or 1 decimals, or a % of a 0..1 value). */
function known(n: number, pool: number[]): boolean {
  return pool.some((k) => Math.abs(k - n) < 1e-9 || Math.round(k) === n || Math.round(k * 10) / 10 === n || Math.round(k * 100) === n || Math.abs(k - n) <= 0.05);
}

/**
 * Marks unsupported facts. `sources` are the tools' outputs (JSON and text) and the question; `titles`
 * are every title in the library; a title is supported only when a source names it.
 */
export function verifyAnswer(answer: string, sources: string[], titles: string[]): Verified {
  const corpus = sources.join('\n');
  const corpusNorm = normalise(corpus);
  const pool = numbersIn(corpus);
  const unverified: string[] = [];
  const marks: { start: number; end: number; text: string }[] = [];
  const mark = (start: number, end: number) => {
    if (marks.some((m) => start < m.end && end > m.start)) return;
    const text = answer.slice(start, end);
    marks.push({ start, end, text });
    unverified.push(text);
  };

  // Titles of the library named in the answer that no tool returned.
  for (const title of [...titles].sort((a, b) => b.length - a.length)) {
    if (!title.trim() || corpusNorm.includes(normalise(title))) continue;
    const re = new RegExp(title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
    for (const m of answer.matchAll(re)) mark(m.index!, m.index! + m[0].length);
  }
  // Quoted names (“…” or "…") that appear in no tool result: an invented title.
  for (const m of answer.matchAll(/[“"]([^”"\n]{2,80})[”"]/g)) {
    if (!corpusNorm.includes(normalise(m[1]!))) mark(m.index!, m.index! + m[0].length);
  }
  // Keys ("D minor", "Bb major") not returned.
  for (const m of answer.matchAll(/\b([A-G](?:#|b|♯|♭)?)\s+(major|minor)\b/g)) {
    const name = `${m[1]!.replace('♯', '#').replace('♭', 'b')} ${m[2]}`;
    if (!corpus.includes(name) && !corpus.includes(m[0])) mark(m.index!, m.index! + m[0].length);
  }
  // Meters ("3/4").
  for (const m of answer.matchAll(/\b(\d{1,2})\/(\d{1,2})\b/g)) if (!corpus.includes(m[0])) mark(m.index!, m.index! + m[0].length);
  // Times (m:ss) and other numbers, with a unit word after them when there is one.
  for (const m of answer.matchAll(/(\d+):([0-5]\d)/g)) {
    const sec = Number(m[1]) * 60 + Number(m[2]);
    if (!pool.some((k) => Math.abs(k - sec) <= 1)) mark(m.index!, m.index! + m[0].length);
  }
  for (const m of answer.matchAll(/(?<![\d:./])\d+(?:[.,]\d+)?(?![\d:/])(\s*(?:%|bpm|BPM|LUFS|LU|dBTP|dB|Hz|seconds|s\b))?/g)) {
    const n = Number(m[0].replace(/[^\d.,]/g, '').replace(',', '.'));
    if (!known(n, pool)) mark(m.index!, m.index! + m[0].length);
  }

  let text = answer;
  for (const m of [...marks].sort((a, b) => b.start - a.start)) text = `${text.slice(0, m.start)}[unverified: ${m.text.trim()}]${text.slice(m.end)}`;
  return { text, unverified };
}
