// The original Basic Pitch, for comparisons: its TF.js graph model run by @tensorflow/tfjs (pure JS
// CPU backend) through the @spotify/basic-pitch package (devDependency, tests only).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type * as TF from '@tensorflow/tfjs';
import type * as BP from '@spotify/basic-pitch';

const require = createRequire(import.meta.url);
// CommonJS on purpose: the same tfjs instance that @spotify/basic-pitch's CommonJS build requires.
const tf = require('@tensorflow/tfjs') as typeof TF;
const bp = require('@spotify/basic-pitch') as typeof BP;
const MODEL_DIR = path.resolve(import.meta.dirname, '../../node_modules/@spotify/basic-pitch/model');

export { bp };

/** Loads the original graph model from the package's files (no fetch). */
async function loadOriginal(): Promise<TF.GraphModel> {
  await tf.setBackend('cpu');
  const json = JSON.parse(fs.readFileSync(path.join(MODEL_DIR, 'model.json'), 'utf8'));
  const bin = fs.readFileSync(path.join(MODEL_DIR, 'group1-shard1of1.bin'));
  return tf.loadGraphModel({
    load: async () => ({
      modelTopology: json.modelTopology,
      format: json.format,
      generatedBy: json.generatedBy,
      convertedBy: json.convertedBy,
      signature: json.signature,
      weightSpecs: json.weightsManifest[0].weights,
      weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
    }),
  });
}

/** Runs the original BasicPitch.evaluateModel over a whole clip; returns its frames, onsets and contours. */
export async function runOriginal(audio: Float32Array): Promise<{ frames: number[][]; onsets: number[][]; contours: number[][] }> {
  const model = new bp.BasicPitch(loadOriginal());
  const frames: number[][] = [];
  const onsets: number[][] = [];
  const contours: number[][] = [];
  await model.evaluateModel(
    audio,
    (f, o, c) => {
      frames.push(...f);
      onsets.push(...o);
      contours.push(...c);
    },
    () => {},
  );
  return { frames, onsets, contours };
}
