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

/** True for the formats whose decoders use the Vorbis channel order. */
export function usesVorbisOrder(format: string): boolean {
  return format === 'Ogg Vorbis' || format === 'Ogg Opus';
}

/**
 * The decoded channels in WAV order. `declaredChannels` is the container's count: a mono MP3 comes
 * out of mpg123 as two identical channels, and only the first is the file's own.
 */
export function toWavOrder(channels: readonly Float32Array[], vorbisOrder: boolean, declaredChannels: number): readonly Float32Array[] {
  if (declaredChannels === 1 && channels.length === 2) return [channels[0]!];
  const map = vorbisOrder ? VORBIS_TO_WAV[channels.length] : undefined;
  return map ? map.map((i) => channels[i]!) : channels;
}
