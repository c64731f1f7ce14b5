import { hashPassword, parseHash, verifyAgainstNothing, verifyPassword, type ScryptParams } from './passwords';

// Cheap parameters keep the suite fast; the format and the checks are the same as in production.
const FAST: ScryptParams = { log2N: 10, r: 8, p: 1, keyLen: 32 };

describe('staff password hashing', () => {
  it('accepts the password a hash was made from', async () => {
    expect(await verifyPassword('correct horse battery', await hashPassword('correct horse battery', FAST))).toBe(true);
  });

  it('refuses a different password', async () => {
    expect(await verifyPassword('correct horse batterY', await hashPassword('correct horse battery', FAST))).toBe(false);
  });

  it('stores the algorithm, its parameters and the salt with the hash', async () => {
    const h = await hashPassword('correct horse battery', FAST);
    expect(h).toMatch(/^scrypt\$10\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(parseHash(h)?.params).toEqual(FAST);
  });

  it('salts every hash, so one password never gives the same text twice', async () => {
    expect(await hashPassword('same password!', FAST)).not.toBe(await hashPassword('same password!', FAST));
  });

  it('uses scrypt with at least 2^15 iterations by default', async () => {
    expect(parseHash(await hashPassword('default params'))?.params.log2N).toBeGreaterThanOrEqual(15);
  });

  it('refuses a stored hash whose parameters would exhaust memory', async () => {
    expect(await verifyPassword('x', 'scrypt$30$8$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g=')).toBe(false);
  });

  it('refuses a stored value that is not a scrypt hash', async () => {
    expect(await verifyPassword('plain', 'plain')).toBe(false);
  });

  it('treats passwords typed in different Unicode forms as the same', async () => {
    expect(await verifyPassword('cafe\u0301-password', await hashPassword('caf\u00e9-password', FAST))).toBe(true);
  });

  it('answers false for an unknown user after doing the same work', async () => {
    expect(await verifyAgainstNothing('anything')).toBe(false);
  });
});
