// Which files the scanner looks at. Audio is recognised by content; extensions only decide what to
// skip without opening (pictures, playlists, documents) and what we expect to be audio.
import path from 'node:path';

/** Extensions music-metadata parses as audio. A file with one of these that isn't audio is an error. */
export const AUDIO_EXTENSIONS = new Set([
  'mp3', 'mp2', 'mp1', 'mpga', 'flac', 'ogg', 'oga', 'opus', 'spx', 'wav', 'wave', 'aif', 'aiff', 'aifc',
  'm4a', 'm4b', 'mp4', 'aac', 'alac', 'wma', 'asf', 'ape', 'wv', 'mpc', 'mp+', 'dsf', 'dff', 'mka', 'weba', 'webm',
]);

/** Extensions that are never audio: skipped without being opened. */
export const NON_AUDIO_EXTENSIONS = new Set([
  'jpg', 'jpeg', 'png', 'gif', 'bmp', 'webp', 'tif', 'tiff', 'heic', 'svg', 'ico',
  'txt', 'nfo', 'log', 'cue', 'm3u', 'm3u8', 'pls', 'xspf', 'pdf', 'md', 'rtf', 'doc', 'docx', 'html', 'htm',
  'xml', 'json', 'yaml', 'yml', 'ini', 'db', 'sqlite', 'url', 'lnk', 'sfv', 'md5', 'sha1', 'ffp', 'accurip',
  'zip', 'rar', '7z', 'gz', 'tar', 'exe', 'dll', 'app', 'dmg', 'iso', 'lrc', 'srt', 'mid', 'midi', 'nki', 'ds_store',
  'avi', 'mkv', 'mov', 'flv', 'wmv', 'torrent', 'part', 'crdownload', 'tmp',
]);

export type FileKind = 'audio-extension' | 'skip' | 'sniff';

/** How the scanner treats a file by its name alone. */
export function kindByName(file: string): FileKind {
  const base = path.basename(file);
  if (base.startsWith('._')) return 'skip'; // macOS AppleDouble resource forks
  const dot = base.lastIndexOf('.');
  const ext = dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
  if (AUDIO_EXTENSIONS.has(ext)) return 'audio-extension';
  if (NON_AUDIO_EXTENSIONS.has(ext) || base === '.DS_Store' || base === 'Thumbs.db' || base === 'desktop.ini') return 'skip';
  return 'sniff';
}

/** True for a MIME type (from content sniffing) that is audio we can read. */
export function isAudioMime(mime: string | undefined): boolean {
  if (!mime) return false;
  return mime.startsWith('audio/') || mime === 'video/mp4' || mime === 'video/x-matroska' || mime === 'video/webm' || mime === 'application/ogg' || mime === 'video/x-ms-asf';
}
