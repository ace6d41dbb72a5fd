// The words search understands, and what each means. GRAMMAR.md lists the same tables for people:
// change both together (test/search/grammar.test.ts checks that every phrase here is in GRAMMAR.md).
import type { DescriptorName, DeviceConcept, SectionConcept } from './query.ts';

/** Harmonic devices, named progressions and cadences (phrases are matched after normalising, see parse.ts). */
export const DEVICE_PHRASES: Record<DeviceConcept, string[]> = {
  'modal-interchange': [
    'modal interchange', 'modal mixture', 'mode mixture', 'modal borrowing', 'borrowed chords', 'borrowed chord',
    'borrowed harmony', 'borrowed from the parallel minor', 'borrowed from the parallel major', 'borrowing', 'borrowed', 'mixture',
  ],
  'secondary-dominant': ['secondary dominants', 'secondary dominant', 'applied dominants', 'applied dominant', 'applied chords', 'v of v', 'v/v', 'five of five', 'tonicization', 'tonicisation'],
  'tritone-substitution': ['tritone substitutions', 'tritone substitution', 'tritone subs', 'tritone sub', 'tritone substitute'],
  modulation: [
    'key changes', 'key change', 'changes key', 'change key', 'changing key', 'modulations', 'modulation', 'modulates', 'modulate', 'modulating',
    'truck driver modulation', 'truck driver key change', 'key shift',
  ],
  'chromatic-mediant': ['chromatic mediants', 'chromatic mediant', 'chromatic third relations', 'chromatic third relation', 'third relation'],
  'pedal-point': ['pedal points', 'pedal point', 'pedal tone', 'pedal note', 'pedal', 'drone'],
  'picardy-third': ['picardy third', 'picardy', 'tierce de picardie'],
  'four-chord': ['four chord song', 'four chord songs', 'four chord progression', 'four chords', '4 chord song', '4 chord', 'axis progression', 'i-v-vi-iv', '1-5-6-4', 'axis of awesome'],
  fifties: ['50s progression', 'fifties progression', 'doo-wop progression', 'doo wop progression', 'i-vi-iv-v', '1-6-4-5', 'ice cream changes'],
  andalusian: ['andalusian cadence', 'andalusian progression', 'andalusian', 'flamenco cadence', 'i-bvii-bvi-v'],
  'ii-V-I': ['ii-v-i', 'ii v i', '2-5-1', 'two five one', 'two-five-one', 'ii-v', 'two-five'],
  'plagal-cadence': ['plagal cadence', 'plagal cadences', 'amen cadence', 'amen ending', 'plagal'],
  'authentic-cadence': ['authentic cadence', 'perfect cadence', 'perfect authentic cadence'],
};

/** Song sections (from the form analysis). "has a bridge", "no chorus" come out of these plus the negation words. */
export const SECTION_PHRASES: Record<SectionConcept, string[]> = {
  intro: ['intro', 'introduction'],
  verse: ['verse', 'verses'],
  'pre-chorus': ['pre-chorus', 'prechorus', 'pre chorus'],
  chorus: ['chorus', 'choruses', 'refrain'],
  bridge: ['bridge', 'middle eight', 'middle 8'],
  instrumental: ['instrumental section', 'instrumental break', 'solo section', 'solo'],
  outro: ['outro', 'coda', 'ending section'],
};

