// A music file opened read-only for decoding: positioned reads of bounded size, never the whole file.
import fs from 'node:fs/promises';
import { DecodeError, fromFsError, quoteName } from './errors.ts';

export interface AudioSource {
  readonly path: string;
  readonly size: number;
  /** Up to `length` bytes from `position` (fewer only at the end of the file), in a fresh array. */
  read(position: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** Opens `file` read-only ('r'); throws DecodeError 'UNREADABLE' for folders and file-system errors. */
export async function openSource(file: string): Promise<AudioSource> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (err) {
    throw fromFsError(err, file);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new DecodeError('UNREADABLE', file, `Can't read ${quoteName(file)}: it is not a regular file`);
    let closed = false;
    return {
      path: file,
      size: st.size,
      async read(position, length) {
        const want = Math.max(0, Math.min(length, st.size - position));
        const buf = new Uint8Array(want);
        let done = 0;
        try {
          while (done < want) {
            const { bytesRead } = await handle.read(buf, done, want - done, position + done);
            if (bytesRead === 0) break; // the file shrank while we read it
            done += bytesRead;
          }
        } catch (err) {
          throw fromFsError(err, file);
        }
        return done === want ? buf : buf.subarray(0, done);
      },
      async close() {
        if (closed) return;
        closed = true;
        await handle.close();
      },
    };
  } catch (err) {
    await handle.close();
    throw fromFsError(err, file);
  }
}
