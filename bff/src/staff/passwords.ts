import crypto from 'node:crypto';

/**
 * Staff passwords, hashed with scrypt (memory-hard, in Node's own crypto). The stored text
 * carries its parameters and salt — `scrypt$<log2 N>$<r>$<p>$<salt b64>$<hash b64>` — so the
 * cost can be raised later without breaking existing accounts.
 */
export interface ScryptParams {
  log2N: number;
  r: number;
  p: number;
  keyLen: number;
}

/** 32 MiB of memory per hash: expensive for a guesser, ~100 ms for a sign-in. */
export const DEFAULT_PARAMS: ScryptParams = { log2N: 15, r: 8, p: 1, keyLen: 32 };

function derive(password: string, salt: Buffer, p: ScryptParams): Promise<Buffer> {
  const N = 2 ** p.log2N;
  // Node refuses N*r*128 above maxmem (32 MiB by default): allow exactly what the params need.
  const maxmem = 128 * N * p.r * 2 + 1024 * 1024;
  return new Promise((resolve, reject) =>
    crypto.scrypt(password.normalize('NFC'), salt, p.keyLen, { N, r: p.r, p: p.p, maxmem }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_PARAMS): Promise<string> {
  const salt = crypto.randomBytes(16);
  const key = await derive(password, salt, params);
  return ['scrypt', params.log2N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Parses a stored hash; bounds the parameters so a tampered record cannot make us burn memory. */
export function parseHash(stored: string): { params: ScryptParams; salt: Buffer; key: Buffer } | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [log2N, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4], 'base64');
  const key = Buffer.from(parts[5], 'base64');
  const ok = Number.isInteger(log2N) && log2N >= 10 && log2N <= 20 && Number.isInteger(r) && r >= 1 && r <= 32 && Number.isInteger(p) && p >= 1 && p <= 4;
  if (!ok || salt.length < 8 || key.length < 16 || key.length > 128) return null;
  return { params: { log2N, r, p, keyLen: key.length }, salt, key };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.params);
  return key.length === parsed.key.length && crypto.timingSafeEqual(key, parsed.key);
}

let dummy: Promise<string> | undefined;

/**
 * Spends the same time as a real check, for unknown user names: the answer time must not tell
 * a guesser which accounts exist.
 */
export async function verifyAgainstNothing(password: string): Promise<false> {
  dummy ??= hashPassword('not-a-real-password-ever');
  await verifyPassword(password, await dummy);
  return false;
}
