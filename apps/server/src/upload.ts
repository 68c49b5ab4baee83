/**
 * Uploads: the request body arrives as a stream (the route's content-type parser hands it on
 * unread) and is read here only after the gate (session, CSRF, declared size) and the handler
 * (the submission is the user's, the field takes files, the declared size fits the field) let it
 * in; the limit is enforced while reading, so a body that lies about its size is cut off at the
 * limit, not buffered whole. An attachment is never held whole: its pieces go to the database as
 * they arrive (Storage.writeAttachmentContent).
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { ApiError } from './errors.js';
import { formatBytes } from './gate.js';

/**
 * How long an upload may take to arrive and be stored: a 200 MiB video over a slow uplink takes
 * minutes. It is the upload and download routes' handler timeout (a streamed answer still under way
 * at the handler timeout is destroyed) and the server's whole-request timeout (a stalled client is
 * still dropped after the 60 s idle-connection timeout).
 */
export const UPLOAD_TIMEOUT_MS = 10 * 60_000;

export interface ReadUpload {
  content: Buffer;
  sha256: string;
}

export interface MeteredUpload {
  /** the body's pieces as they arrive; throws FILE_TOO_LARGE as soon as more than the limit came */
  chunks: AsyncIterable<Buffer>;
  /** the SHA-256 (hex) of what `chunks` yielded, once it has ended */
  sha256(): string;
}

/**
 * `stream` read through a meter: hashed on the way, and refused with FILE_TOO_LARGE (the stream
 * destroyed, so the rest is not read) as soon as more than `max` bytes came. Holds nothing.
 */
export function meteredUpload(stream: Readable, max: number): MeteredUpload {
  const hash = createHash('sha256');
  let digest: string | null = null;
  async function* chunks(): AsyncGenerator<Buffer> {
    let size = 0;
    for await (const chunk of stream) {
      const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
      size += b.length;
      if (size > max) {
        stream.destroy();
        throw new ApiError('FILE_TOO_LARGE', { size: `至少 ${formatBytes(size)}`, max: formatBytes(max) });
      }
      hash.update(b);
      yield b;
    }
    digest = hash.digest('hex');
  }
  return {
    chunks: chunks(),
    sha256: () => {
      if (digest === null) throw new Error('meteredUpload: the body has not been read to its end');
      return digest;
    },
  };
}

/** Reads `stream` to its end into memory (small uploads: a table import), refusing with FILE_TOO_LARGE as soon as more than `max` bytes came. */
export async function readUpload(stream: Readable, max: number): Promise<ReadUpload> {
  const m = meteredUpload(stream, max);
  const parts: Buffer[] = [];
  for await (const b of m.chunks) parts.push(b);
  return { content: Buffer.concat(parts), sha256: m.sha256() };
}

// C0 and C1 controls, DEL, and the bidirectional formatting characters (LRM/RLM, embeddings,
// overrides, isolates, ALM) that make a name display differently from what it is
// eslint-disable-next-line no-control-regex
const UNSAFE_NAME_CHARS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** A file name as stored and shown: control and bidi characters removed, path separators made harmless, trimmed. */
export function cleanFileName(name: string): string {
  const cleaned = name.normalize('NFC').replace(UNSAFE_NAME_CHARS, '').replace(/[\\/]/g, '_').trim();
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? '未命名文件' : cleaned;
}
