import { request } from 'node:http';

/**
 * POSTs `head` then filler up to `size` bytes, produced 64 KiB at a time (nothing allocated beyond
 * one chunk), to the server on `port`; resolves with the status and answer, or the error when no
 * answer came.
 */
export function streamUpload(
  port: number,
  path: string,
  size: number,
  opts: { head?: Buffer; headers?: Record<string, string> } = {},
): Promise<{ status: number | null; body: string; error: string | null }> {
  const chunk = Buffer.alloc(64 * 1024, 7);
  const head = opts.head ?? Buffer.alloc(0);
  return new Promise((resolve) => {
    let status: number | null = null;
    let body = '';
    let settled = false;
    const done = (error: string | null) => {
      if (settled) return;
      settled = true;
      resolve({ status, body, error });
    };
    const req = request(
      { host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/octet-stream', 'content-length': String(size), ...opts.headers } },
      (res) => {
        status = res.statusCode ?? null;
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          if (body.length < 10_000) body += d;
        });
        res.on('end', () => done(null));
        res.on('error', () => done(null));
      },
    );
    req.on('error', (e) => {
      // the server closes the connection after its answer: writing the rest then fails
      if (status !== null) done(null);
      else setTimeout(() => done(status === null ? e.message : null), 200);
    });
    let sent = 0;
    if (head.length > 0) {
      req.write(head.subarray(0, Math.min(head.length, size)));
      sent = Math.min(head.length, size);
    }
    const pump = () => {
      while (sent < size) {
        const n = Math.min(chunk.length, size - sent);
        sent += n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
          req.once('drain', pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });
}
