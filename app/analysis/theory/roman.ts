// Roman numerals relative to a key: degree with accidental (against the major scale in major and the
// natural-minor scale in minor), case for quality, quality marks (° ø + maj), inversion figures from
// the bass (6, 64; 7, 65, 43, 42), applied numerals ('V7/V'), diatonic membership and harmonic function.
import type { ChordQuality, HarmonicFunction, Key, Mode } from '../types.ts';
import {
  QUALITY_TONES,
  chordTones,
  degreeLetter,
  intervalFromTonic,
  isSeventhChord,
  keyUsesFlats,
  qualitySuffix,
  scaleOf,
  sounding,
  spellOnLetter,
  triadClass,
} from './pitch.ts';
import type { ChordLike, SoundingChord, TriadClass } from './pitch.ts';

/** A scale degree (1..7) and its accidental against the key's reference scale. */
export interface Degree {
  degree: number;
  accidental: -1 | 0 | 1;
}

const ROMAN = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII'];

/** Interval above the tonic → degree against the major scale (tritone handled separately). */
const MAJOR_DEGREES: readonly Degree[] = [
  { degree: 1, accidental: 0 },
  { degree: 2, accidental: -1 },
  { degree: 2, accidental: 0 },
  { degree: 3, accidental: -1 },
  { degree: 3, accidental: 0 },
  { degree: 4, accidental: 0 },
  { degree: 4, accidental: 1 },
  { degree: 5, accidental: 0 },
  { degree: 6, accidental: -1 },
  { degree: 6, accidental: 0 },
  { degree: 7, accidental: -1 },
  { degree: 7, accidental: 0 },
];

/** Interval above the tonic → degree against the natural-minor scale. */
const MINOR_DEGREES: readonly Degree[] = [
  { degree: 1, accidental: 0 },
  { degree: 2, accidental: -1 },
  { degree: 2, accidental: 0 },
  { degree: 3, accidental: 0 },
  { degree: 3, accidental: 1 },
  { degree: 4, accidental: 0 },
  { degree: 4, accidental: 1 },
  { degree: 5, accidental: 0 },
  { degree: 6, accidental: 0 },
  { degree: 6, accidental: 1 },
  { degree: 7, accidental: 0 },
  { degree: 7, accidental: 1 },
];

/** Degree of a chord root `interval` semitones above the tonic. */
export function degreeOf(interval: number, mode: Mode, cls: TriadClass): Degree {
  // Rule: the tritone above the tonic is ♯IV for diminished/minor chords (♯iv°), ♭V for major ones.
  if (interval === 6) return cls === 'diminished' || cls === 'minor' ? { degree: 4, accidental: 1 } : { degree: 5, accidental: -1 };
  // Rule: in minor the leading-tone diminished chord is the harmonic-minor vii°, written without an accidental.
  if (mode === 'minor' && interval === 11 && cls === 'diminished') return { degree: 7, accidental: 0 };
  const d = (mode === 'major' ? MAJOR_DEGREES : MINOR_DEGREES)[interval]!;
  // Rule: a diminished chord on a lowered degree is a leading-tone chord, named on the raised degree below (♯i°7, not ♭ii°7).
  if (cls === 'diminished' && d.accidental === -1) return { degree: d.degree - 1, accidental: 1 };
  return d;
}

/** Degree numeral with accidental and case, without quality marks: '♭VI', 'ii', '♯iv'. */
export function degreeNumeral(interval: number, mode: Mode, cls: TriadClass): string {
  const d = degreeOf(interval, mode, cls);
  const acc = d.accidental === -1 ? '♭' : d.accidental === 1 ? '♯' : '';
  const base = ROMAN[d.degree - 1]!;
  // Rule: upper case for major, augmented and suspended chords, lower case for minor and diminished ones.
  return acc + (cls === 'minor' || cls === 'diminished' ? base.toLowerCase() : base);
}

/** Which chord tone is in the bass: 0 root, 1 third, 2 fifth, 3 seventh; -1 when the bass is not a chord tone. */
export function bassPosition(c: SoundingChord): number {
  return QUALITY_TONES[c.quality].indexOf((((c.bass - c.root) % 12) + 12) % 12);
}

/** Figured-bass inversion: triads '' / '6' / '64'; sevenths '7' / '65' / '43' / '42'. */
export function inversionFigure(c: SoundingChord): string {
  const pos = Math.max(0, bassPosition(c));
  // Rule: suspended chords have no third, so they take no inversion figure.
  if (triadClass(c.quality) === 'suspended') return '';
  return isSeventhChord(c.quality) ? ['7', '65', '43', '42'][pos]! : ['', '6', '64'][pos]!;
}

/** Quality marks plus figure: '°6', 'ø7', 'maj65', '+', 'sus4'. */
function qualityMarks(q: ChordQuality, figure: string): string {
  switch (q) {
    case 'maj':
    case 'min':
    case '7':
    case 'min7':
      return figure;
    case 'maj7':
      return `maj${figure}`;
    case 'dim':
    case 'dim7':
      return `°${figure}`;
    case 'hdim7':
      return `ø${figure}`;
    case 'aug':
      return `+${figure}`;
    case 'sus2':
    case 'sus4':
      return q;
  }
}

