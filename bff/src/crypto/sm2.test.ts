import fc from 'fast-check';
import { sm2 as smCrypto } from 'sm-crypto';
import {
  Sm2KeyError,
  digest,
  generateKeyPair,
  mulPointForTest,
  parsePrivateKey,
  parsePublicKey,
  publicKeyFromPrivate,
  sign,
  signWithNonceForTest,
  verify,
} from './sm2';
import { GX, GY, N, bigintToBytes32 } from './sm2-field';
import { mulG } from './sm2-point';

// GM/T 0003.5-2012 (GB/T 32918.5) Annex A: signature example on the recommended curve
const GB = {
  d: '3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8',
  pub:
    '04' +
    '09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020' +
    'CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13',
  message: 'message digest',
  e: 'F0B43E94BA45ACCAACE692ED534382EB17E6AB5A19CE7B31F4486FDFC0D28640',
  k: 0x59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21n,
  r: 'F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3',
  s: 'B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA',
};
const gbSig = Buffer.from(GB.r + GB.s, 'hex');

const keys = generateKeyPair();
const dHex = Buffer.from(keys.privateKey, 'base64').toString('hex');
const pubHex = Buffer.from(keys.publicKey, 'base64').toString('hex');
const msg = 'appId=A&data={"amount":"0.00"}&encType=SM4&signType=SM2&timestamp=1661239946874&version=2.0.1&key=S';

function flipBit(b: Buffer, byte: number, bit = 0): Buffer {
  const c = Buffer.from(b);
  c[byte] ^= 1 << bit;
  return c;
}

function rs(r: bigint, s: bigint): Buffer {
  return Buffer.concat([bigintToBytes32(r), bigintToBytes32(s)]);
}

describe('SM2 GB/T 32918.5 example', () => {
  it('derives the published public key from the published private key', () => {
    expect(Buffer.from(publicKeyFromPrivate(GB.d), 'base64').toString('hex')).toBe(GB.pub.toLowerCase());
  });

  it('computes the published digest e = SM3(ZA || M) for the default user id', () => {
    expect(digest(GB.message, GB.pub).toString('hex')).toBe(GB.e.toLowerCase());
  });

  it('produces the published r and s with the published nonce', () => {
    expect(signWithNonceForTest(GB.message, GB.d, GB.k).toString('hex')).toBe((GB.r + GB.s).toLowerCase());
  });

  it('verifies the published signature', () => {
    expect(verify(GB.message, gbSig, GB.pub)).toBe(true);
  });

  it('is transcribed right: sm-crypto derives the same public key and verifies the same signature', () => {
    expect(smCrypto.getPublicKeyFromPrivateKey(GB.d.toLowerCase())).toBe(GB.pub.toLowerCase());
    expect(smCrypto.doVerifySignature(GB.message, GB.r + GB.s, GB.pub, { hash: true, der: false, userId: '1234567812345678' })).toBe(true);
  });

  it('is the recommended-curve example, signed with user id 1234567812345678 (ALICE123@YAHOO.COM belongs to the GM/T 0003.2 example curve)', () => {
    expect(verify(GB.message, gbSig, GB.pub, { userId: 'ALICE123@YAHOO.COM' })).toBe(false);
    expect(smCrypto.doVerifySignature(GB.message, GB.r + GB.s, GB.pub, { hash: true, der: false, userId: 'ALICE123@YAHOO.COM' })).toBe(false);
  });
});

