/**
 * Media files: a video's duration, read by MediaInfo (mediainfo.js, the WebAssembly build of the
 * maintained MediaArea library) — MP4 / MOV including fragmented MP4 (whose duration is only in its
 * fragments), AVI, and whatever else MediaInfo reads; and media types compared through their
 * registered aliases, so that a pack's `video/x-msvideo` accepts what file-type reports as
 * `video/vnd.avi`. Used for `x-file.accept` and `x-file.maxDurationSeconds`.
 */
import mediaInfoFactory, { type MediaInfo } from 'mediainfo.js';

/** Reads `size` bytes at `offset` of the file (from memory, or a range of a stored attachment). */
export type ReadChunk = (offset: number, size: number) => Promise<Uint8Array> | Uint8Array;

let instance: Promise<MediaInfo<'object'>> | null = null;
/** one analysis at a time: a MediaInfo instance is not reentrant */
let queue: Promise<unknown> = Promise.resolve();

/** The duration in seconds of a media file of `size` bytes, or null when MediaInfo finds none. */
export function mediaDurationSeconds(size: number, read: ReadChunk): Promise<number | null> {
  const run = async (): Promise<number | null> => {
    try {
      const mi = await (instance ??= mediaInfoFactory({ format: 'object' }));
      const r = await mi.analyzeData(size, (chunkSize, offset) => read(offset, chunkSize));
      const general = r.media?.track.find((t) => t['@type'] === 'General');
      const d = general?.Duration;
      return typeof d === 'number' && Number.isFinite(d) && d > 0 ? d : null;
    } catch {
      return null;
    }
  };
  const p = queue.then(run, run);
  queue = p;
  return p;
}

/** The reader of a file in memory. */
export function bufferReader(buf: Uint8Array): ReadChunk {
  return (offset, size) => buf.subarray(offset, offset + size);
}

/**
 * Media types that name the same format, each mapped to the one file-type reports (IANA's
 * registered name where there is one). A pack may write either.
 */
const MEDIA_TYPE_ALIASES: Readonly<Record<string, string>> = {
  'video/x-msvideo': 'video/vnd.avi',
  'video/avi': 'video/vnd.avi',
  'video/msvideo': 'video/vnd.avi',
  'video/x-matroska': 'video/matroska',
  'audio/x-wav': 'audio/wav',
  'audio/wave': 'audio/wav',
  'audio/vnd.wave': 'audio/wav',
  'audio/x-m4a': 'audio/mp4',
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'application/x-zip-compressed': 'application/zip',
  'application/x-pdf': 'application/pdf',
};

/** A media type in its canonical spelling (lower case, aliases resolved). */
export function canonicalMediaType(type: string): string {
  const t = type.trim().toLowerCase();
  return MEDIA_TYPE_ALIASES[t] ?? t;
}

/** Whether the detected type `actual` is one of `accept` (exact types, aliases, or `type/*`). */
export function acceptsMediaType(accept: readonly string[], actual: string): boolean {
  if (accept.length === 0) return true;
  const got = canonicalMediaType(actual);
  return accept.some((a) => {
    const want = canonicalMediaType(a);
    return want === got || (want.endsWith('/*') && got.startsWith(want.slice(0, -1)));
  });
}
