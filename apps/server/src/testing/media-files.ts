/**
 * Minimal video containers written by code for the media tests (no ffmpeg): an MP4 whose
 * duration is in `moov/mvhd`, a fragmented MP4 whose duration is only in its fragments
 * (`moof/traf/trun` sample durations; `mvhd` says 0), and an AVI (RIFF `avih` + `strh`).
 * The sample data is a few zero bytes: enough for a container parser, not for a player.
 */
const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};
const u16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
};
const box = (type: string, ...parts: Buffer[]) => {
  const body = Buffer.concat(parts);
  return Buffer.concat([u32(8 + body.length), Buffer.from(type, 'latin1'), body]);
};
const full = (type: string, version: number, flags: number, ...parts: Buffer[]) => box(type, Buffer.from([version, (flags >> 16) & 255, (flags >> 8) & 255, flags & 255]), ...parts);
const zeros = (n: number) => Buffer.alloc(n);
const MATRIX = Buffer.concat([u32(0x00010000), u32(0), u32(0), u32(0), u32(0x00010000), u32(0), u32(0), u32(0), u32(0x40000000)]);

function mvhd(timescale: number, duration: number) {
  return full('mvhd', 0, 0, u32(0), u32(0), u32(timescale), u32(duration), u32(0x00010000), u16(0x0100), zeros(10), MATRIX, zeros(24), u32(2));
}
function trak(timescale: number, duration: number, fragmented: boolean, sampleCount: number, sampleDelta: number) {
  const tkhd = full('tkhd', 0, 3, u32(0), u32(0), u32(1), u32(0), u32(duration), zeros(8), u16(0), u16(0), u16(0), u16(0), MATRIX, u32(320 << 16), u32(240 << 16));
  const mdhd = full('mdhd', 0, 0, u32(0), u32(0), u32(timescale), u32(duration), u16(0x55c4), u16(0));
  const hdlr = full('hdlr', 0, 0, u32(0), Buffer.from('vide', 'latin1'), zeros(12), Buffer.from('VideoHandler\0', 'latin1'));
  const avcC = box('avcC', Buffer.from([1, 0x42, 0xc0, 0x1e, 0xff, 0xe0, 0x00]));
  const avc1 = box('avc1', zeros(6), u16(1), zeros(16), u16(320), u16(240), u32(0x00480000), u32(0x00480000), u32(0), u16(1), zeros(32), u16(0x18), u16(0xffff), avcC);
  const stsd = full('stsd', 0, 0, u32(1), avc1);
  const stts = fragmented ? full('stts', 0, 0, u32(0)) : full('stts', 0, 0, u32(1), u32(sampleCount), u32(sampleDelta));
  const stsc = fragmented ? full('stsc', 0, 0, u32(0)) : full('stsc', 0, 0, u32(1), u32(1), u32(sampleCount), u32(1));
  const stsz = fragmented ? full('stsz', 0, 0, u32(0), u32(0)) : full('stsz', 0, 0, u32(1), u32(sampleCount));
  const stco = full('stco', 0, 0, u32(fragmented ? 0 : 1), ...(fragmented ? [] : [u32(0)]));
  const stbl = box('stbl', stsd, stts, stsc, stsz, stco);
  const dinf = box('dinf', full('dref', 0, 0, u32(1), full('url ', 0, 1)));
  const minf = box('minf', full('vmhd', 0, 1, zeros(8)), dinf, stbl);
  return box('trak', tkhd, box('mdia', mdhd, hdlr, minf));
}

/**
 * A progressive MP4 of `seconds` (duration in mvhd / mdhd, one sample per second at timescale 1000).
 * `moovLast`: the media (mdat) first and its index (moov) at the end, as cameras write it.
 */
export function mp4(seconds: number, opts: { moovLast?: boolean } = {}): Buffer {
  const ts = 1000;
  const ftyp = box('ftyp', Buffer.from('isom', 'latin1'), u32(0x200), Buffer.from('isomiso2avc1mp41', 'latin1'));
  const n = Math.max(1, Math.round(seconds));
  const moov = Buffer.from(box('moov', mvhd(ts, seconds * ts), trak(ts, seconds * ts, false, n, Math.round((seconds * ts) / n))));
  const mdat = box('mdat', zeros(n));
  // the chunk offset (stco) points at the mdat payload
  const offset = opts.moovLast ? ftyp.length + 8 : ftyp.length + moov.length + 8;
  moov.writeUInt32BE(offset, moov.indexOf(Buffer.from('stco', 'latin1')) + 12);
  return Buffer.concat(opts.moovLast ? [ftyp, mdat, moov] : [ftyp, moov, mdat]);
}

