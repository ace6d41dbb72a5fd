// Opens a file whose codec Linernotes decodes through the user's own ffmpeg (AAC, in M4A/MP4 or raw
// ADTS): no permissively licensed AAC decoder exists for us to ship, so none is bundled.
import { DecodeError } from './errors.ts';
import { FfmpegSource, findFfmpeg, noFfmpegMessage } from './ffmpegSource.ts';
import { firstPiece, type Opened } from './pieces.ts';

/**
 * Starts ffmpeg on `file` with its `demuxer` ('mov', 'aac') and hands back the opened source; with no
 * usable ffmpeg, an UNSUPPORTED_CODEC error naming the container, the codec and what to install.
 */
export async function openWithFfmpeg(
  file: string,
  demuxer: string,
  container: string,
  codec: string,
  durationHint: number | null,
  warnings: string[],
  signal?: AbortSignal,
): Promise<Opened> {
  const ffmpeg = await findFfmpeg();
  if ('missing' in ffmpeg) throw new DecodeError('UNSUPPORTED_CODEC', file, noFfmpegMessage(file, container, codec, ffmpeg.missing));
  signal?.throwIfAborted();
  const what = `${container}/${codec}`;
  const source = new FfmpegSource(ffmpeg.path, file, demuxer, what, warnings);
  try {
    const format = await source.open();
    return await firstPiece(source, file, what, {
      format: `${container === codec ? codec : `${container} ${codec}`} (decoded by ffmpeg)`,
      sourceSampleRate: format.sampleRate,
      sourceChannels: format.channels,
      durationHint,
    });
  } catch (err) {
    source.close();
    throw err;
  }
}
