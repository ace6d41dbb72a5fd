// Song form: section boundaries from the self-similarity of harmony, timbre and loudness per bar
// (checkerboard novelty, Foote 2000, plus structure-feature novelty, Serrà et al. 2014), snapped to
// downbeats by working on the bar grid; segments grouped by repetition and labelled by rules
// (labels.ts); each section's chord loop in Roman numerals from the theory analyser.
import type { Analyser, FormResult, FrontEndFeatures, KeyResult, ChordResult, RhythmResult, Section, TheoryResult } from '../types.ts';
import { barEdges, barFeatures, coarsenEdges } from './features.ts';
import type { BarFeatures } from './features.ts';
import { clusterSegments, groupLetter, segmentSimilarity, transposedSimilarities } from './groups.ts';
import type { BarSpan } from './groups.ts';
import { labelSections } from './labels.ts';
import type { Segment } from './labels.ts';
import { delayEmbed, footeNovelty, pickPeaks, recurrence, scaleToMax, selfSimilarity, standardise, structureNovelty, windowMeans } from './novelty.ts';
import { loopSummary, numeralsIn } from './progression.ts';

export const FORM_VERSION = 1;

export interface FormDeps {
  frontend: FrontEndFeatures;
  rhythm: RhythmResult;
  key: KeyResult;
  chords: ChordResult;
  theory: TheoryResult;
  [name: string]: unknown;
}

/** Tunable constants, in bars unless stated. */
export const FORM_PARAMS = {
  /** Half-width of the checkerboard kernel. */
  kernelHalf: 4,
  /** Bars averaged for the harmony of the block similarity (a chord loop's length). */
  harmonyWindow: 4,
  /** Delay embedding of harmony for the recurrence plot. */
  embed: 2,
  /** Nearest neighbours of the recurrence plot, as a share of the bars (Serrà's κ). */
  kappa: 0.08,
  /** Gaussian smoothing of the time-lag matrix (σ). */
  lagSigma: 1,
  /** Weights of the standardised similarity matrices in the checkerboard novelty (timbre's goes to loudness without mel). */
  blockWeights: { harmony: 0.4, timbre: 0.3, loudness: 0.3 },
  /** Weights of the two novelty curves. */
  footeWeight: 0.6,
  structureWeight: 0.4,
  /** Peak picking: local-maximum radius, threshold (share of the maximum); the shortest section inside the song. */
  peakRadius: 2,
  peakThreshold: 0.3,
  minMiddleBars: 4,
  minMiddleSec: 6,
  /** The shortest first or last section (intro, outro), in bars and seconds. */
  minEndBars: 2,
  minEndSec: 3,
  /** Segments at least this similar (average linkage) repeat the same material. */
  groupThreshold: 0.8,
  /** Segments more than this much louder or quieter (dB) than each other are less alike (verse vs chorus on the same chords). */
  loudnessSlackDb: 1.5,
  loudnessScaleDb: 4,
  /** Neighbours in one group stay apart when one's lead activity is under this share of the other's (a solo). */
  leadChange: 0.6,
  /** Fewer bars than this: one section. */
  minBars: 6,
  /**
   * Most grid units analysed: a longer track (a DJ mix, a long live set) is analysed on units of g bars,
   * g = ⌈bars / maxUnits⌉ (coarsenEdges), so the O(units²) similarity matrices stay bounded (an hour at
   * 120 BPM is 1,800 bars: 4-bar units). The bar counts above then count units.
   */
  maxUnits: 480,
};

/** Loudness similarity: exp(−|ΔdB| / 3). */
function loudnessSimilarity(a: number, b: number): number {
  return Math.exp(-Math.abs(a - b) / 3);
}

