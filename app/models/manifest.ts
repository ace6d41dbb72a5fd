// The model manifest (native-models/manifest.json): what each shipped model is, where it came
// from, its licence, its tensors, and the sha256 its file must have; checked before a model loads.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface TensorSpec {
  name: string;
  dtype: 'float32' | 'int64' | 'int32';
  /** Dimensions; a string names a free dimension (e.g. 'batch'). */
  shape: (number | string)[];
}

export interface ModelManifestEntry {
  name: string;
  version: string;
  /** File name inside the models folder. */
  file: string;
  sha256: string;
  bytes: number;
  inputs: TensorSpec[];
  outputs: TensorSpec[];
  /** Audio models: the sample rate their input expects. */
  sampleRate?: number;
  /** SPDX identifier. */
  licence: string;
  origin: { source: string; authors: string; paper?: string; url?: string; converter?: string };
}

export interface ModelManifest {
  models: ModelManifestEntry[];
}

/** A model file that is missing, or whose bytes are not the ones the manifest names. */
export class ModelIntegrityError extends Error {
  readonly code: 'MODEL_MISSING' | 'MODEL_CHECKSUM' | 'MODEL_UNKNOWN' | 'MANIFEST_INVALID';
  constructor(code: ModelIntegrityError['code'], message: string) {
    super(message);
    this.name = 'ModelIntegrityError';
    this.code = code;
  }
}

/** native-models/ of this checkout or install (app/models → ../../native-models, also from dist/app/models). */
export function defaultModelsDir(): string {
  if (process.env.LINERNOTES_MODELS_DIR) return path.resolve(process.env.LINERNOTES_MODELS_DIR);
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'native-models');
    if (fs.existsSync(path.join(candidate, 'manifest.json'))) return candidate;
    dir = path.dirname(dir);
  }
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../native-models');
}

/** Reads and shape-checks manifest.json in a models folder. */
export function loadManifest(modelsDir: string = defaultModelsDir()): ModelManifest {
  const file = path.join(modelsDir, 'manifest.json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ModelIntegrityError('MANIFEST_INVALID', `cannot read the model manifest ${file}: ${(err as Error).message}`);
  }
  const models = (parsed as { models?: unknown }).models;
  if (!Array.isArray(models)) throw new ModelIntegrityError('MANIFEST_INVALID', `${file}: no "models" list`);
  for (const m of models as Partial<ModelManifestEntry>[]) {
    const missing = (['name', 'version', 'file', 'sha256', 'licence'] as const).filter((k) => typeof m[k] !== 'string');
    if (missing.length || !Array.isArray(m.inputs) || !Array.isArray(m.outputs) || typeof m.origin !== 'object') {
      throw new ModelIntegrityError('MANIFEST_INVALID', `${file}: entry ${String(m.name)} lacks ${missing.length ? missing.join(', ') : 'inputs/outputs/origin'}`);
    }
    if (!/^[0-9a-f]{64}$/.test(m.sha256!)) throw new ModelIntegrityError('MANIFEST_INVALID', `${file}: entry ${m.name} has no valid sha256`);
  }
  return { models: models as ModelManifestEntry[] };
}

export function findModel(manifest: ModelManifest, name: string): ModelManifestEntry {
  const entry = manifest.models.find((m) => m.name === name);
  if (!entry) throw new ModelIntegrityError('MODEL_UNKNOWN', `no model named "${name}" in the manifest (known: ${manifest.models.map((m) => m.name).join(', ') || 'none'})`);
  return entry;
}

/** SHA-256 of a file, hex. */
export function sha256File(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Checks a model file against its manifest entry; returns its absolute path or throws a ModelIntegrityError. */
export function verifyModelFile(entry: ModelManifestEntry, modelsDir: string = defaultModelsDir()): string {
  const file = path.join(modelsDir, entry.file);
  if (!fs.existsSync(file)) throw new ModelIntegrityError('MODEL_MISSING', `model ${entry.name}: file ${file} is missing`);
  const actual = sha256File(file);
  if (actual !== entry.sha256) {
    throw new ModelIntegrityError(
      'MODEL_CHECKSUM',
      `model ${entry.name}: ${file} does not match its manifest (sha256 ${actual}, expected ${entry.sha256}); the file is damaged or was replaced — reinstall it or rebuild it (see native-models/README.md)`,
    );
  }
  return file;
}
