import { createHash } from 'node:crypto';

export type BytesLike = Buffer | Uint8Array | string;

/** Bytes of a message: strings are UTF-8. */
export function toBytes(data: BytesLike): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/** SM3 (GB/T 32905) digest, 32 bytes, by OpenSSL through node:crypto. Strings are hashed as UTF-8. */
export function sm3(...parts: BytesLike[]): Buffer {
  const h = createHash('sm3');
  for (const p of parts) h.update(toBytes(p));
  return h.digest();
}
