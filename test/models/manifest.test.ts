// The model manifest: entries are complete, files are checked by sha256 before loading.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findModel, loadManifest, ModelIntegrityError, sha256File, verifyModelFile } from '../../app/models/manifest.ts';
import { getModelSession, releaseModelSessions } from '../../app/models/session.ts';

const MODELS = path.resolve(import.meta.dirname, '../../native-models');

/** A copy of native-models/ in a temp folder, to tamper with. */
function copyModels(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linernotes-models-'));
  for (const f of fs.readdirSync(MODELS)) fs.copyFileSync(path.join(MODELS, f), path.join(dir, f));
  return dir;
}

describe('model manifest', () => {
  afterAll(releaseModelSessions);

  it('describes basic-pitch completely and its committed file matches', () => {
    const entry = findModel(loadManifest(MODELS), 'basic-pitch');
    expect(entry.licence).toBe('Apache-2.0');
    expect(entry.origin.authors).toMatch(/Spotify/);
    expect(entry.inputs).toEqual([{ name: 'audio', dtype: 'float32', shape: ['batch', 43844, 1] }]);
    expect(entry.outputs.map((o) => o.name)).toEqual(['note', 'onset', 'contour']);
    expect(sha256File(path.join(MODELS, entry.file))).toBe(entry.sha256);
    expect(fs.statSync(path.join(MODELS, entry.file)).size).toBe(entry.bytes);
    expect(verifyModelFile(entry, MODELS)).toBe(path.join(MODELS, entry.file));
  });

  it('refuses a tampered model file with a clear error, before ONNX Runtime sees it', async () => {
    const dir = copyModels();
    const file = path.join(dir, 'basic-pitch.onnx');
    const bytes = fs.readFileSync(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x01; // one flipped bit, among the weights
    fs.writeFileSync(file, bytes);
    const entry = findModel(loadManifest(dir), 'basic-pitch');
    expect(() => verifyModelFile(entry, dir)).toThrow(ModelIntegrityError);
    expect(() => verifyModelFile(entry, dir)).toThrow(/does not match its manifest \(sha256 [0-9a-f]{64}, expected [0-9a-f]{64}\)/);
    await expect(getModelSession('basic-pitch', { modelsDir: dir, log: () => {} })).rejects.toMatchObject({ name: 'ModelIntegrityError', code: 'MODEL_CHECKSUM' });
  });

  it('says which file is missing, which model is unknown, and when the manifest is broken', () => {
    const dir = copyModels();
    fs.rmSync(path.join(dir, 'basic-pitch.onnx'));
    const m = loadManifest(dir);
    expect(() => verifyModelFile(findModel(m, 'basic-pitch'), dir)).toThrow(/basic-pitch\.onnx is missing/);
    expect(() => findModel(m, 'no-such-model')).toThrow(/no model named "no-such-model".*known: basic-pitch/);
    fs.writeFileSync(path.join(dir, 'manifest.json'), '{"models":[{"name":"x"}]}');
    expect(() => loadManifest(dir)).toThrow(/entry x lacks version, file, sha256, licence/);
    fs.writeFileSync(path.join(dir, 'manifest.json'), 'not json');
    expect(() => loadManifest(dir)).toThrow(/cannot read the model manifest/);
  });
});
