/**
 * Duration of an ISO BMFF (MP4/MOV) file from its `moov/mvhd` box, or null when it cannot
 * be read. Used for `x-file.maxDurationSeconds`.
 */
export function mp4DurationSeconds(buf: Buffer): number | null {
  const find = (start: number, end: number, type: string): { start: number; end: number } | null => {
    let p = start;
    while (p + 8 <= end) {
      let size = buf.readUInt32BE(p);
      const t = buf.toString('latin1', p + 4, p + 8);
      let header = 8;
      if (size === 1) {
        if (p + 16 > end) return null;
        size = Number(buf.readBigUInt64BE(p + 8));
        header = 16;
      } else if (size === 0) size = end - p;
      if (size < header) return null;
      if (t === type) return { start: p + header, end: Math.min(p + size, end) };
      p += size;
    }
    return null;
  };
  const moov = find(0, buf.length, 'moov');
  if (!moov) return null;
  const mvhd = find(moov.start, moov.end, 'mvhd');
  if (!mvhd) return null;
  const v = buf[mvhd.start];
  if (v === 1) {
    if (mvhd.start + 32 > mvhd.end) return null;
    const timescale = buf.readUInt32BE(mvhd.start + 20);
    const duration = Number(buf.readBigUInt64BE(mvhd.start + 24));
    return timescale ? duration / timescale : null;
  }
  if (mvhd.start + 20 > mvhd.end) return null;
  const timescale = buf.readUInt32BE(mvhd.start + 12);
  const duration = buf.readUInt32BE(mvhd.start + 16);
  return timescale ? duration / timescale : null;
}
