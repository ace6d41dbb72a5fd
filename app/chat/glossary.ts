// The built-in glossary: every harmonic device, form and sound term the analysis detects, with a
// plain definition and a way to find examples of it in the user's own analysed library.
import { keyName } from '../analysis/key/names.ts';
import type { HarmonicDevice, TrackAnalysis } from '../analysis/types.ts';
import type { Track } from '../store/index.ts';
import { normalise } from './library.ts';

export type Example = { track: Track; analysis: TrackAnalysis; start?: number; end?: number; detail: string };
type Finder = (lib: { track: Track; analysis: TrackAnalysis }[]) => Example[];

export interface GlossaryTerm {
  id: string;
  name: string;
  group: 'harmony' | 'form' | 'rhythm' | 'key' | 'sound';
  /** Other ways people say it (matched without case and diacritics). */
  aliases: string[];
  definition: string;
  examples: Finder;
}

/** The concept of a device as search names it: its kind, or a progression's family / a cadence's type. */
export function deviceConcept(d: HarmonicDevice): string {
  if (d.kind === 'progression') return String(d.detail?.family ?? 'progression');
  if (d.kind === 'cadence') {
    const t = String(d.detail?.type ?? '');
    return t === 'authentic' ? 'authentic-cadence' : t === 'plagal' || t === 'minor-plagal' ? 'plagal-cadence' : /plagal/i.test(d.label) ? 'plagal-cadence' : /authentic/i.test(d.label) ? 'authentic-cadence' : 'cadence';
  }
  return d.kind;
}

const byDevice =
  (concept: string): Finder =>
  (lib) =>
    lib.flatMap(({ track, analysis }) => analysis.theory.devices.filter((d) => deviceConcept(d) === concept).map((d) => ({ track, analysis, start: d.start, end: d.end, detail: d.label })));

const bySection =
  (label: string): Finder =>
  (lib) =>
    lib.flatMap(({ track, analysis }) => analysis.form.sections.filter((x) => x.label === label).slice(0, 1).map((x) => ({ track, analysis, start: x.start, end: x.end, detail: x.progression ? `${label} (${x.progression})` : label })));

/** The tracks with the highest (or lowest) value of a measure, whole-track facts. */
const byValue =
  (value: (a: TrackAnalysis) => number | null, describe: (v: number, a: TrackAnalysis) => string, order: 'high' | 'low' = 'high'): Finder =>
  (lib) =>
    lib
      .map((x) => ({ ...x, v: value(x.analysis) }))
      .filter((x): x is typeof x & { v: number } => x.v !== null && Number.isFinite(x.v))
      .sort((p, q) => (order === 'high' ? q.v - p.v : p.v - q.v))
      .map(({ track, analysis, v }) => ({ track, analysis, detail: describe(v, analysis) }));

const r1 = (x: number) => Math.round(x * 10) / 10;
const p = (x: number) => `${Math.round(x * 100)} %`;

