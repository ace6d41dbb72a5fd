// The harmony with the transcribed notes: chords recognised again with the notes' chroma mixed into the
// audio chroma (notes/chroma.ts), then chord inversions from the transcribed bass line: the lowest
// transcribed note of each beat, where it is a tone of the chord sounding there, names the chord's bass
// (the note-level counterpart of the bass-chroma inversion tracking in chords/estimate.ts; cf. Mauch &
// Dixon 2010, bass-aware chord transcription, and Bittner et al. 2022 (Basic Pitch) for the notes).
import type { ChordResult, ChordSegment, FormResult, FrontEndFeatures, Key, KeyResult, RhythmResult, TheoryResult } from '../types.ts';
import { estimateChords } from '../chords/estimate.ts';
import { QUALITY_INTERVALS, harteLabel } from '../chords/vocabulary.ts';
import { theoryAnalyser } from '../theory/analyse.ts';
import { analyseForm, type FormDeps } from '../form/index.ts';
import { featuresWithNoteChroma, type NoteChromaMix } from './chroma.ts';
import { notesPedalPoints, pedalDevices } from './pedal.ts';
import type { BassBeat, NotesResult } from './types.ts';

const mod12 = (x: number) => ((x % 12) + 12) % 12;

/** The pitch classes of a chord segment (empty for 'N'). */
function chordTones(c: ChordSegment): Set<number> {
  if (c.root === null || c.quality === 'N') return new Set();
  return new Set(QUALITY_INTERVALS[c.quality].map((iv) => mod12(c.root! + iv)));
}

/**
 * Each chord's bass set to the chord tone the transcribed bass line dwells on longest inside it,
 * when chord-tone bass notes cover at least `minCover` of the chord; otherwise the chord is left as
 * it is. `split`: instead, cut the chord wherever the bass moves to another chord tone (per beat).
 */
export function chordsWithNotesBass(
  chords: readonly ChordSegment[],
  bassLine: readonly BassBeat[],
  key: Key,
  opts: { minCover?: number; split?: boolean } = {},
): ChordSegment[] {
  const minCover = opts.minCover ?? 0.5;
  const out: ChordSegment[] = [];
  const relabel = (c: ChordSegment, bass: number): ChordSegment => ({ ...c, bass, label: harteLabel(c.root, c.quality, bass, key) });
  for (const c of chords) {
    const tones = chordTones(c);
    const len = c.end - c.start;
    if (tones.size === 0 || len <= 0) {
      out.push(c);
      continue;
    }
    // The chord-tone bass pitch class of each beat part inside the chord.
    const parts: { start: number; end: number; pc: number | null }[] = [];
    for (const b of bassLine) {
      const start = Math.max(b.start, c.start);
      const end = Math.min(b.end, c.end);
      if (end <= start) continue;
      const pc = b.pitch === null ? null : mod12(b.pitch);
      parts.push({ start, end, pc: pc !== null && tones.has(pc) ? pc : null });
    }
    const weight = new Map<number, number>();
    for (const p of parts) if (p.pc !== null) weight.set(p.pc, (weight.get(p.pc) ?? 0) + (p.end - p.start));
    const covered = [...weight.values()].reduce((a, b) => a + b, 0);
    if (covered < minCover * len) {
      out.push(c);
      continue;
    }
    if (!opts.split) {
      const best = [...weight].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0];
      out.push(relabel(c, best));
      continue;
    }
    // Split: runs of beats with one bass; beats without a chord-tone bass keep the run before them
    // (or, at the start, the chord's own bass).
    let runBass = parts.find((p) => p.pc !== null)?.pc ?? c.bass!;
    let runStart = c.start;
    for (const p of parts) {
      if (p.pc === null || p.pc === runBass) continue;
      if (p.start > runStart) out.push({ ...relabel(c, runBass), start: runStart, end: p.start });
      runBass = p.pc;
      runStart = p.start;
    }
    out.push({ ...relabel(c, runBass), start: runStart, end: c.end });
  }
  return out;
}

/** The theory's devices plus the notes' pedal points that no chord-based pedal point already covers, in time order. */
export function withNotesPedals(theory: TheoryResult, chords: readonly ChordSegment[], bassLine: readonly BassBeat[], key: Key): TheoryResult {
  const known = theory.devices.filter((d) => d.kind === 'pedal-point');
  const fresh = pedalDevices(notesPedalPoints(bassLine, chords), chords, theory.romans, key).filter((p) => !known.some((d) => d.start < p.end && p.start < d.end));
  if (fresh.length === 0) return theory;
  return { ...theory, devices: [...theory.devices, ...fresh].sort((a, b) => a.start - b.start) };
}

/**
 * Weights of the notes' chroma in the treble and bass chroma the chords are recognised from again.
 * Chosen on 12 POP909 songs from a grid (0–1 each; 0.25/0.5 and 0.5/1 within 0.003), see harmonyWithNotes.
 */
export const NOTE_CHROMA_MIX: NoteChromaMix = { treble: 0.5, bass: 0.5 };

/**
 * A pipeline run's harmony redone with the transcription:
 * 1. the chords recognised again (chords/estimate.ts, same model) from the audio chroma with the
 *    notes' chroma mixed in (NOTE_CHROMA_MIX; on the 12 songs it was chosen on, after step 2, root
 *    0.881 → 0.911, majmin 0.884 → 0.912, sevenths 0.841 → 0.864; on 10 held-out songs 0.914 → 0.923,
 *    0.916 → 0.926, 0.833 → 0.842);
 * 2. each chord's bass from the notes' bass line (one per chord; on the 12 songs majmin_inv 0.781 →
 *    0.816 and sevenths_inv 0.742 → 0.776, on the 10 others 0.852 → 0.894 and 0.775 → 0.815;
 *    splitting chords where the bass moves scored lower on both);
 * then the theory (figured inversions) and the form (chord loops) from those chords, and pedal points
 * from the notes' bass line (notes/pedal.ts) added to the theory's devices.
 */
export function harmonyWithNotes(results: Record<string, unknown>, notes: NotesResult): { chords: ChordResult; theory: TheoryResult; form: FormResult } {
  const key = results.key as KeyResult;
  const mixed = featuresWithNoteChroma(results.frontend as FrontEndFeatures, notes.notes, NOTE_CHROMA_MIX);
  const recognised: ChordResult = { ...(results.chords as ChordResult), ...estimateChords(mixed, results.rhythm as RhythmResult | undefined, key), chromaFrom: 'audio+notes' };
  const chords: ChordResult = { ...recognised, chords: chordsWithNotesBass(recognised.chords, notes.bassLine, key.global), bassFrom: 'notes' };
  const theory = withNotesPedals(theoryAnalyser.finish({ ...results, chords, key } as Parameters<typeof theoryAnalyser.finish>[0]), chords.chords, notes.bassLine, key.global);
  const form = analyseForm({ ...results, chords, theory } as FormDeps);
  return { chords, theory, form };
}
