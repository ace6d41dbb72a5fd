// The form in words for people. The stored summary lists every section; a long recording (a medley, a
// mix) has dozens, which no sentence should list.

/** Runs of the same label told at most this many times; the rest is counted. */
export const MAX_RUNS_TOLD = 12;

/** Section labels with consecutive repeats collapsed ('verse ×3') and, past `maxRuns` runs, '… (N sections)'. */
export function formPhrase(labels: readonly string[], maxRuns = MAX_RUNS_TOLD): string {
  const runs: { label: string; n: number }[] = [];
  for (const label of labels) {
    const last = runs[runs.length - 1];
    if (last && last.label === label) last.n++;
    else runs.push({ label, n: 1 });
  }
  const told = runs.slice(0, maxRuns).map((r) => (r.n > 1 ? `${r.label} ×${r.n}` : r.label));
  return runs.length > maxRuns ? `${told.join('–')}–… (${labels.length} sections)` : told.join('–');
}
