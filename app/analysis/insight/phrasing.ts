// Deterministic variety for the written insight: the phrasing of each claim is chosen with a hash of
// the track's own facts, so the same analysis always reads the same while a library reads varied.

/** 32-bit FNV-1a hash of a string (Fowler–Noll–Vo, variant 1a). */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Chooses among phrasings: the same seed and topic always choose the same one. */
export type Picker = <T>(topic: string, options: readonly T[]) => T;

export function picker(seed: string): Picker {
  return <T>(topic: string, options: readonly T[]): T => {
    if (options.length === 0) throw new Error(`no phrasing for '${topic}'`);
    return options[fnv1a(`${seed}|${topic}`) % options.length]!;
  };
}

/** 'at 0:13', 'at 0:13 and 0:28', 'at 0:13, 0:28 and 1:02', 'six times, first at 0:13' (times in order). */
export function atTimes(starts: readonly number[], maxListed = 3): string {
  const times = [...new Set(starts.map(clock))];
  if (times.length === 0) return '';
  if (times.length === 1) return `at ${times[0]}`;
  if (times.length > maxListed) return `${countWord(times.length)} times, first at ${times[0]}`;
  return `at ${times.slice(0, -1).join(', ')} and ${times[times.length - 1]}`;
}

const COUNT_WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];

/** 'three', or the digits from 13 on. */
export function countWord(n: number): string {
  return COUNT_WORDS[n] ?? String(n);
}

/** A signed number with a typographic minus: '−9.1', '+1.5' when `plus`. */
export function signed(x: number, digits = 1, plus = false): string {
  const s = Math.abs(x).toFixed(digits);
  if (Number(s) === 0) return (0).toFixed(digits);
  return x < 0 ? `−${s}` : plus ? `+${s}` : s;
}

/** Upper-cases the first letter of a sentence. */
export function capitalise(s: string): string {
  return s.length === 0 ? s : s[0]!.toUpperCase() + s.slice(1);
}

/** 'a' or 'an' before a note, key or English word as spoken ('an A♭', 'an E minor', 'an 8A', 'a C'); not for Roman numerals. */
export function article(word: string): string {
  return /^([AEF](?![a-z])|[AEIOUaeiou](?=[a-z])|8|11(?!\d)|18(?!\d))/.test(word) ? 'an' : 'a';
}

/** m:ss (or h:mm:ss past an hour), rounded to the second; never negative, '0:00' for a non-finite time. */
export function clock(seconds: number): string {
  const s = Number.isFinite(seconds) ? Math.max(0, Math.round(seconds)) : 0;
  const m = Math.floor(s / 60);
  const ss = String(s % 60).padStart(2, '0');
  return m >= 60 ? `${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
