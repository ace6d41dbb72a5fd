// Finding the checkable claims in a model's free text: tempo (BPM), key and mode (letter names with
// accidentals, 'sharp'/'flat' words, Camelot codes), meter (time signatures and their usual names),
// chords (Harte labels 'A:min', or plain symbols 'Am, F, C, G' in a list), section names and counts,
// and duration. Rule-based regular expressions over sentences; each claim keeps its quote. What the
// rules do not recognise is simply not a claim (it stays unverified prose).
import type { Key, Mode, PitchClass } from '../../analysis/types.ts';

export type ClaimKind = 'tempo' | 'key' | 'mode' | 'meter' | 'chords' | 'section' | 'section-count' | 'duration';

export interface ChordToken {
  root: PitchClass;
  /** Triad family: 'maj' (incl. 7, maj7, sus, aug), 'min' (incl. min7), 'dim' (incl. hdim7, dim7). */
  family: 'maj' | 'min' | 'dim';
  symbol: string;
}

export type Claim =
  | { kind: 'tempo'; quote: string; bpm: number; /** A range "120–125 BPM". */ high?: number; approximate: boolean }
  | { kind: 'key'; quote: string; key: Key | { tonic: PitchClass; mode: null }; spelled: string }
  | { kind: 'mode'; quote: string; mode: Mode }
  | { kind: 'meter'; quote: string; meter: string }
  | { kind: 'chords'; quote: string; chords: ChordToken[] }
  | { kind: 'section'; quote: string; label: string }
  | { kind: 'section-count'; quote: string; label: string | null; count: number }
  | { kind: 'duration'; quote: string; seconds: number; approximate: boolean };

const LETTER: Record<string, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };
const mod12 = (n: number) => ((n % 12) + 12) % 12;

/** 'F#', 'Bb', 'E♭', 'C sharp', 'B flat' → pitch class. */
export function parseNoteName(letter: string, accidental: string | undefined): PitchClass {
  const a = (accidental ?? '').trim().toLowerCase();
  const shift = a === '#' || a === '♯' || a === 'sharp' ? 1 : a === 'b' || a === '♭' || a === 'flat' ? -1 : 0;
  return mod12(LETTER[letter.toUpperCase()]! + shift);
}

const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, twice: 2, once: 1 };

