// The notes analyser's version, apart from the model code so the queue can read it without loading the ONNX runtime.
// v2: the transcribed bass line now sets each chord's bass (notes/harmony.ts), so tracks transcribed by v1 are redone.
// v3: the melody range has a tessitura, and pedal points are found from the transcribed bass line (notes/pedal.ts).
export const NOTES_ANALYSER_VERSION = 3;
