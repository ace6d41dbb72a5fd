// The chat's question set over the demo library: questions with expected answers and citations,
// derived from the demo songs' ground truth (app/demo/songs.ts), which the analysis measures.
import { DEMO_SONGS, keyName, secondsPerBar, type SongSpec } from '../../app/demo/songs.ts';
import type { ChatAnswer } from '../../app/chat/types.ts';

export interface Question {
  question: string;
  /** What the answer must say (true when right). */
  check: (a: ChatAnswer) => boolean;
  /** Titles the citations must include. */
  cites: string[];
  /** When the moment matters: a citation of this title must start within ±tolerance s of this time. */
  at?: { title: string; time: number; tolerance: number };
}

const bpmIn = (text: string) => Number(/([\d.]+) BPM/.exec(text)?.[1] ?? NaN);
const has = (text: string, word: string) => new RegExp(`(^|[^\\w#])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w#])`).test(text);

function chorusChords(s: SongSpec): string[] | null {
  const chorus = s.sections.find((x) => x.label === 'chorus');
  if (!chorus) return null;
  return [...new Set(chorus.chords.flatMap((c) => (typeof c === 'string' ? [c] : c)))];
}

function perSong(s: SongSpec): Question[] {
  const t = s.title;
  const lower = t.toLowerCase();
  const qs: Question[] = [
    { question: `What key is ${t} in?`, check: (a) => a.text.includes(keyName(s.key)), cites: [t] },
    { question: `how fast is ${lower}`, check: (a) => Math.abs(bpmIn(a.text) - s.tempo) <= s.tempo * 0.03, cites: [t] },
    { question: `Is ${t} in 3/4?`, check: (a) => (s.meter === '3/4' ? /^Yes/.test(a.text) : /^No/.test(a.text) && a.text.includes(s.meter)), cites: [t] },
    { question: `what time signature is ${t} in`, check: (a) => a.text.includes(`is in ${s.meter}`), cites: [t] },
    { question: `why does ${t} sound ${s.key.mode === 'minor' ? 'sad' : 'happy'}`, check: (a) => a.text.includes(`${s.key.mode} key`), cites: [t] },
  ];
  if (s.keyChange) {
    const time = (s.keyChange.bar - 1) * secondsPerBar(s);
    qs.push({ question: `Where is the key change in ${t}?`, check: (a) => a.text.includes(`to ${keyName(s.keyChange!.key)}`), cites: [t], at: { title: t, time, tolerance: 2.5 } });
  } else {
    qs.push({ question: `where does ${lower} change key`, check: (a) => /no key change/.test(a.text), cites: [t] });
  }
  const chords = chorusChords(s);
  if (chords) qs.push({ question: `What are the chords in the chorus of ${t}?`, check: (a) => chords.every((c) => has(a.text, c)), cites: [t] });
  return qs;
}

function comparisons(): Question[] {
  const out: Question[] = [];
  for (let i = 0; i < DEMO_SONGS.length; i++) {
    const x = DEMO_SONGS[i]!;
    const y = DEMO_SONGS[(i + 1) % DEMO_SONGS.length]!;
    if (Math.abs(x.tempo - y.tempo) < 4) continue;
    const faster = x.tempo > y.tempo ? x : y;
    const slower = faster === x ? y : x;
    out.push({ question: `Which is faster, ${x.title} or ${y.title}?`, check: (a) => a.text.startsWith(`“${faster.title}” is faster`), cites: [x.title, y.title] });
    if (i % 2 === 0) out.push({ question: `which one is slower: ${y.title} or ${x.title}`, check: (a) => a.text.startsWith(`“${slower.title}” is slower`), cites: [x.title, y.title] });
  }
  return out;
}

/** Songs whose ground truth has the device. */
const withDevice = (kind: string) => DEMO_SONGS.filter((s) => s.devices.some((d) => d.kind === kind)).map((s) => s.title);

function explanations(): Question[] {
  const terms: [string, string, string[]][] = [
    ['what is modal interchange', 'borrow', withDevice('modal-interchange')],
    ['What is a secondary dominant?', 'dominant', withDevice('secondary-dominant')],
    ['explain the Andalusian cadence', 'flamenco', withDevice('andalusian-cadence')],
    ['what is the I-V-vi-IV progression', 'pop', withDevice('I-V-vi-IV')],
    ['what is the fifties progression', 'doo-wop', withDevice('fifties-progression')],
    ['what is a plagal cadence', 'amen', withDevice('plagal-cadence')],
    ['What is a Picardy third?', 'major tonic', withDevice('picardy-third')],
    ['what is a key change', 'pivot', withDevice('modulation')],
    ['what does ii-V-I mean', 'dominant', withDevice('ii-V-I')],
    ['what is a waltz', 'three beats', DEMO_SONGS.filter((s) => s.meter === '3/4').map((s) => s.title)],
    ['what is compound meter', 'three', DEMO_SONGS.filter((s) => s.meter === '6/8').map((s) => s.title)],
  ];
  // The examples cite at least one song that truly has it, and no song that doesn't.
  return terms.map(([question, word, titles]) => ({
    question,
    check: (a) => a.text.toLowerCase().includes(word.toLowerCase()) && a.citations.length > 0 && a.citations.every((c) => titles.includes(c.title)),
    cites: [],
  }));
}

