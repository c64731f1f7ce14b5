/**
 * Issue 7, hostile input, in-process: the parsers every inbound message goes through — the
 * centre's envelope (open), the centre's answers (parse*), WeChat Pay and Alipay notifications —
 * fed with arbitrary and mutated input (fast-check). Each may refuse only with its own typed error
 * (EnvelopeError, NationalFormatError, ChannelSignatureError); anything else (a TypeError from a
 * null, a RangeError from an amount) would be a 500 at the endpoint. What they return is checked
 * for shape. Counts: test-artifacts/fuzz-parsers.json.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { fuzzSeed } from '../support/fuzz';
import { open, seal, EnvelopeError } from '../../bff/src/national/envelope';
import { generateKeyPair } from '../../bff/src/crypto/sm2';
import { NationalFormatError, parseFeeUpload, parseOrderAnswer, parseRefund } from '../../bff/src/national/messages';
import { parseEcQueryAnswer, VoucherFormatError, VoucherRefusedError } from '../../bff/src/kiosk/e-voucher';
import { ChannelSignatureError, type ChannelNotification } from '../../bff/src/channels/port';
import { MoneyFormatError } from '@mip/shared';
import { WechatChannel } from '../../bff/src/channels/wechat/adapter';
import { AlipayChannel } from '../../bff/src/channels/alipay/adapter';
import { MemoryTokenCache } from '../../bff/src/channels/tokens';
import { AlipayConfig, WechatConfig } from '../../bff/src/config/channels';
import { makeWechatCredentials, wechatBffConfig } from '../../sandbox/wechat/stack';
import { alipayBffConfig, makeAlipayCredentials } from '../../sandbox/alipay/stack';
import { WechatpaySide } from '../../sandbox/wechat/crypto';
import { AlipaySide } from '../../sandbox/alipay/crypto';

const SEED = fuzzSeed();
const RUNS = Number(process.env.FUZZ_RUNS ?? 50) * 6;
const counts: Record<string, { cases: number; refused: number; accepted: number }> = {};

/** `Error` in an allowed list means a plain Error (a deliberate refusal), not a TypeError or RangeError from a crash. */
const is = (err: unknown, A: new (...a: never[]) => Error) => err instanceof A && (A !== Error || (err as Error).constructor === Error);

/** Runs fn; a refusal must be one of `allowed`. Counts either way. */
function only(label: string, allowed: (new (...a: never[]) => Error)[], fn: () => unknown): unknown {
  const c = (counts[label] ??= { cases: 0, refused: 0, accepted: 0 });
  c.cases++;
  try {
    const v = fn();
    c.accepted++;
    return v;
  } catch (err) {
    if (!allowed.some((A) => is(err, A))) throw new Error(`${label}: ${(err as Error).name}: ${(err as Error).message}`);
    c.refused++;
    return undefined;
  }
}
async function onlyAsync(label: string, allowed: (new (...a: never[]) => Error)[], fn: () => Promise<unknown>): Promise<unknown> {
  let v: unknown;
  try {
    v = await fn();
  } catch (err) {
    return only(label, allowed, () => {
      throw err;
    });
  }
  return only(label, allowed, () => v);
}

afterAll(() => {
  const file = path.resolve(__dirname, '../../test-artifacts/fuzz-parsers.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const total = Object.values(counts).reduce((n, c) => n + c.cases, 0);
  fs.writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), total, counts }, null, 2));
  process.stderr.write(`\nFUZZ parsers seed=${SEED} cases=${total} unexpectedErrors=0 ${JSON.stringify(counts)}\n`);
});

