// Small display helpers.

/** 83.4 → '1:23'; 3725 → '1:02:05'. */
export function clock(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** 0.834 → '83 %'. */
export const percent = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : `${Math.round(x * 100)} %`);

/** A confidence in words, so it reads without numbers too. */
export function confidenceWord(x: number): string {
  if (x >= 0.8) return 'high';
  if (x >= 0.5) return 'medium';
  return 'low';
}

export const number = (x: number | null | undefined, digits = 0): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(digits));

/** A Harte label for people: 'Ab:maj' → 'A♭', 'A:min7' → 'Am7', 'G:7/3' → 'G7/3'. */
export function chordName(label: string): string {
  if (label === 'N' || label === 'X') return '—';
  const [rootPart, rest = 'maj'] = label.split(':');
  const root = (rootPart ?? '').replace('b', '♭').replace('#', '♯');
  const [quality = 'maj', bass] = rest.split('/');
  const q: Record<string, string> = { maj: '', min: 'm', '7': '7', maj7: 'maj7', min7: 'm7', dim: '°', aug: '+', sus2: 'sus2', sus4: 'sus4', hdim7: 'ø7', dim7: '°7' };
  return `${root}${q[quality] ?? quality}${bass ? '/' + bass : ''}`;
}

/** Starts a download of text as a file (no server round trip). */
export function downloadText(fileName: string, mime: string, text: BlobPart): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