/** Plain Roman numeral of a chord in a key: 'I', 'vi', '♭VII', 'iiø7', 'V65', 'vii°7', 'N' for no chord. */
export function romanNumeral(chord: ChordLike, key: Key): string {
  const c = sounding(chord);
  if (!c) return 'N';
  const cls = triadClass(c.quality);
  return degreeNumeral(intervalFromTonic(key, c.root), key.mode, cls) + qualityMarks(c.quality, inversionFigure(c));
}

/** Numeral of the key `local`'s tonic triad as a degree of `home`: 'V', 'vi', '♭VI'. */
export function keyDegreeNumeral(home: Key, local: Key): string {
  return degreeNumeral(intervalFromTonic(home, local.tonic), home.mode, local.mode === 'major' ? 'major' : 'minor');
}

/** Applied numeral: the chord's numeral in `local` over the degree of `local` in `home`: 'V7/V', 'iiø7/vi'. */
export function appliedNumeral(chord: ChordLike, local: Key, home: Key): string {
  return `${romanNumeral(chord, local)}/${keyDegreeNumeral(home, local)}`;
}

// Rule: a chord is diatonic when all its tones lie in the key's scale (natural minor in minor), and in
// minor also the harmonic-minor V, V7 and the leading-tone vii°, vii°7 (viiø7 accepted as well).
export function isDiatonic(c: SoundingChord, key: Key): boolean {
  const scale = new Set(scaleOf(key));
  if (chordTones(c).every((t) => scale.has(t))) return true;
  if (key.mode === 'minor') {
    const i = intervalFromTonic(key, c.root);
    if (i === 7 && (c.quality === 'maj' || c.quality === '7')) return true;
    if (i === 11 && triadClass(c.quality) === 'diminished') return true;
  }
  return false;
}

/** Quality class of the scale triad on the degree `interval` above the tonic; null off the scale. */
export function diatonicTriadClass(key: Key, interval: number): TriadClass | null {
  // Rule: major-key triads I ii iii IV V vi vii°; minor-key triads i ii° III iv V (harmonic) VI VII, vii° (harmonic).
  const major: Record<number, TriadClass> = { 0: 'major', 2: 'minor', 4: 'minor', 5: 'major', 7: 'major', 9: 'minor', 11: 'diminished' };
  const minor: Record<number, TriadClass> = { 0: 'minor', 2: 'diminished', 3: 'major', 5: 'minor', 7: 'major', 8: 'major', 10: 'major', 11: 'diminished' };
  return (key.mode === 'major' ? major : minor)[interval] ?? null;
}

/** Is this chord the key's dominant (V or V7, any inversion)? */
export function isDominantOfKey(c: SoundingChord, key: Key): boolean {
  return intervalFromTonic(key, c.root) === 7 && (c.quality === 'maj' || c.quality === '7');
}

/**
 * Harmonic function of a diatonic chord. Tonic: I iii vi (major), i III VI (minor). Predominant: ii IV
 * (major), ii° iv (minor), and VI when it moves to V. Dominant: V vii° (and the minor key's v and VII).
 */
export function diatonicFunction(c: SoundingChord, key: Key, nextIsDominant = false): HarmonicFunction {
  const i = intervalFromTonic(key, c.root);
  if (key.mode === 'major') {
    if (i === 0 || i === 4 || i === 9) return 'tonic';
    if (i === 2 || i === 5) return 'predominant';
    if (i === 7 || i === 11) return 'dominant';
    return 'chromatic';
  }
  if (i === 0 || i === 3) return 'tonic';
  // Rule: VI before V is a predominant (the ♭VI–V approach); otherwise it is a tonic substitute.
  if (i === 8) return nextIsDominant ? 'predominant' : 'tonic';
  if (i === 2 || i === 5) return 'predominant';
  if (i === 7 || i === 10 || i === 11) return 'dominant';
  return 'chromatic';
}

/** Letter steps above the root of each chord tone (third 2, fifth 4, seventh 6; sus2 1, sus4 3). */
function toneLetterSteps(q: ChordQuality): readonly number[] {
  if (q === 'sus2') return [0, 1, 4];
  if (q === 'sus4') return [0, 3, 4];
  return [0, 2, 4, 6];
}

/** Chord symbol spelled in the key: 'A♭' (♭VI of C), 'F♯7', 'E/G♯', 'D/F♯', 'Em7♭5'. */
export function spellChord(chord: ChordLike, key: Key): string {
  const c = sounding(chord);
  if (!c) return 'N';
  const flats = keyUsesFlats(key);
  const rootLetter = degreeLetter(key, degreeOf(intervalFromTonic(key, c.root), key.mode, triadClass(c.quality)).degree);
  const root = spellOnLetter(rootLetter, c.root, flats);
  if (c.bass === c.root) return root + qualitySuffix(c.quality);
  const pos = bassPosition(c);
  const bassLetter =
    pos >= 0 ? rootLetter + toneLetterSteps(c.quality)[pos]! : degreeLetter(key, degreeOf(intervalFromTonic(key, c.bass), key.mode, 'minor').degree);
  return `${root}${qualitySuffix(c.quality)}/${spellOnLetter(bassLetter, c.bass, flats)}`;
}
