// Converts Spotify's Basic Pitch (TF.js graph model shipped in @spotify/basic-pitch) to
// native-models/basic-pitch.onnx and records its manifest entry (sha256, shapes, licence, origin).
// Run: node bin/run-ts.js build/models/convert-basic-pitch.ts [--list-ops] [--out file.onnx]
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { convertTfjsToOnnx, listOps, readTfjsModel, TF_OPS } from './tfjsToOnnx.ts';
import type { ModelManifest, ModelManifestEntry } from '../../app/models/manifest.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BASIC_PITCH_PACKAGE = path.join(REPO, 'node_modules/@spotify/basic-pitch');
export const BASIC_PITCH_MODEL_JSON = path.join(BASIC_PITCH_PACKAGE, 'model/model.json');
const NATIVE_MODELS = path.join(REPO, 'native-models');

/** Window of Basic Pitch: 2 s at 22050 Hz less one hop (AUDIO_N_SAMPLES in its constants.py). */
export const BASIC_PITCH_INPUT_SAMPLES = 43844;
export const BASIC_PITCH_FRAMES = 172;

/** Converts the installed Basic Pitch graph to ONNX bytes (deterministic). */
export function convertBasicPitch(): Uint8Array {
  return convertTfjsToOnnx(BASIC_PITCH_MODEL_JSON, {
    inputName: 'audio',
    outputs: [
      { tfName: 'Identity_1', onnxName: 'note', dims: [-1, BASIC_PITCH_FRAMES, 88] },
      { tfName: 'Identity_2', onnxName: 'onset', dims: [-1, BASIC_PITCH_FRAMES, 88] },
      { tfName: 'Identity', onnxName: 'contour', dims: [-1, BASIC_PITCH_FRAMES, 264] },
    ],
    producer: 'linernotes convert-basic-pitch',
    docString: 'Basic Pitch (Spotify AB, Apache-2.0), converted from the TF.js graph model of @spotify/basic-pitch',
  });
}

/** The manifest entry for a converted file. */
export function basicPitchManifestEntry(bytes: Uint8Array): ModelManifestEntry {
  const pkg = JSON.parse(fs.readFileSync(path.join(BASIC_PITCH_PACKAGE, 'package.json'), 'utf8')) as { version: string };
  return {
    name: 'basic-pitch',
    version: pkg.version,
    file: 'basic-pitch.onnx',
    sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
    bytes: bytes.length,
    inputs: [{ name: 'audio', dtype: 'float32', shape: ['batch', BASIC_PITCH_INPUT_SAMPLES, 1] }],
    outputs: [
      { name: 'note', dtype: 'float32', shape: ['batch', BASIC_PITCH_FRAMES, 88] },
      { name: 'onset', dtype: 'float32', shape: ['batch', BASIC_PITCH_FRAMES, 88] },
      { name: 'contour', dtype: 'float32', shape: ['batch', BASIC_PITCH_FRAMES, 264] },
    ],
    sampleRate: 22050,
    licence: 'Apache-2.0',
    origin: {
      source: `npm @spotify/basic-pitch ${pkg.version}: model/model.json + group1-shard1of1.bin (TF.js graph model)`,
      authors: 'Spotify AB',
      paper: 'R. M. Bittner, J. J. Bosch, D. Rubinstein, G. Meseguer-Brocal, S. Ewert: "A Lightweight Instrument-Agnostic Model for Polyphonic Note Transcription and Multipitch Estimation", ICASSP 2022',
      url: 'https://github.com/spotify/basic-pitch',
      converter: 'build/models/convert-basic-pitch.ts',
    },
  };
}

function writeManifestEntry(entry: ModelManifestEntry): void {
  const file = path.join(NATIVE_MODELS, 'manifest.json');
  const manifest: ModelManifest = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as ModelManifest) : { models: [] };
  manifest.models = [...manifest.models.filter((m) => m.name !== entry.name), entry].sort((a, b) => a.name.localeCompare(b.name));
  fs.writeFileSync(file, JSON.stringify(manifest, null, 2) + '\n');
}

function main(): void {
  const args = process.argv.slice(2);
  const { model } = readTfjsModel(BASIC_PITCH_MODEL_JSON);
  const ops = listOps(model);
  console.log('TensorFlow ops in the graph (count → ONNX):');
  for (const [op, count] of Object.entries(ops).sort()) console.log(`  ${op.padEnd(14)} ${String(count).padStart(4)}  → ${TF_OPS[op] ?? 'NOT MAPPED'}`);
  if (args.includes('--list-ops')) return;
  const outIdx = args.indexOf('--out');
  const out = outIdx >= 0 ? path.resolve(args[outIdx + 1] ?? '') : path.join(NATIVE_MODELS, 'basic-pitch.onnx');
  const bytes = convertBasicPitch();
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, bytes);
  const entry = basicPitchManifestEntry(bytes);
  console.log(`wrote ${path.relative(REPO, out)}: ${bytes.length} bytes, sha256 ${entry.sha256}`);
  if (outIdx < 0) {
    writeManifestEntry(entry);
    console.log('updated native-models/manifest.json');
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
