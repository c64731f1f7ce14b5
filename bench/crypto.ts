/**
 * Crypto benchmark: our SM2 (BigInt) against sm-crypto 0.5 on this machine in the same run, plus the envelope
 * (seal + open) throughput. Each case is warmed up, then run for about `durationMs`; results in ops/s.
 *
 *   npx tsx bench/crypto.ts        prints the JSON
 */
import os from 'node:os';
import { sm2 as smCrypto, sm4 as smCrypto4 } from 'sm-crypto';
import { generateKeyPair, sign, verify } from '../bff/src/crypto/sm2';
import { deriveSm4Key, open, seal, type Envelope } from '../bff/src/national/envelope';
import { buildSignText } from '../bff/src/national/envelope-canonical';

export interface CryptoBenchOptions {
  /** measured time per case, default 2000 ms */
  durationMs?: number;
  /** warm-up time per case, default 300 ms */
  warmupMs?: number;
}

function opsPerSec(fn: (i: number) => void, durationMs: number, warmupMs: number, maxOps = Infinity): number {
  let i = 0;
  const warmEnd = performance.now() + warmupMs;
  while (performance.now() < warmEnd && i < maxOps) fn(i++);
  const start = performance.now();
  let n = 0;
  let now = start;
  while (now - start < durationMs && i < maxOps) {
    fn(i++);
    n++;
    if ((n & 7) === 0 || n < 8) now = performance.now();
  }
  const elapsed = performance.now() - start;
  return Math.round((n / elapsed) * 1000 * 10) / 10;
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`benchmark self-check failed: ${what}`);
}

