// The prompts of a deep analysis (documented in docs/music-flamingo.md). Bump PROMPT_VERSION when
// any text here changes: stored captions keep the version they were made with, and opted-in
// tracks are captioned again.

export const PROMPT_VERSION = 1;

/**
 * The caption, in the layers Music Flamingo's captions were trained on (genre and style; tempo,
 * key, meter; instrumentation and production; structure; harmony; vocals and lyric themes; mood;
 * cultural context), one headed paragraph each so a reader can find a layer.
 */
export const CAPTION_PROMPT = `Describe this song in detail for a music lover, in full sentences, one paragraph for each of these, in this order, each starting with its heading:
Genre and style: the genre, subgenre and stylistic influences.
Tempo, key and meter: the tempo in BPM, the key (tonic and major or minor) and the time signature.
Instrumentation and production: the instruments and sounds you hear, and how it is recorded, mixed and produced.
Structure: the sections in order (intro, verse, pre-chorus, chorus, bridge, solo, outro and so on) and how they build.
Harmony: the chord progression written as chord symbols (for example Am, F, C, G) and any notable harmonic moves.
Vocals and lyrics: the voice (or say that there are no vocals) and what the lyrics are about.
Mood: the mood and how it changes.
Cultural context: the era, scene and tradition the song belongs to.`;

/** The lyric sheet, asked only when there are vocals. */
export const LYRICS_PROMPT = `Transcribe the lyrics of this song as a lyric sheet: one sung line per line, a blank line between sections, and each section's name in square brackets, such as [Verse 1] or [Chorus]. Write only the lyrics. If nobody sings in this song, answer exactly: NO VOCALS`;

export const NO_VOCALS = 'NO VOCALS';

/** The fixed questions: short answers, several of them checkable against our measurements. */
export const QUESTIONS: readonly { id: string; question: string }[] = [
  { id: 'genre', question: 'What genre and subgenre is this song? Answer in one sentence.' },
  { id: 'tempo', question: "What is the tempo of this song? Answer with the number of beats per minute, like '120 BPM', and one short reason." },
  { id: 'key', question: "What key is this song in? Answer with the tonic and the mode, like 'A minor'." },
  { id: 'meter', question: "What is the time signature of this song? Answer like '4/4' or '6/8'." },
  { id: 'chords', question: "What is the main chord progression? Answer with chord symbols separated by commas, like 'Am, F, C, G'." },
  { id: 'structure', question: 'List the sections of this song in order (intro, verse, chorus, bridge, outro and so on).' },
  { id: 'instruments', question: 'Which instruments and sounds can you hear? Answer with a list.' },
  { id: 'vocals', question: 'Are there vocals? If so, describe the voice: register, style and any effects.' },
  { id: 'mood', question: 'Describe the mood of this song in a few words.' },
  { id: 'era', question: 'What era or decade does the sound and production suggest, and why?' },
];

/** Said before the prompt of one part of a song sent in several parts. */
export function partPreamble(part: number, parts: number, from: string, to: string): string {
  return `This audio is part ${part} of ${parts} of a longer song (from ${from} to ${to}). Describe this part.\n\n`;
}