/** Combined novelty per bar boundary (index b = boundary before bar b), 0..1. */
export function boundaryNovelty(f: BarFeatures, p = FORM_PARAMS): number[] {
  const n = f.harmony.length;
  const half = Math.max(1, Math.min(p.kernelHalf, Math.floor(n / 4)));
  const harmony = standardise(selfSimilarity(windowMeans(f.harmony, -Math.floor(p.harmonyWindow / 2), p.harmonyWindow)));
  const loud = standardise(f.loudnessDb.map((a) => Float64Array.from(f.loudnessDb, (b) => loudnessSimilarity(a, b))));
  const hasTimbre = f.timbre.length === n && n > 0 && f.timbre[0]!.length > 0;
  const timbre = hasTimbre ? standardise(selfSimilarity(windowMeans(f.timbre, -1, 2))) : null;
  const w = timbre ? p.blockWeights : { harmony: p.blockWeights.harmony, timbre: 0, loudness: p.blockWeights.loudness + p.blockWeights.timbre };
  const block = harmony.map((row, i) => row.map((h, j) => w.harmony * h + w.loudness * loud[i]![j]! + (timbre ? w.timbre * timbre[i]![j]! : 0)));
  const foote = scaleToMax(footeNovelty(block, half));
  const k = Math.max(2, Math.round(p.kappa * n));
  const sf = structureNovelty(recurrence(selfSimilarity(delayEmbed(f.harmony, p.embed)), k), p.lagSigma);
  return foote.map((v, b) => p.footeWeight * v + p.structureWeight * sf[b]!);
}

/**
 * Splits the bars at the novelty peaks: sections inside the song last at least `minMiddleBars` bars and
 * `minMiddleSec` seconds (a verse, chorus or bridge is rarely shorter than four bars); the first and
 * last (intro, outro) at least `minEndBars` bars and `minEndSec` seconds.
 */
export function segmentBars(novelty: readonly number[], edges: readonly number[], p = FORM_PARAMS): BarSpan[] {
  const bars = edges.length - 1;
  const barSec = bars > 0 ? Math.max(1e-3, (edges[bars]! - edges[0]!) / bars) : 1;
  const minMiddle = Math.max(p.minMiddleBars, Math.ceil(p.minMiddleSec / barSec));
  const minEnd = Math.max(p.minEndBars, Math.ceil(p.minEndSec / barSec));
  const cuts = pickPeaks(novelty, p.peakRadius, p.peakThreshold, minMiddle).filter((b) => b >= minEnd && bars - b >= minEnd);
  const all = [0, ...cuts, bars];
  return all.slice(1).map((to, i) => ({ from: all[i]!, to }));
}

/** Pairwise segment similarity of spans and their repetition groups. */
function groupsOf(f: BarFeatures, bars: readonly Float64Array[][], spans: readonly BarSpan[], p: typeof FORM_PARAMS): { sim: Float64Array[]; groups: number[] } {
  const db = spans.map((s) => spanDb(f, s));
  const sim = spans.map((a, i) => Float64Array.from(spans.map((b, j) => (i === j ? 1 : segmentSimilarity(bars, a, b) * loudnessMatch(db[i]!, db[j]!, p)))));
  return { sim, groups: clusterSegments(sim, p.groupThreshold) };
}

/** 1 while two loudness levels are within `loudnessSlackDb`, then falling by e per `loudnessScaleDb` more. */
function loudnessMatch(a: number, b: number, p: typeof FORM_PARAMS): number {
  return Math.exp(-Math.max(0, Math.abs(a - b) - p.loudnessSlackDb) / p.loudnessScaleDb);
}

/** Mean lead activity over a span, or null when not measured. */
function spanLead(f: BarFeatures, s: BarSpan): number | null {
  const leads = f.leadActivity.slice(s.from, s.to);
  return leads.length && leads.every((l) => l !== null) ? leads.reduce<number>((a, l) => a + l!, 0) / leads.length : null;
}

/** Loudness (dB of the mean energy, bars weighted by length) of a span. */
function spanDb(f: BarFeatures, s: BarSpan): number {
  let e = 0;
  let w = 0;
  for (let b = s.from; b < Math.min(s.to, f.loudnessDb.length); b++) {
    const len = f.edges[b + 1]! - f.edges[b]!;
    e += len * 10 ** (f.loudnessDb[b]! / 10);
    w += len;
  }
  return w > 0 ? 10 * Math.log10(Math.max(1e-10, e / w)) : -100;
}

