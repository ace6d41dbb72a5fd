/**
 * Does a song's reference beat grid agree with the song itself? An automatic check of the POP909-CL
 * annotation, from the annotation alone (never from our output).
 *
 * POP909-CL's beats come from the MIDI file's tempo grid, its chords were corrected by people against
 * the score. In about one song in ten (73 of the 697) the two disagree: the score's notes, and with them
 * the human-corrected chord changes, sit a constant 40–350 ms (often exactly half a beat) off the tempo
 * grid, so not one chord change falls on a reference beat. A beat tracker that follows the music then
 * scores a beat F-measure near 0 on such a song (±70 ms), whatever it does. Chord changes are the
 * evidence used here because in pop they fall on beats; in every flagged song of the dev set checked by
 * hand the note onsets (`midi/NNN.mid`) sit off the grid by the same shift.
 *
 * Rule: the grid agrees with the song when at least half of its chord changes (starts of non-N chord
 * segments, after the first 5 s as mir_eval trims beats) lie within ±35 ms (half the F-measure window)
 * of a reference beat. Over the 697 songs the fraction is bimodal: 618 songs have all their changes on
 * the grid and 6 nine in ten, 72 none, one song four in ten.
 */

/** A chord change this close to a reference beat is on the grid (half of mir_eval's ±70 ms window). */
export const ON_GRID_SEC = 0.035;
/** The grid agrees when at least this fraction of the chord changes is on it. */
export const AGREE_FRACTION = 0.5;
/** Changes before this time are not counted (mir_eval.beat trims beats before 5 s). */
const MIN_TIME_SEC = 5;

export interface GridCheck {
  /** Chord changes counted. */
  changes: number;
  /** Fraction of them within ±35 ms of a reference beat (NaN when there are none). */
  onGrid: number;
  /** Median absolute distance of the changes to the nearest reference beat, in ms (NaN when none). */
  medianOffsetMs: number;
  /** Whether the grid agrees (true when it cannot be checked: no changes or no beats). */
  agrees: boolean;
}

/** Signed distance from `t` to the nearest of the sorted `beats`. */
export function offsetToNearest(beats: readonly number[], t: number): number {
  let lo = 0;
  let hi = beats.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (beats[mid]! <= t) lo = mid;
    else hi = mid;
  }
  const a = t - beats[lo]!;
  const b = t - beats[hi]!;
  return Math.abs(a) <= Math.abs(b) ? a : b;
}

/** Checks one song's reference beats against its chord changes (see the module comment). */
export function checkBeatGrid(beats: readonly number[], chordStarts: readonly number[], chordLabels: readonly string[]): GridCheck {
  const changes = chordStarts.filter((t, i) => t >= MIN_TIME_SEC && chordLabels[i] !== 'N' && chordLabels[i] !== 'X');
  if (beats.length === 0 || changes.length === 0) return { changes: changes.length, onGrid: Number.NaN, medianOffsetMs: Number.NaN, agrees: true };
  const sorted = [...beats].sort((x, y) => x - y);
  const dist = changes.map((t) => Math.abs(offsetToNearest(sorted, t))).sort((x, y) => x - y);
  const onGrid = dist.filter((d) => d <= ON_GRID_SEC).length / dist.length;
  const m = dist.length >> 1;
  const median = dist.length % 2 ? dist[m]! : (dist[m - 1]! + dist[m]!) / 2;
  return { changes: changes.length, onGrid, medianOffsetMs: median * 1000, agrees: onGrid >= AGREE_FRACTION };
}
