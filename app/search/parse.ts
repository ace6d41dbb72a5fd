// Plain-English search text → a typed query (grammar and word lists: GRAMMAR.md, vocabulary.ts).
// A hand-written longest-match parser over normalised words: phrases from the vocabulary, keys,
// tempos, meters, years and `field:value` terms become clauses; negation words negate the next
// clause; "like …" names a seed track; every other word is full-text search.
import type { Mode } from '../analysis/types.ts';
import { MAX_QUERY_CHARS, type Clause, type ParsedQuery, type TextField } from './query.ts';
import {
  DESCRIPTOR_PHRASES,
  DEVICE_PHRASES,
  METER_PHRASES,
  NEGATION_WORDS,
  SECTION_PHRASES,
  STOP_WORDS,
  TEMPO_PHRASES,
  TEMPO_TOLERANCE,
} from './vocabulary.ts';

interface Token {
  /** Lower-case, normalised word (or the quoted text). */
  text: string;
  /** As typed (case kept), for titles and field values. */
  raw: string;
  quoted: boolean;
  /** A `-` in front: negates this word or field. */
  minus: boolean;
  /** `field:value` terms. */
  field?: string;
  /** A comma, semicolon, ? or ! follows: ends a "like …" title. */
  boundary: boolean;
}

type ClauseBody = Clause extends infer C ? (C extends Clause ? Omit<C, 'negate' | 'source'> : never) : never;

const FIELDS = new Set(['artist', 'album', 'genre', 'title', 'year', 'bpm', 'tempo', 'key', 'meter']);
const AROUND_WORDS = new Set(['around', 'about', 'approximately', 'approx', 'roughly', 'near', 'circa', 'ca', '~']);
const CONNECTORS = new Set(['but', 'with', 'without', 'in', 'not', 'and', 'that', 'which', 'from', 'no', 'by']);
const MODE_WORDS: Record<string, Mode> = { major: 'major', maj: 'major', minor: 'minor', min: 'minor', m: 'minor' };
const NOTE_LETTERS: Record<string, number> = { c: 0, d: 2, e: 4, f: 5, g: 7, a: 9, b: 11 };
const DECADE_WORDS: Record<string, number> = {
  fifties: 1950, sixties: 1960, seventies: 1970, eighties: 1980, nineties: 1990, noughties: 2000, aughts: 2000, twenties: 2020,
};

/** Lower-case words of a phrase, hyphens as spaces (as the query's words are split). */
export function phraseWords(phrase: string): string[] {
  return normaliseText(phrase).toLowerCase().replace(/-/g, ' ').split(/\s+/).filter(Boolean);
}

