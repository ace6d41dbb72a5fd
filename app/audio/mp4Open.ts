// MP4 / M4A audio: the first sound track's codec picks the decoder. ALAC is decoded here (alac.ts
// through the sample table, alacSource.ts); AAC through the user's own ffmpeg (ffmpegSource.ts);
// anything else is refused with an error naming it.
import { parseAlacConfig } from './alac.ts';
import { AlacSource } from './alacSource.ts';
import { DecodeError, quoteName } from './errors.ts';
import { openWithFfmpeg } from './ffmpegOpen.ts';
import { alacCookie, readMp4SoundTrack } from './mp4Demux.ts';
import { firstPiece, type Opened } from './pieces.ts';
import type { AudioSource } from './source.ts';

/** Opens an MP4-family file (`container`: 'M4A', 'MP4', 'MOV', …, for messages). */
export async function openMp4(src: AudioSource, container: string, readSize: number, warnings: string[], signal?: AbortSignal): Promise<Opened> {
  const file = src.path;
  const name = quoteName(file);
  const track = await readMp4SoundTrack((p, n) => src.read(p, n), src.size, file);
  if (!track) throw new DecodeError('UNSUPPORTED_FORMAT', file, `${name} is an ${container} file with no sound track`);
  const hint = track.durationTicks / track.timescale;
  if (track.sizes.length === 0) throw new DecodeError('EMPTY', file, `${name} holds no audio: its ${container}/${track.codec} track has no samples`);

  if (track.entryType === 'alac') {
    const cookie = alacCookie(track.entry);
    const config = cookie && parseAlacConfig(cookie);
    if (!config) throw new DecodeError('CORRUPT', file, `${name} is a damaged ${container}/ALAC file: its decoder configuration (the 'alac' magic cookie) is missing or invalid`);
    const source = new AlacSource(src, track, config, readSize, warnings, signal);
    const opened = await firstPiece(source, file, `${container}/ALAC`, {
      format: `${container} ALAC ${config.bitDepth}-bit`,
      sourceSampleRate: config.sampleRate,
      sourceChannels: config.numChannels,
      durationHint: hint,
    });
    if (source.goodFrames === 0) {
      source.close();
      const why = warnings.find((w) => w.startsWith('damaged ALAC frame'));
      throw new DecodeError('CORRUPT', file, `${name} is a damaged ${container}/ALAC file: none of its first frames could be decoded${why ? ` (${why})` : ''}`);
    }
    return opened;
  }

  if (track.codec === 'AAC') return openWithFfmpeg(file, 'mov', container, 'AAC', hint, warnings, signal);

  throw new DecodeError('UNSUPPORTED_CODEC', file, `${container}/${track.codec} audio can't be decoded yet: ${name} (only ALAC and AAC in ${container} are supported)`);
}