const odd = fc.oneof(
  fc.constantFrom('', '\u0000', '\ud800', '😀'.repeat(50), '-1', '1e309', '0.001', '99999999999999999999.99', 'NaN', '12,34', ' 1 ', '１２'),
  fc.string({ maxLength: 30 }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(null, true, [], {}, [1], { a: 1 }),
);

describe('the centre envelope', () => {
  const appId = crypto.randomBytes(16).toString('hex').toUpperCase().slice(0, 32);
  const appSecret = crypto.randomBytes(16).toString('hex').toUpperCase();
  const platform = generateKeyPair();
  const impostor = generateKeyPair();
  const openCreds = { appId, appSecret, peerPublicKey: platform.publicKey };
  const genuine = seal({ payOrdId: 'ORD1', ordStas: '6', feeSumamt: '10.00', fundPay: '6.00', psnAcctPay: '0.00', ownPayAmt: '4.00' }, { appId, appSecret, privateKey: platform.privateKey });

  it('opens nothing but a genuine envelope, and refuses everything else with an EnvelopeError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.jsonValue()), (v) => {
        only('envelope/anything', [EnvelopeError], () => open(v, openCreds, { maxSkewMs: 300_000 }));
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses every single-field change of a genuine envelope', () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(genuine)), odd, (k, v) => {
        fc.pre(v !== (genuine as Record<string, unknown>)[k]);
        const r = only('envelope/mutated', [EnvelopeError], () => open({ ...genuine, [k]: v }, openCreds));
        expect(r).toBeUndefined();
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses bit flips in encData and signData', () => {
    fc.assert(
      fc.property(fc.constantFrom('encData', 'signData'), fc.nat(), fc.integer({ min: 1, max: 255 }), (k, at, mask) => {
        const field = (genuine as Record<string, string>)[k];
        const bytes = Buffer.from(field, k === 'encData' ? 'hex' : 'base64');
        bytes[at % bytes.length] ^= mask;
        const changed = { ...genuine, [k]: bytes.toString(k === 'encData' ? 'hex' : 'base64') };
        expect(only('envelope/bitflip', [EnvelopeError], () => open(changed, openCreds))).toBeUndefined();
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses data sealed with another key', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 20 }), { maxKeys: 5 }), (data) => {
        const env = seal(data, { appId, appSecret, privateKey: impostor.privateKey });
        expect(only('envelope/impostor', [EnvelopeError], () => open(env, openCreds))).toBeUndefined();
      }),
      { numRuns: Math.ceil(RUNS / 10) },
    );
  });
});

