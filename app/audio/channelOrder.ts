// The file's own channels in one order for every format: WAV / SMPTE order (L R C LFE Ls Rs, the
// order of WAVE_FORMAT_EXTENSIBLE's default masks, FLAC and AIFF-C). Ogg Vorbis and Opus decoders
// hand out the Vorbis order (RFC 7845 §5.1.1.2: L C R Ls Rs LFE for 5.1), reordered here by
// reference, without copying samples.

/** For Vorbis order with n channels (3..8): the Vorbis index of each WAV-order channel. */
const VORBIS_TO_WAV: Record<number, readonly number[]> = {
  3: [0, 2, 1], // L C R → L R C
  4: [0, 1, 2, 3], // quad is the same
  5: [0, 2, 1, 3, 4], // L C R Ls Rs → L R C Ls Rs
  6: [0, 2, 1, 5, 3, 4], // L C R Ls Rs LFE → L R C LFE Ls Rs
  7: [0, 2, 1, 6, 5, 3, 4], // L C R Ls Rs Cs LFE → L R C LFE Cs Ls Rs
  8: [0, 2, 1, 7, 5, 6, 3, 4], // L C R Ls Rs Lb Rb LFE → L R C LFE Lb Rb Ls Rs
};

/** How a format's decoder lays out channels. */
export type ChannelLayout = 'wav' | 'vorbis' | 'mpeg-mono';

/**
 * The layout of a decoded format (its name, as openAudio reports it): Ogg Vorbis and Opus use the
 * Vorbis order; a mono MPEG file comes out of the decoder (minimp3.ts) as two identical channels.
 */
export function channelLayout(format: string, declaredChannels: number): ChannelLayout {
  if (format === 'Ogg Vorbis' || format === 'Ogg Opus') return 'vorbis';
  if (/^MP[123]$/.test(format) && declaredChannels === 1) return 'mpeg-mono';
  return 'wav';
}

/** The decoded channels in WAV order, by reference. */
export function toWavOrder(channels: readonly Float32Array[], layout: ChannelLayout): readonly Float32Array[] {
  if (layout === 'mpeg-mono') return channels.slice(0, 1);
  const map = layout === 'vorbis' ? VORBIS_TO_WAV[channels.length] : undefined;
  return map ? map.map((i) => channels[i]!) : channels;
}
