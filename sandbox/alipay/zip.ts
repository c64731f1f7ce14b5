import zlib from 'node:zlib';
import { encodeGbk } from './gbk';

/** Little-endian fields laid end to end, each [width in bytes, value] (APPNOTE.TXT §4.3 records). */
function record(fields: [2 | 4, number][]): Buffer {
  const b = Buffer.alloc(fields.reduce((n, [width]) => n + width, 0));
  let at = 0;
  for (const [width, value] of fields) at = width === 2 ? b.writeUInt16LE(value, at) : b.writeUInt32LE(value, at);
  return b;
}

/**
 * A minimal ZIP writer (deflate, GBK file names without the UTF-8 flag, as Alipay's archives come).
 * Hand-written on purpose: the sandbox must write names in GBK with general-purpose flag 0, which
 * the writers at hand do not offer.
 */
export function writeZip(files: { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const name = encodeGbk(f.name);
    const comp = zlib.deflateRawSync(f.data);
    const crc = zlib.crc32(f.data) >>> 0;
    // version needed 2.0, flags 0, method 8 (deflate), time/date 0, crc, sizes, name length, no extra field
    const sizes: [2 | 4, number][] = [[4, crc], [4, comp.length], [4, f.data.length], [2, name.length]];
    const local = record([[4, 0x04034b50], [2, 20], [2, 0], [2, 8], [4, 0], ...sizes, [2, 0]]);
    // central: made by 2.0, then as above, no extra/comment, disk 0, attributes 0, the local header's offset
    const central = record([[4, 0x02014b50], [2, 20], [2, 20], [2, 0], [2, 8], [4, 0], ...sizes, [2, 0], [2, 0], [2, 0], [2, 0], [4, 0], [4, offset]]);
    locals.push(local, name, comp);
    centrals.push(central, name);
    offset += local.length + name.length + comp.length;
  }
  const cd = Buffer.concat(centrals);
  // end of central directory: disk numbers 0, entry counts, directory size and offset, no comment
  const end = record([[4, 0x06054b50], [2, 0], [2, 0], [2, files.length], [2, files.length], [4, cd.length], [4, offset], [2, 0]]);
  return Buffer.concat([...locals, cd, end]);
}