function statistics(): Question[] {
  const out: Question[] = [];
  const keys = [...new Set(DEMO_SONGS.map((s) => keyName(s.key)))];
  for (const k of keys.slice(0, 6)) {
    const n = DEMO_SONGS.filter((s) => keyName(s.key) === k).length;
    out.push({ question: `How many songs are in ${k}?`, check: (a) => a.text.startsWith(`${n} track`), cites: DEMO_SONGS.filter((s) => keyName(s.key) === k).map((s) => s.title) });
  }
  const minor = DEMO_SONGS.filter((s) => s.key.mode === 'minor');
  out.push({ question: 'how many songs are in a minor key', check: (a) => a.text.startsWith(`${minor.length} track`), cites: minor.map((s) => s.title) });
  const waltz = DEMO_SONGS.filter((s) => s.meter === '3/4');
  out.push({ question: 'how many songs are in 3/4', check: (a) => a.text.startsWith(`${waltz.length} track`), cites: waltz.map((s) => s.title) });
  const counts = new Map<string, number>();
  for (const s of DEMO_SONGS) counts.set(keyName(s.key), (counts.get(keyName(s.key)) ?? 0) + 1);
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
  out.push({ question: "what's the most common key", check: (a) => a.text.includes(`most common key is ${top[0]}`), cites: DEMO_SONGS.filter((s) => keyName(s.key) === top[0]).map((s) => s.title) });
  out.push({ question: 'how many songs are in my library', check: (a) => a.text.includes(`${DEMO_SONGS.length} tracks`), cites: [] });
  const fastest = [...DEMO_SONGS].sort((a, b) => b.tempo - a.tempo)[0]!;
  out.push({ question: 'what is the average tempo', check: (a) => a.text.includes(`the fastest “${fastest.title}”`), cites: [fastest.title] });
  return out;
}

function finding(): Question[] {
  const titles = (f: (s: SongSpec) => boolean) => DEMO_SONGS.filter(f).map((s) => s.title);
  const q = (question: string, expect: string[]): Question => ({ question, check: (a) => a.citations.length >= expect.length && new Set(a.citations.map((c) => c.title)).size === expect.length, cites: expect });
  return [
    q('songs in A minor', titles((s) => keyName(s.key) === 'A minor')),
    q('find songs with a key change', titles((s) => !!s.keyChange)),
    q('show me waltzes', titles((s) => s.meter === '3/4')),
    q('tracks with modal interchange', titles((s) => s.devices.some((d) => d.kind === 'modal-interchange'))),
    q('songs with an andalusian cadence', titles((s) => s.devices.some((d) => d.kind === 'andalusian-cadence'))),
    q('minor key songs with a key change', titles((s) => s.key.mode === 'minor' && !!s.keyChange)),
    {
      question: 'make a playlist of minor-key songs called Night Drive',
      check: (a) => a.intent === 'playlist' && a.text.includes('“Night Drive”') && new Set(a.citations.map((c) => c.title)).size === titles((s) => s.key.mode === 'minor').length,
      cites: titles((s) => s.key.mode === 'minor'),
    },
  ];
}

/** Hand-written phrasings (short forms, typos, other words for the same thing). */
function paraphrases(): Question[] {
  const song = (id: string) => DEMO_SONGS.find((s) => s.id === id)!;
  const nf = song('night-ferry');
  const hs = song('higher-still');
  const mm = song('malt-shop-moon');
  const ff = song('four-on-the-floor');
  const rv = song('rearview');
  const bc = song('blue-corner');
  const sw = song('second-wind');
  const bridge = ff.sections.find((x) => x.label === 'bridge')!.chords.flatMap((c) => (typeof c === 'string' ? [c] : c));
  return [
    { question: 'Night Ferry key', check: (a) => a.text.includes(keyName(nf.key)), cites: [nf.title] },
    { question: "what's the tempo of Second Wind?", check: (a) => Math.abs(bpmIn(a.text) - sw.tempo) <= 3, cites: [sw.title] },
    { question: 'bpm of rearview', check: (a) => Math.abs(bpmIn(a.text) - rv.tempo) <= 3, cites: [rv.title] },
    { question: 'does Higher Still modulate', check: (a) => a.text.includes(`to ${keyName(hs.keyChange!.key)}`), cites: [hs.title], at: { title: hs.title, time: (hs.keyChange!.bar - 1) * secondsPerBar(hs), tolerance: 2.5 } },
    { question: 'is Malt Shop Moon a waltz?', check: (a) => /^No/.test(a.text) && a.text.includes(mm.meter), cites: [mm.title] },
    { question: "what's in the bridge of four on the floor", check: (a) => bridge.every((c) => has(a.text, c)), cites: [ff.title] },
    { question: 'how fast is Blue Cornr', check: (a) => Math.abs(bpmIn(a.text) - bc.tempo) <= 4, cites: [bc.title] },
    { question: 'what key is NÎGHT FERRY in', check: (a) => a.text.includes(keyName(nf.key)), cites: [nf.title] },
    { question: `${nf.title} vs ${song('cold-harbour').title}`, check: (a) => a.intent === 'compare' && a.text.includes(keyName(nf.key)) && a.text.includes(keyName(song('cold-harbour').key)), cites: [nf.title, song('cold-harbour').title] },
    { question: 'what is the most common time signature', check: (a) => a.text.includes('most common meter is 4/4'), cites: [] },
    { question: 'how many songs have modal interchange', check: (a) => a.text.startsWith(`${withDevice('modal-interchange').length} track`), cites: withDevice('modal-interchange') },
    { question: 'define valence', check: (a) => a.intent === 'explain' && /positivity/.test(a.text), cites: [] },
    { question: 'what key is Yesterday in', check: (a) => a.intent === 'unknown' && /which song you mean/.test(a.text) && a.suggestions.length > 0, cites: [] },
  ];
}

/** Every question of the set. */
export function chatQuestions(): Question[] {
  return [...DEMO_SONGS.flatMap(perSong), ...comparisons(), ...explanations(), ...statistics(), ...finding(), ...paraphrases()];
}