/**
 * A fragmented MP4 of `fragments` × `secondsPerFragment` seconds: `moov` holds no samples and
 * `mvhd` a duration of 0 (as live encoders and browsers' MediaRecorder write them, without
 * `mehd`); each `moof` holds one 1-second sample per second in its `trun`.
 */
export function fragmentedMp4(fragments: number, secondsPerFragment: number): Buffer {
  const ts = 1000;
  const ftyp = box('ftyp', Buffer.from('iso6', 'latin1'), u32(0x200), Buffer.from('iso6mp41', 'latin1'));
  const mvex = box('mvex', full('trex', 0, 0, u32(1), u32(1), u32(0), u32(0), u32(0)));
  const moov = box('moov', mvhd(ts, 0), trak(ts, 0, true, 0, 0), mvex);
  const parts: Buffer[] = [ftyp, moov];
  for (let f = 0; f < fragments; f++) {
    const n = secondsPerFragment;
    const tfhd = full('tfhd', 0, 0x020000, u32(1)); // default-base-is-moof
    const tfdt = full('tfdt', 1, 0, u32(0), u32(f * n * ts));
    // trun: data offset, and per sample: duration, size, flags
    const trunFlags = 0x000001 | 0x000100 | 0x000200 | 0x000400;
    const samples = Array.from({ length: n }, (_, i) => Buffer.concat([u32(ts), u32(1), u32(i === 0 ? 0x02000000 : 0x01010000)]));
    const trunLen = 8 + 4 + 4 + 4 + n * 12;
    const moofLen = 8 + (8 + 8) + (8 + tfhd.length - 8 + tfdt.length + trunLen);
    const trun = full('trun', 0, trunFlags, u32(n), u32(moofLen + 8), ...samples);
    const moof = box('moof', full('mfhd', 0, 0, u32(f + 1)), box('traf', tfhd, tfdt, trun));
    parts.push(moof, box('mdat', zeros(n)));
  }
  return Buffer.concat(parts);
}

const le32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};
const le16 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
};
const chunk = (id: string, body: Buffer) => Buffer.concat([Buffer.from(id, 'latin1'), le32(body.length), body, body.length % 2 ? zeros(1) : zeros(0)]);
const list = (type: string, ...parts: Buffer[]) => chunk('LIST', Buffer.concat([Buffer.from(type, 'latin1'), ...parts]));

/** An AVI of `seconds` at 1 frame per second (`avih` and `strh`: rate 1 / scale 1, length = frames), frames of 4 bytes. */
export function avi(seconds: number): Buffer {
  const frames = Math.round(seconds);
  const avih = chunk('avih', Buffer.concat([le32(1_000_000), le32(0), le32(0), le32(0x10), le32(frames), le32(0), le32(1), le32(0), le32(320), le32(240), zeros(16)]));
  const strh = chunk('strh', Buffer.concat([Buffer.from('vids', 'latin1'), Buffer.from('MJPG', 'latin1'), le32(0), le16(0), le16(0), le32(0), le32(1), le32(1), le32(0), le32(frames), le32(4), le32(0xffffffff), le32(0), le16(0), le16(0), le16(320), le16(240)]));
  const strf = chunk('strf', Buffer.concat([le32(40), le32(320), le32(240), le16(1), le16(24), Buffer.from('MJPG', 'latin1'), le32(320 * 240 * 3), le32(0), le32(0), le32(0), le32(0)]));
  const hdrl = list('hdrl', avih, list('strl', strh, strf));
  const movi = list('movi', ...Array.from({ length: frames }, () => chunk('00dc', zeros(4))));
  const body = Buffer.concat([Buffer.from('AVI ', 'latin1'), hdrl, movi]);
  return Buffer.concat([Buffer.from('RIFF', 'latin1'), le32(body.length), body]);
}
