import zlib from 'node:zlib';

export interface ZipEntry {
  name: string;
  data: Buffer;
}

/** Limits on what an archive may inflate to (a bill is a few MB; a zip bomb is not read past these). */
export interface ZipLimits {
  /** the largest entry, inflated */
  maxEntryBytes: number;
  /** all entries together, inflated */
  maxTotalBytes: number;
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntryBytes: 64 * 1024 * 1024, maxTotalBytes: 128 * 1024 * 1024, maxEntries: 16 };

export class ZipLimitError extends Error {
  constructor(message: string) {
    super(`zip: ${message}`);
    this.name = 'ZipLimitError';
  }
}

/**
 * A small ZIP reader for Alipay's bill archives: central directory → local headers → stored or
 * deflated data, CRC-32 checked. Names without the UTF-8 flag are decoded as GBK (Alipay's
 * archives are made on Chinese Windows defaults).
 *
 * Why hand-written: the maintained readers in the tree (yauzl, adm-zip) are callback/stream based or
 * inflate whole entries without a cap, and decode flagless names as CP437, not GBK; the format work
 * here is ~40 lines of header reading, the inflating and CRC are Node's zlib. Sizes are capped twice:
 * the directory's declared size is checked before inflating, and zlib's maxOutputLength stops an
 * entry that inflates past the cap whatever its header says (a zip bomb).
 */
export function readZip(buf: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipEntry[] {
  const eocd = findEocd(buf);
  const count = buf.readUInt16LE(eocd + 10);
  if (count > limits.maxEntries) throw new ZipLimitError(`${count} entries, more than ${limits.maxEntries}`);
  let total = 0;
  let p = buf.readUInt32LE(eocd + 16);
  const out: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('zip: bad central directory entry');
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const compSize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const nameBytes = buf.subarray(p + 46, p + 46 + nameLen);
    const name = new TextDecoder(flags & 0x800 ? 'utf-8' : 'gbk').decode(nameBytes);
    p += 46 + nameLen + extraLen + commentLen;
    if (flags & 0x1) throw new Error(`zip: ${name} is encrypted`);
    if (buf.readUInt32LE(local) !== 0x04034b50) throw new Error('zip: bad local header');
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + compSize);
    const cap = Math.min(limits.maxEntryBytes, limits.maxTotalBytes - total);
    if (size > cap) throw new ZipLimitError(`${name} declares ${size} bytes, more than the ${cap} allowed`);
    let data: Buffer;
    if (method === 0) data = Buffer.from(raw);
    else if (method === 8) data = inflateCapped(raw, cap, name);
    else throw new Error(`zip: ${name} uses unsupported method ${method}`);
    total += data.length;
    if (data.length !== size) throw new Error(`zip: ${name} has ${data.length} bytes, directory says ${size}`);
    if ((zlib.crc32(data) >>> 0) !== crc) throw new Error(`zip: ${name} fails its CRC-32`);
    if (!name.endsWith('/')) out.push({ name, data });
  }
  return out;
}

function inflateCapped(raw: Buffer, cap: number, name: string): Buffer {
  try {
    // one byte more than allowed: an entry that reaches it is over the cap (not merely at it)
    return zlib.inflateRawSync(raw, { maxOutputLength: cap + 1 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new ZipLimitError(`${name} inflates past ${cap} bytes`);
    throw err;
  }
}

function findEocd(buf: Buffer): number {
  const min = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= min; i--) if (buf.readUInt32LE(i) === 0x06054b50) return i;
  throw new Error('zip: no end of central directory (not a zip file)');
}
