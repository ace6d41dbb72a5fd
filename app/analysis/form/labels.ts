// Section labels from repetition groups, position, loudness and lead activity, by explicit rules
// (pure functions). The rules, in order:
// - chorus: of two or more repeated groups, the one scoring highest on loudness (dB) plus 1.5 dB per
//   repeat beyond two ("the most repeated high-energy section"); a single repeated group is the chorus
//   when it is 2 dB louder than the median other middle section, else the verse (AABA, strophic: no
//   chorus); failing both, a middle section heard once that is 2 dB louder than the verse (or than the
//   median section when nothing repeats) is a chorus with low confidence (0.4, or 0.3);
// - verse: the longest-lasting other repeated group;
// - pre-chorus: a group, not verse or chorus, whose every member is short (≤ 70 % of a chorus) and
//   comes right before a chorus, regularly (twice or more, or once before the first chorus, in the
//   song's first half);
// - intro / outro: the first / last section when its material does not recur elsewhere in the song (in a
//   song without any repeat, only when it is short, ≤ 15 %, or 3 dB quieter than the median section);
// - instrumental: a section whose lead-register activity (the melody or voice) falls under 60 % of the
//   rest of its group's (a solo or break over the same chords), or a non-repeated middle section under
//   60 % of the median of the sung sections; needs the front end's log-mel bands;
// - bridge: a non-repeated section starting after 35 % of the song, neither first nor last;
// - anything else is a verse with low confidence (through-composed passages, a third repeated group).
import type { SectionLabel } from '../types.ts';

export interface Segment {
  start: number;
  end: number;
  /** Repetition group index (numbered in order of first appearance). */
  group: number;
  /** Loudness: dB of the mean energy over the segment. */
  loudnessDb: number;
  /** Mean lead-register activity, or null when not measured. */
  lead: number | null;
  /** Mean similarity to the other members of its group (1 for a group of one). */
  cohesion: number;
}

export interface Labelled {
  label: SectionLabel;
  confidence: number;
}

const REPEAT_BONUS_DB = 1.5;
const PRE_CHORUS_MAX_SHARE = 0.7;
const LEAD_DROP = 0.6;
const BRIDGE_FROM = 0.35;
const LOUDER_DB = 2;

const clamp01 = (x: number) => Math.max(0, Math.min(1, x));
const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const medianOf = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : 0;
};