/** Splits text into sentences (keeps each as the quote of its claims). */
export function sentences(text: string): string[] {
  return text
    .replace(/\r/g, '')
    .split(/(?<=[.!?])\s+(?=[A-Z0-9"'(])|\n+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

const ACC = String.raw`(#|♯|b|♭|\s+sharp|\s+flat|-sharp|-flat)?`;
const NOTE = String.raw`\b([A-G])${ACC}`;

function tempoClaims(s: string, out: Claim[]): void {
  const re = /(~|about |around |approximately |roughly |circa )?\b(\d{2,3}(?:\.\d+)?)(?:\s*(?:-|–|to)\s*(\d{2,3}(?:\.\d+)?))?\s*(?:bpm|beats per minute|b\.p\.m\.)/gi;
  for (const m of s.matchAll(re)) {
    const bpm = Number(m[2]);
    const high = m[3] ? Number(m[3]) : undefined;
    if (bpm < 20 || bpm > 400) continue;
    out.push({ kind: 'tempo', quote: s, bpm, ...(high && high > bpm ? { high } : {}), approximate: !!m[1] });
  }
  if (!/bpm|beats per minute/i.test(s)) {
    const t = /\btempo (?:of|is|at|around|about|:)\s*(?:about |around |~)?(\d{2,3}(?:\.\d+)?)\b/i.exec(s);
    if (t && Number(t[1]) >= 20 && Number(t[1]) <= 400) out.push({ kind: 'tempo', quote: s, bpm: Number(t[1]), approximate: /about|around|~/.test(t[0]) });
  }
}

function keyClaims(s: string, out: Claim[]): void {
  let found = false;
  // "A minor", "F# major", "B flat minor", "Ebm" when it names a key.
  const re = new RegExp(`${NOTE}\\s*(major|minor|maj\\b|min\\b|m\\b)`, 'g');
  for (const m of s.matchAll(re)) {
    const before = s.slice(0, m.index);
    // "A minor" as an article ("a minor change") is lower-case; an upper-case 'A' at the start of a
    // sentence followed by 'minor'/'major' + a noun other than key words is still ambiguous: require
    // a key word nearby when the letter is a sentence-initial 'A'.
    if (m[1] === 'A' && !m[2] && /^\s*$/.test(before) && !/\bkey|tonal|tonic|in A\b/i.test(s)) continue;
    const modeWord = m[3]!.toLowerCase();
    if (modeWord === 'm' && !/\bkey\b|\bin\s*$/i.test(before.slice(-20))) continue; // "Am" alone is a chord
    const mode: Mode = modeWord.startsWith('maj') ? 'major' : 'minor';
    const tonic = parseNoteName(m[1]!, m[2]);
    out.push({ kind: 'key', quote: s, key: { tonic, mode }, spelled: m[0].trim() });
    found = true;
  }
  // "key of D", "in the key of Bb" without a mode.
  if (!found) {
    const k = new RegExp(`\\bkey (?:of|is|:)\\s*${NOTE}(?![a-z])`, 'i').exec(s);
    if (k) out.push({ kind: 'key', quote: s, key: { tonic: parseNoteName(k[1]!.toUpperCase(), k[2]), mode: null }, spelled: k[0].replace(/^key (?:of|is|:)\s*/i, '') });
  }
  // Camelot codes: "8A", "Camelot 11B".
  for (const m of s.matchAll(/\b(?:camelot\s*(?:code\s*)?)?(1[0-2]|[1-9])([AB])\b/gi)) {
    if (!/camelot/i.test(s)) continue;
    const n = Number(m[1]);
    const mode: Mode = m[2]!.toUpperCase() === 'B' ? 'major' : 'minor';
    // Camelot: 8B = C major; one step = a fifth. Major tonic = 7·(n − 8) semitones from C.
    const majorTonic = mod12(7 * (n - 8));
    out.push({ kind: 'key', quote: s, key: { tonic: mode === 'major' ? majorTonic : mod12(majorTonic - 3), mode }, spelled: `${n}${m[2]!.toUpperCase()}` });
    found = true;
  }
  // A mode without a tonic: "a minor key", "minor tonality", "in a major mode".
  if (!found) {
    const md = /\b(?:in an? |a )?(major|minor)(?:[- ]key| tonality| mode| scale)\b/i.exec(s);
    if (md) out.push({ kind: 'mode', quote: s, mode: md[1]!.toLowerCase() as Mode });
  }
}

const METER_WORDS: [RegExp, string][] = [
  [/\bcommon time\b/i, '4/4'],
  [/\bcut time\b/i, '2/2'],
  [/\bwaltz (?:time|feel|meter)\b/i, '3/4'],
  [/\btriple (?:meter|time)\b/i, '3/4'],
  [/\bcompound (?:duple )?(?:meter|time)\b/i, '6/8'],
];

function meterClaims(s: string, out: Claim[]): void {
  let any = false;
  for (const m of s.matchAll(/\b(2|3|4|5|6|7|9|12)\s*\/\s*(2|4|8|16)\b/g)) {
    // A date or fraction is unlikely next to music words; require one.
    if (!/time|meter|metre|signature|feel|groove|rhythm|beat|bar|measure|waltz|in \d/i.test(s)) continue;
    out.push({ kind: 'meter', quote: s, meter: `${m[1]}/${m[2]}` });
    any = true;
  }
  if (!any)
    for (const [re, meter] of METER_WORDS)
      if (re.test(s)) {
        out.push({ kind: 'meter', quote: s, meter });
        break;
      }
}

const QUALITY = String.raw`(maj7|maj9|maj|M7|min7|min|m7b5|m7|m9|m6|m|dim7|dim|°7|°|ø7|ø|aug|\+|sus2|sus4|add9|13|11|9|7|6|5)?`;
const CHORD_SYMBOL = new RegExp(String.raw`^([A-G])(#|♯|b|♭)?` + QUALITY + String.raw`(?:/([A-G](?:#|♯|b|♭)?|[0-9]+))?$`);
const HARTE = /^([A-G])(#|b)*:(maj|min|7|maj7|min7|dim|aug|sus2|sus4|hdim7|dim7|maj6|min6|9|maj9|min9)(?:\/\d+)?$/;

function familyOf(q: string): ChordToken['family'] {
  if (/^(min|m7b5)$/.test(q)) return q === 'm7b5' ? 'dim' : 'min';
  if (/^(m|m7|m9|m6|min7|min6|min9)$/.test(q)) return 'min';
  if (/^(dim|dim7|°|°7|ø|ø7|hdim7)$/.test(q)) return 'dim';
  return 'maj';
}

/** One token → chord, or null: 'Am', 'F#m7', 'Bb/D', 'G:7', 'A:min7'. */
export function parseChordToken(token: string): ChordToken | null {
  const t = token.trim().replace(/[.,;:)]+$/, '').replace(/^[(]+/, '');
  const h = HARTE.exec(t);
  if (h) {
    const acc = t.slice(1, t.indexOf(':'));
    const root = mod12(LETTER[h[1]!]! + [...acc].reduce((n, c) => n + (c === '#' ? 1 : -1), 0));
    return { root, family: familyOf(h[3]!), symbol: t };
  }
  const m = CHORD_SYMBOL.exec(t);
  if (!m) return null;
  return { root: parseNoteName(m[1]!, m[2]), family: familyOf(m[3] ?? ''), symbol: t };
}

function chordClaims(s: string, out: Claim[]): void {
  // A run of ≥ 2 chord tokens separated by commas, dashes, arrows or pipes (so the article 'A' or a
  // note name in prose is not a chord), or any Harte label.
  const tokens = s.split(/\s*(?:,|–|—|->|→|\||\s-\s|\band\b|\bthen\b|\s)\s*/).filter(Boolean);
  let run: ChordToken[] = [];
  const runs: ChordToken[][] = [];
  for (const tok of tokens) {
    const c = parseChordToken(tok);
    if (c) run.push(c);
    else {
      if (run.length) runs.push(run);
      run = [];
    }
  }
  if (run.length) runs.push(run);
  for (const r of runs) {
    const harte = r.some((c) => c.symbol.includes(':'));
    // A lone letter 'A'/'E' etc. in prose is too ambiguous: a run needs two chords, one of them not a bare letter,
    // or chord words in the sentence.
    const chordWords = /\bchords?\b|progression|changes|harmon|vamp|cycle|loop/i.test(s);
    const bareOnly = r.every((c) => /^[A-G]$/.test(c.symbol));
    if (harte || (r.length >= 2 && (chordWords || !bareOnly)) || (r.length === 1 && chordWords && !bareOnly)) {
      out.push({ kind: 'chords', quote: s, chords: r });
    }
  }
}

export const SECTION_WORDS: Record<string, string> = {
  intro: 'intro',
  introduction: 'intro',
  verse: 'verse',
  verses: 'verse',
  'pre-chorus': 'pre-chorus',
  prechorus: 'pre-chorus',
  'pre-choruses': 'pre-chorus',
  chorus: 'chorus',
  choruses: 'chorus',
  refrain: 'chorus',
  bridge: 'bridge',
  bridges: 'bridge',
  outro: 'outro',
  coda: 'outro',
  instrumental: 'instrumental',
  interlude: 'instrumental',
  solo: 'instrumental',
  breakdown: 'breakdown',
  drop: 'drop',
  drops: 'drop',
  'build-up': 'build-up',
  buildup: 'build-up',
};

function sectionClaims(s: string, out: Claim[]): void {
  const seen = new Set<string>();
  const re = /\b(pre-?chorus(?:es)?|introduction|intro|verses?|choruses|chorus|refrain|bridges?|outro|coda|interlude|breakdown|drops?|build-?up|(?:instrumental|guitar|piano|sax(?:ophone)?) (?:section|break|solo)|solo)\b/gi;
  // "instrumental" as an adjective of the whole song ("an instrumental track") is not a section.
  for (const m of s.matchAll(re)) {
    let w = m[1]!.toLowerCase();
    if (/ (section|break|solo)$/.test(w)) w = 'solo';
    const label = SECTION_WORDS[w.replace(/^prechorus/, 'pre-chorus')] ?? SECTION_WORDS[w] ?? null;
    if (!label) continue;
    if (label === 'drop' && !/\bthe drop|drops? (?:in|at|into|hits?)|build/i.test(s)) continue; // "drops" as a verb
    if (!seen.has(label)) out.push({ kind: 'section', quote: s, label });
    seen.add(label);
  }
  // Counts: "two choruses", "3 verses", "the chorus returns twice/three times".
  const countRe = /\b(one|two|three|four|five|six|seven|eight|\d)\s+(verses|choruses|bridges|sections|parts|drops)\b/gi;
  for (const m of s.matchAll(countRe)) {
    const count = NUMBER_WORDS[m[1]!.toLowerCase()] ?? Number(m[1]);
    const w = m[2]!.toLowerCase();
    const label = w === 'sections' || w === 'parts' ? null : SECTION_WORDS[w]!;
    if (w === 'parts' && !/\b(structure|form|song|track) (?:is |has |of |in )/i.test(s)) continue;
    out.push({ kind: 'section-count', quote: s, label, count });
  }
}

function durationClaims(s: string, out: Claim[]): void {
  const approx = /about|around|approximately|roughly|nearly|almost|just (?:over|under)|~|some /i;
  const mmss = /\b(\d{1,2}):([0-5]\d)\b/g;
  if (/\b(?:lasts?|long|length|duration|runs?|running time|runtime|clocks? in|minutes?)\b/i.test(s)) {
    for (const m of s.matchAll(mmss)) {
      // Skip timestamps ("at 1:20", "from 0:45"): a duration is introduced by a length word.
      const before = s.slice(Math.max(0, m.index - 25), m.index);
      if (/\b(at|from|to|until|around the|by|after|before|–|-)\s*$/i.test(before) && !/(lasts?|length|duration|runs?|runtime|running time|clocks? in at)\s*(?:about |around |approximately |just over |just under )?$/i.test(before)) continue;
      out.push({ kind: 'duration', quote: s, seconds: Number(m[1]) * 60 + Number(m[2]), approximate: approx.test(before) });
    }
    const words = /\b(?:(\d{1,2}(?:\.\d)?|one|two|three|four|five|six|seven|eight|nine|ten)\s+minutes?(?:\s+(?:and\s+)?(\d{1,2})\s+seconds?)?)\b/i.exec(s);
    if (words && /(lasts?|long|length|duration|runs?|runtime|running time|clocks? in)/i.test(s)) {
      const mins = NUMBER_WORDS[words[1]!.toLowerCase()] ?? Number(words[1]);
      const secs = words[2] ? Number(words[2]) : 0;
      out.push({ kind: 'duration', quote: s, seconds: mins * 60 + secs, approximate: approx.test(s) || !words[2] });
    }
  }
}

/** Every checkable claim in `text`, in reading order. */
export function parseClaims(text: string): Claim[] {
  const out: Claim[] = [];
  for (const s of sentences(text)) {
    tempoClaims(s, out);
    keyClaims(s, out);
    meterClaims(s, out);
    chordClaims(s, out);
    sectionClaims(s, out);
    durationClaims(s, out);
  }
  return out;
}
