// The notes analyser's version, apart from the model code so the queue can read it without loading the ONNX runtime.
export const NOTES_ANALYSER_VERSION = 1;