/** Whether two neighbouring spans are arranged alike: lead activity within a factor of `leadChange`. */
function sameArrangement(f: BarFeatures, a: BarSpan, b: BarSpan, p: typeof FORM_PARAMS): boolean {
  const [la, lb] = [spanLead(f, a), spanLead(f, b)];
  if (la === null || lb === null || Math.max(la, lb) <= 0) return true;
  return Math.min(la, lb) / Math.max(la, lb) >= p.leadChange;
}

/**
 * Groups the spans; neighbours that fall in the same group are one section played through (a chord
 * loop repeating inside a verse looks like a repeat to the structure features), so they are merged
 * and the merged spans grouped again.
 */
export function groupSpans(f: BarFeatures, spans: readonly BarSpan[], p = FORM_PARAMS): { spans: BarSpan[]; sim: Float64Array[]; groups: number[] } {
  const bars = transposedSimilarities(f.harmony);
  let current = [...spans];
  for (;;) {
    const { sim, groups } = groupsOf(f, bars, current, p);
    const merged: BarSpan[] = [];
    current.forEach((s, i) => {
      if (i > 0 && groups[i] === groups[i - 1] && sameArrangement(f, current[i - 1]!, s, p)) merged[merged.length - 1] = { from: merged[merged.length - 1]!.from, to: s.to };
      else merged.push({ ...s });
    });
    if (merged.length === current.length) return { spans: current, sim, groups };
    current = merged;
  }
}

/** The whole form analysis over computed features. */
export function analyseForm(deps: FormDeps, p = FORM_PARAMS): FormResult {
  const fe = deps.frontend;
  const duration = Number.isFinite(fe.durationSec) && fe.durationSec > 0 ? fe.durationSec : 0;
  const edges = coarsenEdges(barEdges(deps.rhythm, duration), p.maxUnits);
  const f = barFeatures(fe, edges);
  const n = f.harmony.length;
  const maxDb = Math.max(-100, ...f.loudnessDb);
  const silent = maxDb <= -90;
  const spans = n < p.minBars || silent || duration <= 0 ? [{ from: 0, to: Math.max(1, n) }] : segmentBars(boundaryNovelty(f, p), f.edges, p);

  const { spans: merged, sim, groups } = groupSpans(f, spans, p);
  const segs: Segment[] = merged.map((s, i) => {
    const mates = merged.map((_, j) => j).filter((j) => j !== i && groups[j] === groups[i]);
    return {
      start: f.edges[s.from] ?? 0,
      end: f.edges[Math.min(s.to, n)] ?? duration,
      group: groups[i]!,
      loudnessDb: spanDb(f, s),
      lead: spanLead(f, s),
      cohesion: mates.length ? mates.reduce((a, j) => a + sim[i]![j]!, 0) / mates.length : 1,
    };
  });
  const labels = labelSections(segs);
  const beatSec = deps.rhythm.bpm > 0 ? 60 / deps.rhythm.bpm : 0.5;
  const sections: Section[] = segs.map((s, i) => ({
    start: s.start,
    end: s.end,
    label: labels[i]!.label,
    group: groupLetter(s.group),
    confidence: silent ? 0 : labels[i]!.confidence,
    energy: silent ? 0 : Math.min(1, 10 ** ((s.loudnessDb - maxDb) / 20)),
    progression: loopSummary(numeralsIn(deps.theory.romans, s.start, s.end, beatSec * 0.9)),
  }));
  const total = sections.reduce((a, s) => a + (s.end - s.start), 0);
  const confidence = total > 0 ? sections.reduce((a, s) => a + s.confidence * (s.end - s.start), 0) / total : 0;
  return { sections, summary: sections.map((s) => s.label).join('–'), confidence };
}

/** The form analyser ('form'): needs the front end, rhythm, key, chords and theory results. */
export function createFormAnalyser(): Analyser<FormResult, FormDeps> {
  return {
    name: 'form',
    version: FORM_VERSION,
    dependsOn: ['frontend', 'rhythm', 'key', 'chords', 'theory'],
    finish: (deps) => analyseForm(deps),
  };
}
