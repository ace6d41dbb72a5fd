// The notes analyser's version, apart from the model code so the queue can read it without loading the ONNX runtime.
// v2: the transcribed bass line now sets each chord's bass (notes/harmony.ts), so tracks transcribed by v1 are redone.
// v3: chords recognised again with the notes' chroma mixed in (notes/chroma.ts), pedal points from the transcribed
// bass line (notes/pedal.ts), and a tessitura in the melody range.
export const NOTES_ANALYSER_VERSION = 3;