/** Sound and mood words: which measured descriptor they ask about, and which end of it. */
export const DESCRIPTOR_PHRASES: { phrases: string[]; descriptor: DescriptorName; direction: 'high' | 'low' }[] = [
  { phrases: ['loud', 'loud master', 'loudly mastered', 'hot master'], descriptor: 'loudness', direction: 'high' },
  { phrases: ['quiet', 'soft', 'gentle'], descriptor: 'loudness', direction: 'low' },
  { phrases: ['energetic', 'high energy', 'high-energy', 'intense', 'powerful', 'driving'], descriptor: 'energy', direction: 'high' },
  { phrases: ['low energy', 'low-energy'], descriptor: 'energy', direction: 'low' },
  { phrases: ['calm', 'relaxed', 'relaxing', 'chill', 'mellow', 'peaceful', 'laid back', 'laid-back'], descriptor: 'arousal', direction: 'low' },
  { phrases: ['exciting', 'excited', 'agitated', 'tense'], descriptor: 'arousal', direction: 'high' },
  { phrases: ['danceable', 'dance', 'dancey', 'groovy', 'for dancing'], descriptor: 'danceability', direction: 'high' },
  { phrases: ['acoustic'], descriptor: 'acousticness', direction: 'high' },
  { phrases: ['electronic', 'synthetic', 'synthesized', 'synthesised'], descriptor: 'acousticness', direction: 'low' },
  { phrases: ['happy', 'cheerful', 'joyful', 'bright', 'positive', 'uplifting'], descriptor: 'valence', direction: 'high' },
  { phrases: ['sad', 'melancholy', 'melancholic', 'gloomy', 'dark', 'somber', 'sombre', 'depressing'], descriptor: 'valence', direction: 'low' },
  { phrases: ['instrumental', 'no vocals', 'without vocals'], descriptor: 'vocals', direction: 'low' },
  { phrases: ['with vocals', 'vocals', 'vocal', 'singing', 'sung', 'voice', 'singer'], descriptor: 'vocals', direction: 'high' },
];

/**
 * Tempo bands in counted beats per minute (the meter's beat: dotted quarter in 6/8). Half-open:
 * min ≤ bpm < max. Roughly the metronome marks Largo/Adagio (< 60), Andante (60–85), Moderato
 * (85–110), Allegro (110–150), Presto (≥ 150).
 */
export const TEMPO_BANDS = [
  { band: 'very slow', min: 0, max: 60 },
  { band: 'slow', min: 60, max: 85 },
  { band: 'moderate', min: 85, max: 110 },
  { band: 'fast', min: 110, max: 150 },
  { band: 'very fast', min: 150, max: 1000 },
] as const;

export type TempoBand = (typeof TEMPO_BANDS)[number]['band'];

/** Tempo words → a bpm range (min ≤ bpm < max). "slow" and "fast" include their "very" bands. */
export const TEMPO_PHRASES: { phrases: string[]; min: number; max: number }[] = [
  { phrases: ['very slow', 'really slow'], min: 0, max: 60 },
  { phrases: ['slow', 'slower', 'slow tempo', 'downtempo', 'down-tempo'], min: 0, max: 85 },
  { phrases: ['moderate', 'moderate tempo', 'mid-tempo', 'midtempo', 'mid tempo', 'medium tempo'], min: 85, max: 110 },
  { phrases: ['fast', 'faster', 'quick', 'fast tempo', 'uptempo', 'up-tempo'], min: 110, max: 1000 },
  { phrases: ['very fast', 'really fast'], min: 150, max: 1000 },
];

/** ± bpm around an asked tempo: "90 bpm" is 90 ± EXACT, "around 90 bpm" is 90 ± AROUND. */
export const TEMPO_TOLERANCE = { exact: 3, around: 6 } as const;

/** Meter words → the meters (as stored) that satisfy them. */
export const METER_PHRASES: { phrases: string[]; meters: string[] }[] = [
  { phrases: ['waltz', 'waltzes', '3/4', '3/4 time', 'three four', 'three-four', 'triple meter', 'triple time', 'in three'], meters: ['3/4'] },
  { phrases: ['6/8', '6/8 time', 'six eight', 'compound time', 'compound meter', 'compound metre', '12/8', 'shuffle'], meters: ['6/8', '12/8'] },
  { phrases: ['4/4', '4/4 time', 'common time', 'four four', 'four-four'], meters: ['4/4'] },
  { phrases: ['2/4', '2/4 time', 'two four', 'cut time'], meters: ['2/4'] },
];

/** Words that only carry the sentence ("find songs with …"); dropped unless part of a phrase above. */
export const STOP_WORDS = new Set(
  (
    'a an the and but or of in on at to for from with by is are be was that which who whose it its this these those ' +
    'find show me list give get play search want need i id like some any all every songs song tracks track music tunes tune ' +
    'pieces piece something stuff please has have having had contains contain containing uses use using used feature features ' +
    'featuring one ones there where what key tempo meter time signature in progression progressions cadences'
  ).split(' '),
);

/** Words that negate the clause after them ("without a key change", "not in 3/4", "no chorus"). */
export const NEGATION_WORDS = new Set(['not', 'no', 'without', 'non', 'never', 'excluding', 'except', 'isnt', 'doesnt', 'dont', 'lacking']);
