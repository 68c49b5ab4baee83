/**
 * Small real files for the journeys that upload: a one-page PDF, a 1×1 PNG and an MP4 whose
 * index says how long it is. Each is what the server's checks of its type accept (magic bytes,
 * an MP4's duration read by MediaInfo).
 */

import { mp4 as writeMp4 } from '../../apps/server/src/testing/media-files.js';

/** An MP4 with its index after the media (as cameras write it), `seconds` long (default 5 min 12 s); its duration is read by MediaInfo on upload. */
export function mp4(seconds = 312): Buffer {
  return writeMp4(seconds, { moovLast: true });
}

/** A one-page PDF with a line of text, its cross-reference table at the right offsets. */
export function pdf(text = 'Yuanping'): Buffer {
  const stream = `BT /F1 18 Tf 72 720 Td (${text.replace(/[()\\]/g, '')}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((n) => `${String(n).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** A 1×1 PNG. */
export function png(): Buffer {
  return Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
}

/** A file of one of the accepted types (MIME types, as a form's `x-file.accept` lists them), PDF when any is. */
export function sampleFile(accept: readonly string[] | undefined, stem: string): { name: string; mimeType: string; buffer: Buffer } {
  const list = accept?.length ? accept : ['application/pdf'];
  if (list.includes('application/pdf')) return { name: `${stem}.pdf`, mimeType: 'application/pdf', buffer: pdf() };
  if (list.includes('image/png') || list.includes('image/*')) return { name: `${stem}.png`, mimeType: 'image/png', buffer: png() };
  if (list.includes('video/mp4') || list.includes('video/*')) return { name: `${stem}.mp4`, mimeType: 'video/mp4', buffer: mp4() };
  throw new Error(`没有 ${list.join('、')} 类型的样例文件`);
}