describe('SM2 interoperability with sm-crypto', () => {
  it('produces signatures that sm-crypto verifies with the default user id', () => {
    const sig = sign(msg, keys.privateKey);
    expect(smCrypto.doVerifySignature(msg, sig.toString('hex'), pubHex, { hash: true, der: false, userId: '1234567812345678' })).toBe(true);
  });

  it('produces signatures that sm-crypto verifies with a custom user id', () => {
    const userId = '30BFE2B0C715E516E5EDF21E289DA826';
    const sig = sign(msg, keys.privateKey, { userId });
    expect(smCrypto.doVerifySignature(msg, sig.toString('hex'), pubHex, { hash: true, der: false, userId })).toBe(true);
  });

  it('verifies signatures made by sm-crypto with the default user id', () => {
    const sigHex = smCrypto.doSignature(msg, dHex, { hash: true, der: false, userId: '1234567812345678' });
    expect(verify(msg, Buffer.from(sigHex, 'hex'), keys.publicKey)).toBe(true);
  });

  it('verifies signatures made by sm-crypto with a custom user id, over non-ASCII text', () => {
    const userId = 'ALICE123@YAHOO.COM';
    const text = '{"psnName":"张三","amount":"12.34"}';
    const sigHex = smCrypto.doSignature(text, dHex, { hash: true, der: false, userId });
    expect(verify(text, Buffer.from(sigHex, 'hex'), keys.publicKey, { userId })).toBe(true);
  });

  it('derives the same public key as sm-crypto', () => {
    expect(smCrypto.getPublicKeyFromPrivateKey(dHex)).toBe(pubHex);
  });
});

describe('SM2 verification refuses', () => {
  const sig = sign(msg, keys.privateKey);

  it('a signature under another user id', () => {
    expect(verify(msg, sig, keys.publicKey, { userId: 'someone-else' })).toBe(false);
  });

  it('a message with one flipped bit', () => {
    expect(verify(flipBit(Buffer.from(msg), 10), sig, keys.publicKey)).toBe(false);
  });

  it('a signature with one flipped bit in r or in s', () => {
    expect(verify(msg, flipBit(sig, 31), keys.publicKey)).toBe(false);
    expect(verify(msg, flipBit(sig, 63), keys.publicKey)).toBe(false);
  });

  it('a valid signature checked against another public key', () => {
    expect(verify(msg, sig, generateKeyPair().publicKey)).toBe(false);
  });

  it('r or s equal to 0', () => {
    const s = BigInt('0x' + sig.subarray(32).toString('hex'));
    const r = BigInt('0x' + sig.subarray(0, 32).toString('hex'));
    expect(verify(msg, rs(0n, s), keys.publicKey)).toBe(false);
    expect(verify(msg, rs(r, 0n), keys.publicKey)).toBe(false);
  });

  it('r or s equal to n or above it', () => {
    const s = BigInt('0x' + sig.subarray(32).toString('hex'));
    const r = BigInt('0x' + sig.subarray(0, 32).toString('hex'));
    expect(verify(msg, rs(N, s), keys.publicKey)).toBe(false);
    expect(verify(msg, rs(r, N), keys.publicKey)).toBe(false);
    expect(verify(msg, rs(N + 1n, s), keys.publicKey)).toBe(false);
    expect(verify(msg, rs(r, (1n << 256n) - 1n), keys.publicKey)).toBe(false);
  });

  it('r + s = n, for which t = 0', () => {
    expect(verify(msg, rs(5n, N - 5n), keys.publicKey)).toBe(false);
  });

  it('signatures that are not 64 bytes, without throwing', () => {
    expect(verify(msg, sig.subarray(0, 63), keys.publicKey)).toBe(false);
    expect(verify(msg, Buffer.concat([sig, Buffer.alloc(1)]), keys.publicKey)).toBe(false);
    expect(verify(msg, 'not a buffer' as unknown as Buffer, keys.publicKey)).toBe(false);
  });
});

