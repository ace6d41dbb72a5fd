// 16-bit PCM mono WAV bytes for a clip (RIFF/WAVE, 'fmt ' PCM format 1, 'data'), as the
// OpenAI-compatible `input_audio` part carries them (Microsoft RIFF WAVE spec, PCM layout).
import type { AudioClip } from './types.ts';

/** Encodes a mono 16-bit clip as a canonical 44-byte-header WAV file. */
export function clipToWav(clip: AudioClip): Buffer {
  const dataBytes = clip.samples.length * 2;
  const out = Buffer.alloc(44 + dataBytes);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + dataBytes, 4);
  out.write('WAVE', 8, 'ascii');
  out.write('fmt ', 12, 'ascii');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20); // PCM
  out.writeUInt16LE(1, 22); // mono
  out.writeUInt32LE(clip.sampleRate, 24);
  out.writeUInt32LE(clip.sampleRate * 2, 28); // byte rate
  out.writeUInt16LE(2, 32); // block align
  out.writeUInt16LE(16, 34); // bits per sample
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(dataBytes, 40);
  Buffer.from(clip.samples.buffer, clip.samples.byteOffset, dataBytes).copy(out, 44);
  return out;
}

/** Float samples in [-1, 1] → 16-bit integers (clipped, rounded). */
export function toInt16(block: Float32Array): Int16Array {
  const out = new Int16Array(block.length);
  for (let i = 0; i < block.length; i++) {
    const x = Math.max(-1, Math.min(1, Number.isFinite(block[i]!) ? block[i]! : 0));
    out[i] = Math.round(x * 32767);
  }
  return out;
}