/** Unicode NFKC; ♭/♯ as b/#; dashes as '-'; curly quotes as straight ones. */
function normaliseText(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/♭/g, 'b')
    .replace(/♯/g, '#')
    .replace(/[‐‑‒–—−]/g, '-')
    .replace(/[‘’`´]/g, "'")
    .replace(/[“”„]/g, '"');
}

const PUNCT_BOUNDARY = new Set([',', ';', '!', '?', '(', ')', '[', ']', '{', '}']);

/** Splits the query into words, quoted phrases and `field:value` terms. */
function tokenize(input: string, notes: string[]): Token[] {
  const s = normaliseText(input);
  const out: Token[] = [];
  const push = (t: Omit<Token, 'boundary'>) => out.push({ ...t, boundary: false });
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (PUNCT_BOUNDARY.has(ch)) {
      if (out.length) out[out.length - 1]!.boundary = true;
      i++;
      continue;
    }
    if (ch === '"') {
      const end = s.indexOf('"', i + 1);
      if (end < 0) {
        notes.push('an opening " has no closing ": the quote was ignored');
        i++;
        continue;
      }
      const raw = s.slice(i + 1, end).trim();
      if (raw) push({ text: raw.toLowerCase(), raw, quoted: true, minus: false });
      i = end + 1;
      continue;
    }
    let j = i;
    while (j < s.length && !/\s/.test(s[j]!) && s[j] !== '"' && !PUNCT_BOUNDARY.has(s[j]!)) j++;
    let word = s.slice(i, j);
    i = j;
    const field = /^(-?)([a-z]+):(.*)$/i.exec(word);
    if (field && FIELDS.has(field[2]!.toLowerCase())) {
      let value = field[3]!;
      if (value === '' && s[i] === '"') {
        const end = s.indexOf('"', i + 1);
        if (end < 0) {
          notes.push(`${field[2]}: has an opening " with no closing ": the rest of the query was taken as its value`);
          value = s.slice(i + 1);
          i = s.length;
        } else {
          value = s.slice(i + 1, end);
          i = end + 1;
        }
      }
      value = value.trim();
      if (value === '') {
        notes.push(`${field[2]}: has no value and was ignored`);
        continue;
      }
      push({ text: value.toLowerCase(), raw: value, quoted: false, minus: field[1] === '-', field: field[2]!.toLowerCase() });
      continue;
    }
    word = word.replace(/^'+/, '').replace(/(?<!\.)\.+$/, '').replace(/'/g, '');
    let minus = false;
    if (word.length > 1 && word.startsWith('-') && !/^-\d/.test(word)) {
      minus = true;
      word = word.replace(/^-+/, '');
    }
    if (!word) continue;
    // "120-130" → 120 to 130; "90bpm" → 90 bpm; "~90" → around 90; other hyphens split words.
    const range = /^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)(bpm)?$/i.exec(word);
    const parts = range
      ? [range[1]!, 'to', range[2]!, ...(range[3] ? ['bpm'] : [])]
      : word
          .replace(/^~(?=\d)/, '~ ')
          .replace(/(\d+(?:\.\d+)?)(bpm)$/i, '$1 $2')
          .split(/[\s-]+/)
          .filter(Boolean);
    for (const p of parts) push({ text: p.toLowerCase(), raw: p, quoted: false, minus });
  }
  return out;
}

interface PhraseEntry {
  words: string[];
  body: ClauseBody;
}

/** Every vocabulary phrase with what it means, longest first. */
const PHRASES: PhraseEntry[] = (() => {
  const entries: PhraseEntry[] = [];
  for (const [concept, phrases] of Object.entries(DEVICE_PHRASES)) {
    for (const p of phrases) entries.push({ words: phraseWords(p), body: { kind: 'device', concept: concept as never } });
  }
  for (const [section, phrases] of Object.entries(SECTION_PHRASES)) {
    for (const p of phrases) entries.push({ words: phraseWords(p), body: { kind: 'section', section: section as never } });
  }
  for (const d of DESCRIPTOR_PHRASES) {
    for (const p of d.phrases) entries.push({ words: phraseWords(p), body: { kind: 'descriptor', descriptor: d.descriptor, direction: d.direction } });
  }
  for (const t of TEMPO_PHRASES) {
    for (const p of t.phrases) entries.push({ words: phraseWords(p), body: { kind: 'tempo', min: t.min, max: t.max, target: null } });
  }
  for (const m of METER_PHRASES) {
    for (const p of m.phrases) entries.push({ words: phraseWords(p), body: { kind: 'meter', meters: m.meters } });
  }
  return entries.sort((a, b) => b.words.length - a.words.length);
})();

interface Match {
  body: ClauseBody;
  /** Tokens consumed. */
  length: number;
}

/** Explicit bpm ranges include tempos that round into them ("120-130 bpm" holds a measured 130.2). */
const RANGE_SLACK = 0.5;

const isNumber = (s: string | undefined): boolean => s !== undefined && /^\d+(\.\d+)?$/.test(s);

/** A pitch-class name at tokens[i]: 'c', 'f#', 'bb', 'b flat', 'e sharp' → [pitch class, tokens used]. */
function noteAt(tokens: Token[], i: number): [number, number] | null {
  const t = tokens[i];
  if (!t || t.quoted || t.field) return null;
  const m = /^([a-g])(#|b|sharp|flat)?$/.exec(t.text);
  if (!m) return null;
  let pc = NOTE_LETTERS[m[1]!]!;
  let used = 1;
  let accidental = m[2];
  const next = tokens[i + 1]?.text;
  if (!accidental && (next === 'sharp' || next === 'flat')) {
    accidental = next;
    used = 2;
  }
  if (accidental === '#' || accidental === 'sharp') pc += 1;
  if (accidental === 'b' || accidental === 'flat') pc -= 1;
  return [(pc + 12) % 12, used];
}

/** Camelot code ('8A' = A minor, '8B' = C major) → key. One step round the wheel is a fifth. */
export function camelotToKey(code: string): { tonic: number; mode: Mode } | null {
  const m = /^(1[0-2]|[1-9])([ab])$/i.exec(code.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const mode: Mode = m[2]!.toLowerCase() === 'b' ? 'major' : 'minor';
  // 8B = C major (0 fifths); each number up adds a fifth.
  const majorTonic = (((n - 8) * 7) % 12 + 12) % 12;
  return { tonic: mode === 'major' ? majorTonic : (majorTonic + 9) % 12, mode };
}

/** A key at tokens[i]: "D minor", "F# major", "B flat", "Bbm", "8A", "minor key", "in D". */
function keyAt(tokens: Token[], i: number, prev: string | undefined): Match | null {
  const t = tokens[i]!;
  const camelot = camelotToKey(t.text);
  if (camelot && /^\d/.test(t.text)) return { body: { kind: 'key', ...camelot }, length: 1 };
  // Compact chord-style names: 'Am', 'F#m', 'Bbmaj', 'C#min' (a lower-case 'am'/'em' is an English word).
  const compact = /^([a-g])(#|b)?(m|min|maj)$/.exec(t.text);
  if (compact && (/^[A-G]/.test(t.raw) || compact[3] !== 'm')) {
    const pc = (NOTE_LETTERS[compact[1]!]! + (compact[2] === '#' ? 1 : compact[2] === 'b' ? -1 : 0) + 12) % 12;
    return { body: { kind: 'key', tonic: pc, mode: MODE_WORDS[compact[3]!]! }, length: 1 };
  }
  const note = noteAt(tokens, i);
  if (note) {
    const [pc, used] = note;
    const modeWord = tokens[i + used]?.text;
    const mode = modeWord !== undefined && modeWord in MODE_WORDS && modeWord !== 'm' ? MODE_WORDS[modeWord]! : null;
    // "a minor key" is the article, not A minor.
    if (t.text === 'a' && t.raw === 'a' && used === 1 && mode && tokens[i + 2]?.text === 'key') {
      return { body: { kind: 'key', tonic: null, mode }, length: 3 };
    }
    if (mode) return { body: { kind: 'key', tonic: pc, mode }, length: used + 1 + (tokens[i + used + 1]?.text === 'key' ? 1 : 0) };
    // A note with its accidental ("B flat", "F#") is a key; a bare letter only after "in" / "key of"
    // ("in D", "key of G"), and the article "a" never.
    if (used === 2 || /[#b]$|sharp$|flat$/.test(t.text.slice(1))) return { body: { kind: 'key', tonic: pc, mode: null }, length: used };
    if ((prev === 'in' || prev === 'of' || prev === 'key') && !(t.raw === 'a' && used === 1)) {
      return { body: { kind: 'key', tonic: pc, mode: null }, length: used };
    }
    return null;
  }
  if ((t.text === 'minor' || t.text === 'major') && !t.quoted) {
    const next = tokens[i + 1]?.text;
    return { body: { kind: 'key', tonic: null, mode: t.text }, length: next === 'key' || next === 'mode' || next === 'keys' ? 2 : 1 };
  }
  return null;
}

/** A tempo at tokens[i]: "90 bpm", "120 to 130 bpm", "between 80 and 100 bpm", "faster than 120 bpm". */
function tempoAt(tokens: Token[], i: number, around: boolean): Match | null {
  const w = (k: number) => tokens[i + k]?.text;
  const bpmAt = (k: number) => (w(k) === 'bpm' ? 1 : w(k) === 'beats' && w(k + 1) === 'per' && w(k + 2) === 'minute' ? 3 : 0);
  if (isNumber(w(0))) {
    const n = Number(w(0));
    if ((w(1) === 'to' || w(1) === 'and') && isNumber(w(2)) && bpmAt(3)) {
      const [lo, hi] = [Math.min(n, Number(w(2))), Math.max(n, Number(w(2)))];
      return { body: { kind: 'tempo', min: lo - RANGE_SLACK, max: hi + RANGE_SLACK, target: (lo + hi) / 2 }, length: 3 + bpmAt(3) };
    }
    if (bpmAt(1)) {
      const tol = around ? TEMPO_TOLERANCE.around : TEMPO_TOLERANCE.exact;
      return { body: { kind: 'tempo', min: n - tol, max: n + tol, target: n }, length: 1 + bpmAt(1) };
    }
    return null;
  }
  if (w(0) === 'between' && isNumber(w(1)) && w(2) === 'and' && isNumber(w(3)) && bpmAt(4)) {
    const [lo, hi] = [Math.min(Number(w(1)), Number(w(3))), Math.max(Number(w(1)), Number(w(3)))];
    return { body: { kind: 'tempo', min: lo - RANGE_SLACK, max: hi + RANGE_SLACK, target: (lo + hi) / 2 }, length: 4 + bpmAt(4) };
  }
  const compare: Record<string, 'above' | 'below'> = { faster: 'above', over: 'above', above: 'above', more: 'above', slower: 'below', under: 'below', below: 'below', less: 'below' };
  const dir = compare[w(0) ?? ''];
  if (dir) {
    const skip = w(1) === 'than' ? 2 : 1;
    if (isNumber(w(skip)) && bpmAt(skip + 1)) {
      const n = Number(w(skip));
      return { body: { kind: 'tempo', min: dir === 'above' ? n : 0, max: dir === 'above' ? 1000 : n, target: null }, length: skip + 1 + bpmAt(skip + 1) };
    }
  }
  return null;
}

/** A year or decade at tokens[i]: "1997", "90s", "1990s", "the nineties", "before 1980", "after 2000". */
function yearAt(tokens: Token[], i: number): Match | null {
  const w = tokens[i]!.text;
  const decade = /^(\d{2}|\d{4})s$/.exec(w);
  if (decade && decade[1]!.endsWith('0')) {
    const d = Number(decade[1]);
    const start = d >= 1000 ? d : d >= 30 ? 1900 + d : 2000 + d;
    return { body: { kind: 'year', min: start, max: start + 9 }, length: 1 };
  }
  if (w in DECADE_WORDS) return { body: { kind: 'year', min: DECADE_WORDS[w]!, max: DECADE_WORDS[w]! + 9 }, length: 1 };
  const isYear = (s: string | undefined) => s !== undefined && /^(1[89]|20)\d\d$/.test(s);
  const next = tokens[i + 1]?.text;
  if ((w === 'before' || w === 'after' || w === 'since') && isYear(next)) {
    const y = Number(next);
    return { body: { kind: 'year', min: w === 'before' ? 0 : w === 'after' ? y + 1 : y, max: w === 'before' ? y - 1 : 9999 }, length: 2 };
  }
  if (isYear(w)) return { body: { kind: 'year', min: Number(w), max: Number(w) }, length: 1 };
  return null;
}

/** The longest vocabulary phrase starting at tokens[i]. */
function phraseAt(tokens: Token[], i: number): Match | null {
  for (const p of PHRASES) {
    if (p.words.every((word, k) => {
      const t = tokens[i + k];
      return t !== undefined && !t.quoted && !t.field && t.text === word;
    })) {
      return { body: p.body, length: p.words.length };
    }
  }
  return null;
}

/** A range "a..b", "a..", "..b", ">a", "<b", "a-b" or a single number. */
function parseRange(v: string): { min: number; max: number } | null {
  const s = v.replace(/\s+/g, '');
  let m = /^(\d+(?:\.\d+)?)?(?:\.\.|-)(\d+(?:\.\d+)?)?$/.exec(s);
  if (m && (m[1] || m[2])) {
    const lo = m[1] ? Number(m[1]) : 0;
    const hi = m[2] ? Number(m[2]) : 9999;
    return { min: Math.min(lo, hi), max: Math.max(lo, hi) };
  }
  m = /^(>=|<=|>|<)(\d+(?:\.\d+)?)$/.exec(s);
  if (m) {
    const n = Number(m[2]);
    return m[1]!.startsWith('>') ? { min: m[1] === '>' ? n + 1e-9 : n, max: 9999 } : { min: 0, max: m[1] === '<' ? n - 1e-9 : n };
  }
  if (/^\d+(\.\d+)?$/.test(s)) return { min: Number(s), max: Number(s) };
  return null;
}

/** `field:value` → a clause, or a note saying why not. */
function fieldClause(t: Token, notes: string[]): ClauseBody | null {
  const field = t.field!;
  if (field === 'artist' || field === 'album' || field === 'genre' || field === 'title') return { kind: 'field', field: field as TextField, value: t.raw };
  if (field === 'year') {
    const r = parseRange(t.text);
    if (r) return { kind: 'year', min: Math.floor(r.min), max: Math.ceil(r.max) };
  }
  if (field === 'bpm' || field === 'tempo') {
    const r = parseRange(t.text);
    if (r) {
      if (r.min === r.max) return { kind: 'tempo', min: r.min - TEMPO_TOLERANCE.exact, max: r.max + TEMPO_TOLERANCE.exact, target: r.min };
      return { kind: 'tempo', min: Math.max(0, r.min - RANGE_SLACK), max: r.max + RANGE_SLACK, target: r.max < 9999 && r.min > 0 ? (r.min + r.max) / 2 : null };
    }
  }
  if (field === 'key') {
    const inner = tokenize(t.raw, []);
    const m = inner.length ? keyAt(inner, 0, 'key') : null;
    if (m && m.length === inner.length) return m.body;
  }
  if (field === 'meter') {
    const m = METER_PHRASES.find((x) => x.phrases.some((p) => p === t.text || `${p} time` === t.text));
    if (m) return { kind: 'meter', meters: m.meters };
  }
  notes.push(`${field}:${t.raw} is not a ${field} this search understands; it was ignored (see GRAMMAR.md)`);
  return null;
}

/** Parses plain-English search text. Never throws; what it could not use is said in `notes`. */
export function parseQuery(input: unknown): ParsedQuery {
  const notes: string[] = [];
  let text = typeof input === 'string' ? input : '';
  if (typeof input !== 'string') notes.push('the query was not text');
  text = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  if (text.length > MAX_QUERY_CHARS) {
    notes.push(`the query is ${text.length} characters long; only the first ${MAX_QUERY_CHARS} were used`);
    text = text.slice(0, MAX_QUERY_CHARS);
  }
  const tokens = tokenize(text, notes);
  const clauses: Clause[] = [];
  let similarTo: string | null = null;
  let negate = false;
  let negationSource = '';
  let around = false;

  const add = (body: ClauseBody, from: number, length: number, minus = false) => {
    const source = [negationSource, ...tokens.slice(from, from + length).map((t) => (t.field ? `${t.field}:${t.raw}` : t.raw))].filter(Boolean).join(' ');
    clauses.push({ ...body, negate: negate !== minus, source } as Clause);
    negate = false;
    negationSource = '';
    around = false;
  };

  // The longest match wins ("50s progression" is a progression, not a decade); ties go in this order.
  const structuredAt = (i: number, prev: string | undefined): Match | null =>
    [tempoAt(tokens, i, around), keyAt(tokens, i, prev), yearAt(tokens, i), phraseAt(tokens, i)].reduce<Match | null>(
      (best, m) => (m && (!best || m.length > best.length) ? m : best),
      null,
    );

  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i]!;
    const prev = tokens[i - 1]?.text;
    if (t.field) {
      const body = fieldClause(t, notes);
      if (body) add(body, i, 1, t.minus);
      i++;
      continue;
    }
    if (t.quoted) {
      add({ kind: 'text', value: t.text, phrase: true }, i, 1, t.minus);
      i++;
      continue;
    }
    // "like <title>", "similar to <title>", "sounds like <title>".
    const likeLen = t.text === 'like' ? 1 : t.text === 'similar' && tokens[i + 1]?.text === 'to' ? 2 : 0;
    if (likeLen && !t.minus) {
      let j = i + likeLen;
      const seed: string[] = [];
      if (tokens[j]?.quoted) {
        seed.push(tokens[j]!.raw);
        j++;
      } else {
        while (j < tokens.length) {
          const u = tokens[j]!;
          if (u.field || u.quoted || (seed.length > 0 && (CONNECTORS.has(u.text) || structuredAt(j, tokens[j - 1]?.text)))) break;
          seed.push(u.raw);
          j++;
          if (u.boundary) break;
        }
      }
      if (seed.length) {
        if (similarTo) notes.push(`only one "like …" is used; "${seed.join(' ')}" was ignored`);
        else similarTo = seed.join(' ');
      } else {
        notes.push('"like" needs the title of a song after it');
      }
      i = j;
      continue;
    }
    const m = structuredAt(i, prev);
    if (m) {
      add(m.body, i, m.length, t.minus);
      i += m.length;
      continue;
    }
    if (NEGATION_WORDS.has(t.text)) {
      negate = true;
      negationSource = t.raw;
      i++;
      continue;
    }
    if (AROUND_WORDS.has(t.text)) {
      around = true;
      i++;
      continue;
    }
    if (STOP_WORDS.has(t.text) && !t.minus) {
      i++;
      continue;
    }
    add({ kind: 'text', value: t.text, phrase: false }, i, 1, t.minus);
    i++;
  }
  if (negate) notes.push(`"${negationSource}" at the end has nothing after it to negate`);
  return { text, clauses, similarTo, notes };
}
