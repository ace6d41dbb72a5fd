// WAV and AIFF: the header readers find the frames, which are then read in whole-frame chunks and
// turned straight into mono (pcm.ts), or into planar channels when the stream's source tap wants them.
import { readAiffHeader } from './aiff.ts';
import { DecodeError, quoteName } from './errors.ts';
import { describePcm, pcmToMono, pcmToPlanar } from './pcm.ts';
import { frameBytes, type PcmLayout } from './pcmLayout.ts';
import type { Opened, PieceSource } from './pieces.ts';
import type { Sniffed } from './sniff.ts';
import type { AudioSource } from './source.ts';
import { readWavHeader } from './wav.ts';

/** WAV / AIFF: header, then frames read in whole-frame chunks and converted straight to mono. */
export async function openPcm(src: AudioSource, s: Extract<Sniffed, { kind: 'wav' | 'aiff' }>, readSize: number, warnings: string[]): Promise<Opened> {
  const read = (p: number, n: number): Promise<Uint8Array> => src.read(s.start + p, n); // offsets from the RIFF/FORM header
  const size = src.size - s.start;
  const layout: PcmLayout = s.kind === 'wav' ? await readWavHeader(read, size, src.path) : await readAiffHeader(read, size, src.path);
  warnings.push(...layout.warnings);
  const fb = frameBytes(layout);
  if (layout.dataBytes < fb) throw new DecodeError('EMPTY', src.path, `${quoteName(src.path)} holds no audio: its ${layout.container} data is empty`);
  const step = Math.max(1, Math.floor(readSize / fb)) * fb; // chunks never split a frame
  let offset = 0;
  const source: PieceSource = {
    async next(allChannels = false) {
      if (offset >= layout.dataBytes) return null;
      const bytes = await read(layout.dataOffset + offset, Math.min(step, layout.dataBytes - offset));
      if (bytes.length < fb) {
        warnings.push(`the file ended early, at byte ${s.start + layout.dataOffset + offset} (it shrank while being read)`);
        offset = layout.dataBytes;
        return null;
      }
      offset += bytes.length;
      if (allChannels && layout.channels > 1) {
        const channels = pcmToPlanar(bytes, layout.encoding, layout.channels);
        return { channels, length: channels[0]!.length, rate: layout.sampleRate };
      }
      const mono = pcmToMono(bytes, layout.encoding, layout.channels);
      return { channels: [mono], length: mono.length, rate: layout.sampleRate };
    },
    close() {},
  };
  return {
    source,
    format: `${layout.container} ${describePcm(layout.encoding)}`,
    sourceSampleRate: layout.sampleRate,
    sourceChannels: layout.channels,
    durationHint: layout.dataBytes / fb / layout.sampleRate,
  };
}