export async function benchCrypto(opts: CryptoBenchOptions = {}): Promise<object> {
  const durationMs = opts.durationMs ?? 2000;
  const warmupMs = opts.warmupMs ?? 300;
  const userId = '1234567812345678';
  const appId = '0F0822652EB7CB91A644E638FBE9941E';
  const appSecret = '30BFE2B0C715E516E5EDF21E289DA826';
  const data = {
    payOrdId: 'ORD350100202208231519582000000067',
    outTradeNo: 'MIP20240102110405000001',
    amount: '123.45',
    psnAcctPayAmt: '23.45',
    fundPay: '100.00',
    tradeStatus: 'SUCCESS',
    traceId: 'b7f6c1d2e3a4',
  };
  const msg = `appId=${appId}&data=${JSON.stringify(data)}&encType=SM4&signType=SM2&timestamp=1661239946874&version=2.0.1&key=${appSecret}`;

  const kp = generateKeyPair();
  const dHex = Buffer.from(kp.privateKey, 'base64').toString('hex');
  const pubHex = Buffer.from(kp.publicKey, 'base64').toString('hex');

  // correctness before speed: each side verifies the other's signature
  const ourSig = sign(msg, kp.privateKey, { userId });
  const theirSigHex = smCrypto.doSignature(msg, dHex, { hash: true, der: false, userId });
  check(smCrypto.doVerifySignature(msg, ourSig.toString('hex'), pubHex, { hash: true, der: false, userId }), 'sm-crypto verifies ours');
  check(verify(msg, Buffer.from(theirSigHex, 'hex'), kp.publicKey, { userId }), 'we verify sm-crypto');

  const oursSign = opsPerSec(() => sign(msg, kp.privateKey, { userId }), durationMs, warmupMs);
  const oursVerify = opsPerSec(() => check(verify(msg, ourSig, kp.publicKey, { userId }), 'verify'), durationMs, warmupMs);

  // keys verified only once take the wNAF path (no per-key table)
  const pool = Array.from({ length: 400 }, () => {
    const k = generateKeyPair();
    return { pub: k.publicKey, sig: sign(msg, k.privateKey, { userId }) };
  });
  const oursVerifyFirstUse = opsPerSec((i) => check(verify(msg, pool[i].sig, pool[i].pub, { userId }), 'verify first use'), durationMs, Math.min(warmupMs, 50), pool.length);

  const creds = { appId, appSecret, privateKey: kp.privateKey, userId };
  const openCreds = { appId, appSecret, peerPublicKey: kp.publicKey, userId };
  const envelopeSealOpen = opsPerSec(() => {
    const env = seal(data, creds);
    check(open(env, openCreds).payOrdId === data.payOrdId, 'envelope round trip');
  }, durationMs, warmupMs);

  // the same envelope work with sm-crypto's SM4 and SM2 (the sign text is built by the same code);
  // our open() must accept what it seals, and it must open what our seal() makes
  const keyHex = deriveSm4Key(appId, appSecret).toString('hex');
  const theirSeal = (): Envelope => {
    const head = { appId, encType: 'SM4' as const, signType: 'SM2' as const, timestamp: String(Date.now()), version: '2.0.1' };
    const encData = smCrypto4.encrypt(JSON.stringify(data), keyHex);
    const sigHex = smCrypto.doSignature(buildSignText(head, data, appSecret), dHex, { hash: true, der: false, userId, publicKey: pubHex });
    return { ...head, encData, signData: Buffer.from(sigHex, 'hex').toString('base64') };
  };
  const theirOpen = (env: Envelope): Record<string, unknown> => {
    const plain = JSON.parse(smCrypto4.decrypt(env.encData, keyHex)) as Record<string, unknown>;
    const text = buildSignText({ appId: env.appId, encType: env.encType, signType: env.signType, timestamp: env.timestamp, version: env.version }, plain, appSecret);
    check(smCrypto.doVerifySignature(text, Buffer.from(env.signData, 'base64').toString('hex'), pubHex, { hash: true, der: false, userId }), 'sm-crypto envelope verify');
    return plain;
  };
  check(open(theirSeal(), openCreds).payOrdId === data.payOrdId, 'we open the envelope sm-crypto sealed');
  check(theirOpen(seal(data, creds)).payOrdId === data.payOrdId, 'sm-crypto opens the envelope we sealed');
  const theirEnvelopeSealOpen = opsPerSec(() => check(theirOpen(theirSeal()).payOrdId === data.payOrdId, 'sm-crypto envelope round trip'), durationMs, warmupMs);

  const theirSign = opsPerSec(() => smCrypto.doSignature(msg, dHex, { hash: true, der: false, userId }), durationMs, warmupMs);
  const theirSignWithPub = opsPerSec(() => smCrypto.doSignature(msg, dHex, { hash: true, der: false, userId, publicKey: pubHex }), durationMs, warmupMs);
  const theirVerify = opsPerSec(() => check(smCrypto.doVerifySignature(msg, theirSigHex, pubHex, { hash: true, der: false, userId }), 'sm-crypto verify'), durationMs, warmupMs);

  const ratio = (a: number, b: number): number => Math.round((a / b) * 10) / 10;
  const cpus = os.cpus();
  return {
    machine: { node: process.version, cpus: cpus.length, model: cpus[0]?.model ?? 'unknown' },
    durationMsPerCase: durationMs,
    ours: {
      sm2SignPerSec: oursSign,
      sm2VerifyPerSec: oursVerify,
      sm2VerifyFirstUseKeyPerSec: oursVerifyFirstUse,
      envelopeSealOpenPerSec: envelopeSealOpen,
    },
    smCrypto: {
      sm2SignPerSec: theirSign,
      sm2SignWithPublicKeyGivenPerSec: theirSignWithPub,
      sm2VerifyPerSec: theirVerify,
      envelopeSealOpenPerSec: theirEnvelopeSealOpen,
    },
    ratios: {
      sign: ratio(oursSign, theirSign),
      signVsSmCryptoWithPublicKeyGiven: ratio(oursSign, theirSignWithPub),
      verify: ratio(oursVerify, theirVerify),
      verifyFirstUseKey: ratio(oursVerifyFirstUse, theirVerify),
      envelopeSealOpen: ratio(envelopeSealOpen, theirEnvelopeSealOpen),
    },
  };
}

if (require.main === module) {
  benchCrypto().then(
    (r) => process.stdout.write(JSON.stringify(r, null, 2) + '\n'),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