describe('SM2 keys', () => {
  it('refuses a public key that is not on the curve', () => {
    const offCurve = flipBit(Buffer.from(GB.pub, 'hex'), 64);
    expect(() => parsePublicKey(offCurve.toString('base64'))).toThrow(Sm2KeyError);
    expect(() => verify(GB.message, gbSig, offCurve)).toThrow(Sm2KeyError);
  });

  it('refuses the all-zero encoding, compressed keys and wrong lengths', () => {
    expect(() => parsePublicKey(Buffer.concat([Buffer.from([4]), Buffer.alloc(64)]))).toThrow(Sm2KeyError);
    expect(() => parsePublicKey('02' + GB.pub.slice(2, 66))).toThrow(Sm2KeyError);
    expect(() => parsePublicKey(GB.pub.slice(2))).toThrow(Sm2KeyError);
  });

  it('reads public keys as hex or base64', () => {
    const b64 = Buffer.from(GB.pub, 'hex').toString('base64');
    expect(parsePublicKey(b64)).toEqual(parsePublicKey(GB.pub));
    expect(parsePublicKey(GB.pub.toLowerCase())).toHaveLength(65);
  });

  it('reads private keys as base64 of 32 bytes, base64 of 33 bytes with a leading zero, and hex', () => {
    const raw = Buffer.from(GB.d, 'hex');
    const expected = parsePrivateKey(GB.d);
    expect(parsePrivateKey(raw.toString('base64'))).toEqual(expected);
    expect(parsePrivateKey(Buffer.concat([Buffer.alloc(1), raw]).toString('base64'))).toEqual(expected);
    expect(parsePrivateKey('00' + GB.d.toLowerCase())).toEqual(expected);
    expect(expected).toEqual(raw);
  });

  it('refuses private keys 0, n-1 and n, and wrong lengths', () => {
    expect(() => parsePrivateKey(bigintToBytes32(0n).toString('base64'))).toThrow(Sm2KeyError);
    expect(() => parsePrivateKey(bigintToBytes32(N - 1n).toString('base64'))).toThrow(Sm2KeyError);
    expect(() => parsePrivateKey(bigintToBytes32(N).toString('base64'))).toThrow(Sm2KeyError);
    expect(() => parsePrivateKey(Buffer.alloc(31, 1).toString('base64'))).toThrow(Sm2KeyError);
    expect(() => parsePrivateKey(Buffer.concat([Buffer.from([1]), Buffer.alloc(32, 1)]).toString('base64'))).toThrow(Sm2KeyError);
    expect(() => parsePrivateKey('not a key!')).toThrow(Sm2KeyError);
  });

  it('generates key pairs whose public key belongs to the private key', () => {
    const kp = generateKeyPair();
    expect(Buffer.from(kp.privateKey, 'base64')).toHaveLength(32);
    expect(publicKeyFromPrivate(kp.privateKey)).toBe(kp.publicKey);
  });
});

describe('SM2 signing', () => {
  it('uses a fresh nonce, so two signatures of one message differ and both verify', () => {
    const a = sign(msg, keys.privateKey);
    const b = sign(msg, keys.privateKey);
    expect(a.equals(b)).toBe(false);
    expect(verify(msg, a, keys.publicKey) && verify(msg, b, keys.publicKey)).toBe(true);
  });

  it('verifies its own signatures over random messages and user ids (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.string({ minLength: 1, maxLength: 40 }), (m, userId) => {
        const sig = sign(m, keys.privateKey, { userId });
        return verify(m, sig, keys.publicKey, { userId }) && !verify(Buffer.concat([Buffer.from(m), Buffer.from([0])]), sig, keys.publicKey, { userId });
      }),
      { numRuns: 40 },
    );
  });

  it('keeps verifying once a repeatedly used public key gets its own precomputed table', () => {
    const kp = generateKeyPair();
    const sigs = Array.from({ length: 4 }, (_, i) => sign(`m${i}`, kp.privateKey));
    // first use goes through wNAF, later ones through the cached table
    expect(sigs.map((s, i) => verify(`m${i}`, s, kp.publicKey))).toEqual([true, true, true, true]);
    expect(verify('m0', sigs[1], kp.publicKey)).toBe(false);
  });
});

describe('SM2 scalar multiplication', () => {
  const gHex = '04' + GX.toString(16).padStart(64, '0') + GY.toString(16).padStart(64, '0');

  it('gives the same k·G through the fixed-base table and through wNAF (property)', () => {
    const edge = fc.constantFrom(1n, 2n, 3n, N - 1n, N - 2n, (1n << 255n) + 1n, (1n << 128n) - 1n);
    fc.assert(
      fc.property(fc.oneof(edge, fc.bigInt({ min: 1n, max: N - 1n })), (k) => {
        const a = mulG(k);
        const b = mulPointForTest(k, gHex);
        return a.x === b.x && a.y === b.y;
      }),
      { numRuns: 60 },
    );
  });

  it('maps n−1 to −G', () => {
    const p = mulG(N - 1n);
    expect(p.x).toBe(GX);
    expect(p.y).not.toBe(GY);
  });
});