/** Labels every segment by the rules above, with a confidence per label. */
export function labelSections(segs: readonly Segment[]): Labelled[] {
  const n = segs.length;
  if (n === 0) return [];
  if (n === 1) return [{ label: 'verse', confidence: 0.1 }];
  const duration = segs[n - 1]!.end - segs[0]!.start;
  const members = new Map<number, number[]>();
  segs.forEach((s, i) => members.set(s.group, [...(members.get(s.group) ?? []), i]));
  const groupDb = (g: number) => {
    const idx = members.get(g)!;
    const w = idx.map((i) => segs[i]!.end - segs[i]!.start);
    const energy = idx.reduce((a, i, k) => a + w[k]! * 10 ** (segs[i]!.loudnessDb / 10), 0) / w.reduce((a, b) => a + b, 0);
    return 10 * Math.log10(Math.max(1e-10, energy));
  };
  const groupDuration = (g: number) => members.get(g)!.reduce((a, i) => a + segs[i]!.end - segs[i]!.start, 0);
  const out: (Labelled | null)[] = new Array<Labelled | null>(n).fill(null);
  const set = (i: number, label: SectionLabel, confidence: number) => {
    if (!out[i]) out[i] = { label, confidence: clamp01(confidence) };
  };

  // Groups that recur, not counting a first or last section that only recurs as the other end.
  const repeated = [...members.keys()].filter((g) => members.get(g)!.some((i) => i > 0 && i < n - 1) && members.get(g)!.length >= 2);
  let chorus = -1;
  let verse = -1;
  const middle = segs.map((_, i) => i).filter((i) => i > 0 && i < n - 1);
  if (repeated.length >= 2) {
    const score = (g: number) => groupDb(g) + REPEAT_BONUS_DB * (members.get(g)!.length - 2);
    chorus = repeated.reduce((a, b) => (score(b) > score(a) ? b : a));
    const others = repeated.filter((g) => g !== chorus);
    verse = others.reduce((a, b) => (groupDuration(b) > groupDuration(a) ? b : a));
  } else if (repeated.length === 1) {
    // One repeated group: the chorus when clearly louder than the other middle sections, else the verse.
    const g = repeated[0]!;
    const rest = middle.filter((i) => segs[i]!.group !== g).map((i) => segs[i]!.loudnessDb);
    if (rest.length > 0 && groupDb(g) >= medianOf(rest) + LOUDER_DB) chorus = g;
    else verse = g;
  }
  // A loud section heard once: a chorus when it stands out from the verse (or, with no repeats at all,
  // from the median section) by 2 dB — the only chorus evidence left, so with low confidence.
  const loneChorus = new Set<number>();
  if (chorus < 0) {
    const reference = verse >= 0 ? groupDb(verse) : medianOf(segs.map((x) => x.loudnessDb));
    const loud = middle.filter((i) => members.get(segs[i]!.group)!.length === 1 && segs[i]!.loudnessDb >= reference + LOUDER_DB);
    const loudest = loud.reduce((a, i) => (a < 0 || segs[i]!.loudnessDb > segs[a]!.loudnessDb ? i : a), -1);
    if (loudest >= 0) loneChorus.add(loudest);
  }
  const cohesionOf = (g: number) => mean(members.get(g)!.map((i) => segs[i]!.cohesion));
  const repeatsOf = (g: number) => clamp01((members.get(g)!.length - 1) / 2);

  // Instrumental first, as it overrides the group's label for one member.
  const leads = segs.map((s) => s.lead);
  if (leads.every((l) => l !== null)) {
    const sung = segs.map((_, i) => i).filter((i) => segs[i]!.group === verse || segs[i]!.group === chorus);
    const sungMedian = medianOf(sung.map((i) => leads[i]!));
    segs.forEach((s, i) => {
      const mates = members.get(s.group)!.filter((j) => j !== i);
      const ref = mates.length ? Math.max(...mates.map((j) => leads[j]!)) : i > 0 && i < n - 1 && sung.length ? sungMedian : null;
      if (ref === null || ref <= 0) return;
      const ratio = leads[i]! / ref;
      if (ratio < LEAD_DROP) set(i, 'instrumental', 0.35 + 0.5 * clamp01((LEAD_DROP - ratio) / LEAD_DROP));
    });
  }

  if (chorus >= 0) {
    const others = segs.filter((x) => x.group !== chorus).map((x) => x.loudnessDb);
    const margin = groupDb(chorus) - (verse >= 0 ? groupDb(verse) : others.length ? medianOf(others) : groupDb(chorus));
    const c = cohesionOf(chorus) * (0.45 + 0.25 * repeatsOf(chorus) + 0.25 * clamp01(margin / 3));
    for (const i of members.get(chorus)!) set(i, 'chorus', c);
  }
  for (const i of loneChorus) set(i, 'chorus', repeated.length > 0 ? 0.4 : 0.3);
  if (verse >= 0) {
    const c = cohesionOf(verse) * (0.4 + 0.25 * repeatsOf(verse) + (chorus >= 0 ? 0.2 : 0.1));
    for (const i of members.get(verse)!) {
      // A first or last section sharing the verse's material but much quieter is an intro or outro.
      if ((i === 0 || i === n - 1) && segs[i]!.loudnessDb < groupDb(verse) - 6) continue;
      set(i, 'verse', c);
    }
  }

  if (chorus >= 0) {
    const chorusLen = medianOf(members.get(chorus)!.map((i) => segs[i]!.end - segs[i]!.start));
    for (const [g, idx] of members) {
      if (g === chorus || g === verse) continue;
      const before = idx.every((i) => i > 0 && i + 1 < n && segs[i + 1]!.group === chorus && segs[i]!.end - segs[i]!.start <= PRE_CHORUS_MAX_SHARE * chorusLen);
      // "Regularly" before the chorus: twice or more, or once before the first chorus in the first half.
      const regular = idx.length >= 2 || (idx[0]! < members.get(chorus)![0]! && segs[idx[0]!]!.start - segs[0]!.start < duration / 2);
      if (before && regular) for (const i of idx) set(i, 'pre-chorus', 0.45 + 0.2 * repeatsOf(g) + (idx.length >= 2 ? 0.15 : 0));
    }
  }

  const alone = (i: number) => members.get(segs[i]!.group)!.every((j) => j === i || j === 0 || j === n - 1);
  // Without any repetition, an end section is an intro or outro only when short or quieter than the rest.
  const medianDb = medianOf(segs.map((s) => s.loudnessDb));
  const framing = (i: number) => repeated.length > 0 || segs[i]!.end - segs[i]!.start <= 0.15 * duration || segs[i]!.loudnessDb <= medianDb - 3;
  const endConfidence = (i: number) => (members.get(segs[i]!.group)!.length === 1 ? 0.75 : 0.6) * (repeated.length > 0 ? 1 : 0.6);
  if (alone(0) && framing(0)) set(0, 'intro', endConfidence(0));
  if (alone(n - 1) && framing(n - 1)) set(n - 1, 'outro', endConfidence(n - 1));
  for (let i = 1; i < n - 1; i++) {
    if (members.get(segs[i]!.group)!.length === 1 && segs[i]!.start - segs[0]!.start >= BRIDGE_FROM * duration && repeated.length > 0) set(i, 'bridge', 0.6);
  }
  return out.map((l) => l ?? { label: 'verse', confidence: repeated.length === 0 ? 0.2 : 0.3 });
}