export const GLOSSARY: readonly GlossaryTerm[] = [
  { id: 'modal-interchange', name: 'modal interchange', group: 'harmony', aliases: ['borrowed chord', 'borrowed chords', 'modal mixture', 'mode mixture', 'borrowing'], definition: 'Borrowing a chord from the parallel mode — in a major key, chords of the parallel minor such as ♭VI, ♭VII or the minor iv. It darkens or colours the harmony without changing key.', examples: byDevice('modal-interchange') },
  { id: 'secondary-dominant', name: 'secondary dominant', group: 'harmony', aliases: ['secondary dominants', 'applied dominant', 'applied chord', 'five of five', 'v of v', 'v/v'], definition: 'The dominant (V or V7) of a chord other than the tonic, written V/x — e.g. V7/V, the dominant of the dominant. It briefly points at that chord as if it were home, then resolves to it.', examples: byDevice('secondary-dominant') },
  { id: 'tritone-substitution', name: 'tritone substitution', group: 'harmony', aliases: ['tritone sub', 'tritone substitute'], definition: 'Replacing a dominant seventh chord with the dominant seventh a tritone away (♭II7 for V7): the two share their tritone, so it resolves the same way with a chromatic bass.', examples: byDevice('tritone-substitution') },
  { id: 'modulation', name: 'modulation (key change)', group: 'key', aliases: ['key change', 'key changes', 'modulate', 'modulations', 'pivot chord', 'pivot modulation', 'direct modulation', 'truck driver modulation'], definition: 'A change of key that holds for a while (not a passing tonicisation). A pivot modulation goes through a chord common to both keys; a direct one simply jumps (e.g. up a whole step).', examples: byDevice('modulation') },
  { id: 'chromatic-mediant', name: 'chromatic mediant', group: 'harmony', aliases: ['chromatic mediants', 'mediant'], definition: 'A move between chords whose roots are a third apart but which are not in the same key (e.g. C → A♭): one common tone, a striking, cinematic colour change.', examples: byDevice('chromatic-mediant') },
  { id: 'pedal-point', name: 'pedal point', group: 'harmony', aliases: ['pedal', 'pedal tone', 'drone'], definition: 'A bass note held (or repeated) while the chords above it change, creating tension against it.', examples: byDevice('pedal-point') },
  { id: 'picardy-third', name: 'Picardy third', group: 'harmony', aliases: ['picardy', 'tierce de picardie'], definition: 'Ending a minor-key passage on the major tonic chord — a sudden brightening at the close.', examples: byDevice('picardy-third') },
  { id: 'four-chord', name: 'four-chord progression (I–V–vi–IV)', group: 'harmony', aliases: ['four chord progression', 'four chords', 'axis progression', 'i v vi iv', 'pop progression'], definition: 'The I–V–vi–IV loop (and its rotations) behind countless pop songs.', examples: byDevice('four-chord') },
  { id: 'fifties', name: '50s progression (I–vi–IV–V)', group: 'harmony', aliases: ['fifties progression', '50s progression', 'doo wop progression', 'doo-wop progression', 'i vi iv v'], definition: 'I–vi–IV–V, the doo-wop loop of 1950s ballads.', examples: byDevice('fifties') },
  { id: 'andalusian', name: 'Andalusian cadence', group: 'harmony', aliases: ['andalusian', 'andalusian progression', 'flamenco cadence'], definition: 'A descending minor-key progression i–♭VII–♭VI–V, from flamenco: the bass walks down four steps to the dominant.', examples: byDevice('andalusian') },
  { id: 'ii-V-I', name: 'ii–V–I', group: 'harmony', aliases: ['ii v i', '2 5 1', 'two five one', 'ii-v-i progression', 'jazz cadence'], definition: 'The supertonic, dominant and tonic in a row (ii7–V7–Imaj7 in jazz): the strongest way to arrive at a key; in minor iiø7–V7–i.', examples: byDevice('ii-V-I') },
  { id: 'authentic-cadence', name: 'authentic cadence', group: 'harmony', aliases: ['perfect cadence', 'v i cadence', 'full cadence'], definition: 'V (or V7) resolving to I at the end of a phrase — the "full stop" of tonal music.', examples: byDevice('authentic-cadence') },
  { id: 'plagal-cadence', name: 'plagal cadence', group: 'harmony', aliases: ['amen cadence', 'iv i cadence', 'minor plagal cadence'], definition: 'IV (or the minor iv) resolving to I — the "amen" ending of hymns.', examples: byDevice('plagal-cadence') },
  { id: 'cadence', name: 'cadence', group: 'harmony', aliases: ['cadences'], definition: 'The chords that close a phrase: authentic (V–I), plagal (IV–I), half (ending on V) or deceptive (V–vi).', examples: (lib) => [...byDevice('authentic-cadence')(lib), ...byDevice('plagal-cadence')(lib)] },
  { id: 'roman-numerals', name: 'Roman numerals', group: 'harmony', aliases: ['roman numeral', 'roman numeral analysis', 'numerals', 'chord function', 'harmonic function'], definition: 'Chords named by the scale degree of their root in the key: upper case major (I, IV, V), lower case minor (ii, vi), ♭ for chords from outside the key, V/x for secondary dominants.', examples: (lib) => lib.flatMap(({ track, analysis }) => analysis.form.sections.filter((x) => x.progression).slice(0, 1).map((x) => ({ track, analysis, start: x.start, end: x.end, detail: `${x.label}: ${x.progression} in ${keyName(analysis.key.global)}` }))) },
  { id: 'intro', name: 'intro', group: 'form', aliases: ['introduction'], definition: 'The opening section before the first verse.', examples: bySection('intro') },
  { id: 'verse', name: 'verse', group: 'form', aliases: ['verses'], definition: 'A section whose music repeats with different words each time; it tells the story and leads to the chorus.', examples: bySection('verse') },
  { id: 'pre-chorus', name: 'pre-chorus', group: 'form', aliases: ['prechorus', 'pre chorus', 'build', 'lift'], definition: 'A short section that builds from the verse into the chorus.', examples: bySection('pre-chorus') },
  { id: 'chorus', name: 'chorus', group: 'form', aliases: ['refrain', 'hook', 'choruses'], definition: 'The section that returns with the same music (and words), usually the most energetic and memorable part.', examples: bySection('chorus') },
  { id: 'bridge', name: 'bridge', group: 'form', aliases: ['middle eight', 'middle 8'], definition: 'A contrasting section, usually heard once, between later choruses.', examples: bySection('bridge') },
  { id: 'instrumental', name: 'instrumental section', group: 'form', aliases: ['instrumental', 'solo', 'break'], definition: 'A section without the lead voice, e.g. a solo or a break.', examples: bySection('instrumental') },
  { id: 'outro', name: 'outro', group: 'form', aliases: ['coda', 'ending', 'outro section'], definition: 'The closing section after the last chorus or verse.', examples: bySection('outro') },
  { id: 'form', name: 'form (song structure)', group: 'form', aliases: ['song form', 'song structure', 'structure', 'sections'], definition: 'The order of a song\'s sections (intro, verse, chorus, bridge …), found from which parts repeat.', examples: byValue((a) => a.form.sections.length, (_, a) => a.form.summary) },
  { id: 'tempo', name: 'tempo (BPM)', group: 'rhythm', aliases: ['bpm', 'beats per minute', 'speed'], definition: 'How fast the beat goes, in beats per minute.', examples: byValue((a) => a.rhythm.bpm, (v) => `${r1(v)} BPM`) },
  { id: 'meter', name: 'meter (time signature)', group: 'rhythm', aliases: ['time signature', 'metre', 'time', 'bar', 'measure'], definition: 'How beats group into bars: 4/4 (four beats), 3/4 (three, a waltz), 6/8 (two beats each divided in three).', examples: (lib) => lib.filter(({ analysis }) => analysis.rhythm.meter !== '4/4').map(({ track, analysis }) => ({ track, analysis, detail: analysis.rhythm.meter })) },
  { id: 'waltz', name: 'waltz (3/4)', group: 'rhythm', aliases: ['3/4', 'three four', 'triple meter'], definition: 'Music in three beats a bar (3/4), strong–weak–weak.', examples: (lib) => lib.filter(({ analysis }) => analysis.rhythm.meter === '3/4').map(({ track, analysis }) => ({ track, analysis, detail: `3/4 at ${r1(analysis.rhythm.bpm)} BPM` })) },
  { id: 'compound-meter', name: 'compound meter', group: 'rhythm', aliases: ['6/8', '12/8', 'compound time'], definition: 'Each beat divided in three (6/8, 12/8): a lilting, rocking feel.', examples: (lib) => lib.filter(({ analysis }) => ['6/8', '12/8'].includes(analysis.rhythm.meter)).map(({ track, analysis }) => ({ track, analysis, detail: analysis.rhythm.meter })) },
  { id: 'key', name: 'key', group: 'key', aliases: ['tonality', 'tonic', 'home key'], definition: 'The note and scale a piece treats as home, e.g. A minor; measured from the notes heard over the whole song.', examples: byValue((a) => a.key.confidence, (_, a) => keyName(a.key.global)) },
  { id: 'major-minor', name: 'major and minor', group: 'key', aliases: ['major key', 'minor key', 'mode', 'major', 'minor', 'major vs minor', 'major and minor keys'], definition: 'The two families of keys: major (bright, the third above the tonic is major) and minor (darker, a minor third).', examples: (lib) => lib.map(({ track, analysis }) => ({ track, analysis, detail: keyName(analysis.key.global) })) },
  { id: 'camelot', name: 'Camelot code', group: 'key', aliases: ['camelot wheel', 'camelot', 'harmonic mixing'], definition: 'DJs\' names for keys on a wheel (8A = A minor, 8B = C major): neighbours on the wheel mix smoothly.', examples: (lib) => lib.map(({ track, analysis }) => ({ track, analysis, detail: keyName(analysis.key.global) })) },
  { id: 'loudness', name: 'loudness (LUFS)', group: 'sound', aliases: ['lufs', 'integrated loudness', 'loud', 'loudness units'], definition: 'Perceived loudness measured by ITU-R BS.1770 / EBU R128, in LUFS (loudness units relative to full scale); streaming services play at about −14 LUFS.', examples: byValue((a) => a.loudness.integratedLufs, (v) => `${r1(v)} LUFS`) },
  { id: 'loudness-range', name: 'loudness range (LRA)', group: 'sound', aliases: ['lra', 'dynamics', 'dynamic range'], definition: 'How much the loudness varies over the song (EBU Tech 3342), in LU: small for compressed pop, large for classical.', examples: byValue((a) => a.loudness.loudnessRangeLu, (v) => `${r1(v)} LU`) },
  { id: 'true-peak', name: 'true peak', group: 'sound', aliases: ['dbtp', 'peak', 'clipping'], definition: 'The highest level of the waveform including peaks between samples (4× oversampled), in dBTP; above 0 dBTP it can clip on playback.', examples: byValue((a) => a.loudness.truePeakDbtp, (v) => `${r1(v)} dBTP`) },
  { id: 'plr', name: 'peak-to-loudness ratio', group: 'sound', aliases: ['plr', 'crest factor'], definition: 'True peak minus integrated loudness, in dB: low for heavily limited masters, high for dynamic ones.', examples: byValue((a) => a.loudness.plrDb, (v) => `${r1(v)} dB`) },
  { id: 'replaygain', name: 'ReplayGain', group: 'sound', aliases: ['replay gain', 'volume normalisation', 'normalization'], definition: 'The gain that would play the track at −18 LUFS (ReplayGain 2.0), so tracks play at even volume.', examples: byValue((a) => a.loudness.replayGainDb, (v) => `${r1(v)} dB`) },
  { id: 'stereo-width', name: 'stereo width', group: 'sound', aliases: ['width', 'stereo', 'mono'], definition: 'How much of the sound differs between left and right: 0 is mono, 1 very wide.', examples: byValue((a) => a.loudness.stereoWidth, (v) => p(v)) },
  { id: 'brightness', name: 'brightness (spectral centroid)', group: 'sound', aliases: ['spectral centroid', 'bright', 'timbre', 'tone colour'], definition: 'Where the "centre of mass" of the spectrum lies, in Hz: higher sounds brighter.', examples: byValue((a) => a.sound.spectralCentroidHz.mean, (v) => `${Math.round(v)} Hz`) },
  { id: 'energy', name: 'energy', group: 'sound', aliases: ['energetic', 'intensity'], definition: 'How intense a track feels, 0–100 %, from loudness, density of onsets and brightness.', examples: byValue((a) => a.descriptors.energy.value, (v) => p(v)) },
  { id: 'danceability', name: 'danceability', group: 'sound', aliases: ['danceable', 'groove'], definition: 'How suitable for dancing, 0–100 %, from beat strength, tempo and steadiness.', examples: byValue((a) => a.descriptors.danceability.value, (v) => p(v)) },
  { id: 'valence', name: 'valence', group: 'sound', aliases: ['mood', 'happy', 'sad', 'positivity'], definition: 'Musical positivity, 0–100 %: high sounds happy or cheerful, low sad or dark; from mode, tempo, harmony and brightness.', examples: byValue((a) => a.descriptors.valence.value, (v) => p(v)) },
  { id: 'arousal', name: 'arousal', group: 'sound', aliases: ['excitement', 'calm'], definition: 'How exciting versus calm a track feels, 0–100 %.', examples: byValue((a) => a.descriptors.arousal.value, (v) => p(v)) },
  { id: 'acousticness', name: 'acousticness', group: 'sound', aliases: ['acoustic', 'electronic'], definition: 'How acoustic (1) rather than electronic (0) the sound is.', examples: byValue((a) => a.descriptors.acousticness.value, (v) => p(v)) },
  { id: 'vocals', name: 'vocal presence', group: 'sound', aliases: ['vocals', 'voice', 'singing', 'instrumental track'], definition: 'How likely a voice is heard, over time; segments above the threshold are marked as vocals.', examples: byValue((a) => a.sound.vocals.presence, (v) => p(v)) },
  { id: 'onset-density', name: 'onset density', group: 'sound', aliases: ['onsets', 'busyness', 'note density'], definition: 'Detected note/drum onsets per second: how busy the rhythm is.', examples: byValue((a) => a.sound.onsetDensity, (v) => `${r1(v)} per second`) },
  { id: 'chords', name: 'chords', group: 'harmony', aliases: ['chord', 'chord progression', 'progression', 'harmony'], definition: 'Notes sounding together; we name them per beat (major, minor, sevenths, diminished, suspended …) with the bass note for inversions.', examples: (lib) => lib.map(({ track, analysis }) => ({ track, analysis, start: 0, end: analysis.durationSec, detail: `${new Set(analysis.chords.chords.filter((c) => c.quality !== 'N').map((c) => c.label)).size} distinct chords` })) },
];

/** The glossary term a phrase names (whole phrase, its name or an alias), or undefined. */
export function findTerm(phrase: string): GlossaryTerm | undefined {
  const n = normalise(phrase).replace(/^(a|an|the)\s+/, '').replace(/\s+(progression|chord|chords)$/, (m) => m);
  if (!n) return undefined;
  const variants = [n, n.replace(/s$/, ''), n.replace(/\s+(progression|chord progression|cadence)$/, '')];
  for (const t of GLOSSARY) {
    const names = [t.id, t.name, ...t.aliases].map(normalise);
    if (variants.some((v) => names.includes(v))) return t;
  }
  for (const t of GLOSSARY) {
    const names = [t.name.replace(/\s*\(.*\)$/, ''), ...t.aliases].map(normalise);
    if (variants.some((v) => names.includes(v))) return t;
  }
  return undefined;
}