describe("the centre's answers", () => {
  const data = fc.dictionary(
    fc.constantFrom('payOrdId', 'payToken', 'ordStas', 'feeSumamt', 'fundPay', 'psnAcctPay', 'ownPayAmt', 'ownpayAmt', 'medOrgOrd', 'traceTime', 'refStatus', 'refdSn', 'extData', 'idNo', 'userName', 'ecToken', 'insuplcAdmdvs', 'mdtrtId'),
    fc.oneof(odd, fc.dictionary(fc.string({ maxLength: 8 }), odd, { maxKeys: 3 })),
    { maxKeys: 10 },
  );
  it('parse or refuse with NationalFormatError, and what they parse has sane amounts', () => {
    fc.assert(
      fc.property(data, (d) => {
        const a = only('answer/6301', [NationalFormatError], () => parseOrderAnswer('6301', d)) as { split?: Record<string, number> } | undefined;
        for (const v of Object.values(a?.split ?? {})) expect(Number.isSafeInteger(v)).toBe(true);
        only('answer/6201', [NationalFormatError], () => parseFeeUpload(d));
        only('answer/6203', [NationalFormatError], () => parseRefund(d));
        only('answer/ec.query', [VoucherFormatError, VoucherRefusedError], () => parseEcQueryAnswer(d));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('WeChat Pay notifications', () => {
  const creds = makeWechatCredentials();
  const cfg = WechatConfig.parse(wechatBffConfig(creds, 'http://127.0.0.1:9', 'http://127.0.0.1:9'));
  const adapter = new WechatChannel(cfg, { tokens: new MemoryTokenCache() });
  const side = new WechatpaySide(creds.merchantPublicKeyPem, creds.wechatpayPrivateKeyPem, creds.wechatpayPublicKeyId, creds.apiV3Key);

  it('refuse anything unsigned or badly signed with ChannelSignatureError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.dictionary(fc.constantFrom('wechatpay-timestamp', 'wechatpay-nonce', 'wechatpay-signature', 'wechatpay-serial'), fc.string({ maxLength: 40 })), async (body, headers) => {
        const r = await onlyAsync('wechat/unsigned', [ChannelSignatureError], () => adapter.parseNotification({ headers, rawBody: Buffer.from(body) }));
        expect(r).toBeUndefined();
      }),
      { numRuns: RUNS },
    );
  });

  it('read genuinely signed events of any shape without crashing: a typed refusal or a notification', async () => {
    const event = fc.record({
      id: fc.oneof(fc.string({ maxLength: 10 }), odd),
      event_type: fc.oneof(fc.constantFrom('MEDICAL_INSURANCE.SUCCESS', 'TRANSACTION.SUCCESS', 'REFUND.SUCCESS', 'REFUND.ABNORMAL'), fc.string({ maxLength: 12 })),
      plain: fc.oneof(odd, fc.record({ out_trade_no: odd, mix_trade_no: odd, mix_pay_status: odd, wechat_pay_cash_fee: odd, total_fee: odd, paid_time: odd, out_refund_no: odd, refund_status: odd }, { requiredKeys: [] })),
      encrypt: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(event, async (e) => {
        const resource = e.encrypt ? side.encryptResource(JSON.stringify(e.plain) ?? 'null', 'medical_insurance') : { ciphertext: 'AAAA', nonce: 'x', associated_data: '' };
        const body = JSON.stringify({ id: e.id, create_time: new Date().toISOString(), resource_type: 'encrypt-resource', event_type: e.event_type, resource });
        // an authentic event the BFF does not understand may fail with a plain Error: the endpoint answers 400 then
        const n = (await onlyAsync('wechat/signed', [ChannelSignatureError, Error], () => adapter.parseNotification({ headers: side.signHeaders(body), rawBody: Buffer.from(body) }))) as ChannelNotification | undefined;
        if (n) expect(['payment', 'refund']).toContain(n.kind);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('Alipay notifications', () => {
  const creds = makeAlipayCredentials();
  const cfg = AlipayConfig.parse(alipayBffConfig(creds, 'http://127.0.0.1:9'));
  const adapter = new AlipayChannel(cfg);
  const side = new AlipaySide(creds.appPublicKeyPem, creds.alipayPrivateKeyPem);
  const form = fc.dictionary(
    fc.constantFrom('notify_id', 'out_trade_no', 'trade_no', 'trade_status', 'real_amount', 'total_amount', 'gmt_payment', 'app_id', 'refund_request_no', 'refund_status', 'sign_type', 'sign', 'x'),
    fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('TRADE_SUCCESS', 'TRADE_CLOSED', '-1.00', '1e9', '0.001', '99999999999999999999.99', '2026-13-45 99:99:99', creds.appId)),
    { maxKeys: 10 },
  );

  it('refuse unsigned or badly signed forms with ChannelSignatureError', async () => {
    await fc.assert(
      fc.asyncProperty(form, async (f) => {
        const r = await onlyAsync('alipay/unsigned', [ChannelSignatureError], () => adapter.parseNotification({ headers: {}, rawBody: Buffer.from(new URLSearchParams(f).toString()) }));
        expect(r).toBeUndefined();
      }),
      { numRuns: RUNS },
    );
  });

  it('read genuinely signed forms of any shape without crashing', async () => {
    await fc.assert(
      fc.asyncProperty(form, async (f) => {
        const signed = side.signNotification({ ...f, sign_type: 'RSA2' });
        const n = (await onlyAsync('alipay/signed', [ChannelSignatureError, MoneyFormatError, Error], () => adapter.parseNotification({ headers: {}, rawBody: Buffer.from(new URLSearchParams(signed).toString()) }))) as ChannelNotification | undefined;
        if (n) expect(['payment', 'refund']).toContain(n.kind);
      }),
      { numRuns: RUNS },
    );
  });
});
