/**
 * Port of mir_eval.key (mir_eval 0.8.2): key strings 'C# major' / 'Eb minor' / 'X', and the MIREX
 * weighted score. Also converters from JAMS `key_mode` values ('E:minor') and from pitch classes.
 */

/** mir_eval.key.KEY_TO_SEMITONE (lower-case tonic → pitch class; 'x' = uncategorised). */
const KEY_TO_SEMITONE: Readonly<Record<string, number | null>> = {
  c: 0, 'c#': 1, db: 1, d: 2, 'd#': 3, eb: 3, e: 4, f: 5, 'f#': 6, gb: 6, g: 7, 'g#': 8, ab: 8, a: 9, 'a#': 10, bb: 10, b: 11, x: null,
};

const MODES = ['major', 'minor', 'other'] as const;

/** Follows mir_eval.key.validate_key: '(tonic) (mode)' with mode major/minor/other, or 'X'. Throws otherwise. */
export function validateKey(key: string): void {
  const parts = key.split(/\s+/).filter(Boolean);
  if (parts.length !== 2 && !(parts.length > 0 && key.toLowerCase() === 'x')) {
    throw new Error(`'${key}' is not in the form '(key) (mode)' or 'X'`);
  }
  if (key.toLowerCase() === 'x') return;
  const [tonic, mode] = parts as [string, string];
  if (tonic.toLowerCase() === 'x') throw new Error(`Mode ${mode} is invalid; 'X' (Uncategorized) doesn't have mode`);
  if (!(tonic.toLowerCase() in KEY_TO_SEMITONE)) throw new Error(`Key ${tonic} is invalid; should be e.g. D or C# or Eb or X (Uncategorized)`);
  if (!(MODES as readonly string[]).includes(mode)) throw new Error(`Mode '${mode}' is invalid; must be 'major', 'minor' or 'other'`);
}

/** Follows mir_eval.key.split_key_string: 'C# major' → [1, 'major']; 'X' → [null, null]. */
export function splitKeyString(key: string): [number | null, string | null] {
  if (key.toLowerCase() === 'x') return [null, null];
  const [tonic, mode] = key.split(/\s+/).filter(Boolean) as [string, string];
  return [KEY_TO_SEMITONE[tonic.toLowerCase()] ?? null, mode];
}

/**
 * Follows mir_eval.key.weighted_score (the MIREX key score):
 * 1.0 same key; 0.5 same mode with the estimate a perfect fifth ABOVE the reference (estimate − reference
 * = 7 semitones; a fifth below scores 0); 0.3 the relative key (reference major → estimate minor 9 above,
 * i.e. a minor third below; reference minor → estimate major 3 above); 0.2 the parallel key; else 0.
 */
export function keyWeightedScore(referenceKey: string, estimatedKey: string): number {
  validateKey(referenceKey);
  validateKey(estimatedKey);
  const [refKey, refMode] = splitKeyString(referenceKey);
  const [estKey, estMode] = splitKeyString(estimatedKey);
  if (refKey === estKey && refMode === estMode) return 1.0;
  if (refKey === null || estKey === null) return 0.0;
  const up = (((estKey - refKey) % 12) + 12) % 12;
  if (estMode === refMode && up === 7) return 0.5;
  if (estMode !== refMode && refMode === 'major' && up === 9) return 0.3;
  if (estMode !== refMode && refMode === 'minor' && up === 3) return 0.3;
  if (estMode !== refMode && refKey === estKey) return 0.2;
  return 0.0;
}

const SHARP_NAMES = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'];

/** A pitch class (0 = C) and mode as a mir_eval key string, e.g. (4, 'minor') → 'E minor'. */
export function keyString(tonic: number, mode: 'major' | 'minor'): string {
  return `${SHARP_NAMES[((tonic % 12) + 12) % 12]!} ${mode}`;
}

const ENHARMONIC: Readonly<Record<string, string>> = { cb: 'B', fb: 'E', 'e#': 'F', 'b#': 'C' };

/**
 * A JAMS `key_mode` value as a mir_eval key string: 'E:minor' → 'E minor', 'N' → 'X', a tonic alone
 * or a church mode → '<tonic> other' (mir_eval knows only major, minor and other). Tonics spelled
 * outside mir_eval's table (Cb, Fb, E#, B#) are respelled.
 */
export function jamsKeyToMirEval(value: string): string {
  if (value === 'N' || value.toLowerCase() === 'x') return 'X';
  const [tonicRaw, modeRaw] = value.split(':') as [string, string | undefined];
  const tonic = ENHARMONIC[tonicRaw.toLowerCase()] ?? tonicRaw;
  const mode = modeRaw === 'major' || modeRaw === 'minor' ? modeRaw : modeRaw === 'ionian' ? 'major' : modeRaw === 'aeolian' ? 'minor' : 'other';
  const key = `${tonic} ${mode}`;
  validateKey(key);
  return key;
}
