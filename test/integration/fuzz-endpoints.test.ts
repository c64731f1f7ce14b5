/**
 * Issue 7, hostile input: property-based tests (fast-check) on every public endpoint of the
 * published contract (patient, HIS-facing, bills, kiosk, staff, ops) and on the three
 * notification endpoints, over real HTTP against a BFF process.
 *
 * Every request is hostile — malformed JSON, wrong types, huge bodies, odd Unicode, odd path
 * parameters and queries, negative and overflowing amounts, broken, replayed and re-signed
 * credentials — and every answer must be: never a 5xx; a refusal is a 4xx carrying a stable code
 * of shared/src/errors.ts (with that code's status, for the API); and a refusal changes nothing
 * (a digest of the orders and everything else in Redis that a request could change is the same
 * before and after). The counts are written to test-artifacts/fuzz-endpoints.json.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { hisApi, kioskApi, opsApi, patientApi, staffApi, type Endpoint } from '@mip/shared';
import { billsApi } from '../../shared/src/contract/bills';
import { staffPasswordFor } from '../../scripts/stack';
import { kioskDevicesOf } from '../../sandbox/national/stack';
import { signRequest } from '../../bff/src/security/hmac-request';
import { connectRedis, type RedisClient } from '../../bff/src/store/redis';
import { seal } from '../../bff/src/national/envelope';
import { generateKeyPair } from '../../bff/src/crypto/sm2';
import { WechatpaySide } from '../../sandbox/wechat/crypto';
import { AlipaySide } from '../../sandbox/alipay/crypto';
import { testStack, getJson, postJson, type TestStack } from '../support/stack';
import { codeOf, contentTypes, digest, enc, fuzzSeed, HostileProbe, mutated, oddNumber, oddString, oddValue, queries, type Body } from '../support/fuzz';
import { WechatPatient } from '../support/patient';
import { waitForJobsIdle } from '../support/wait';

const SEED = fuzzSeed();
const RUNS = Number(process.env.FUZZ_RUNS ?? 50);

let stack: TestStack;
let redis: RedisClient;
let probe: HostileProbe;
let patient: WechatPatient;
let orderNo: string;
let payOrdId: string;
let staffCookie = '';
let staffCsrf = '';
let his: { id: string; secret: string };
let kiosk: { id: string; secret: string };

// ------------------------------------------------------------------ generators

/** A valid body per endpoint, as a start for mutations (absent: {}). */
function examples(): Record<string, Record<string, unknown>> {
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  return {
    'session.login': { channel: 'wechat', code: 'code-0001' },
    'insurance.status': { regionCode: '440100', idNo: '440106196503122134', name: '张建国' },
    'insurance.chooseBenefit': { benefitCode: '310-11' },
    'insurance.authorize': { authCode: 'auth-code-0001' },
    'orders.create': { kind: 'outpatient', billNos: ['MZCF000101'] },
    'orders.pay': { location: '113.283456,23.096012' },
    // (an accepted event for an unknown order ends at once as undeliverable: no retries running on in the background)
    'his.messages.push': { eventId: 'EVT-FUZZ-000001', type: 'outpatient_paid', orderNo: 'O261124000000NOSUCH', occurredAt: new Date().toISOString(), summary: { title: '门诊缴费', amountFen: 100 } },
    // more than was paid: one mutation rarely makes it valid (the amounts test covers refund amounts)
    'his.refunds.create': { orderNo, refundNo: 'FUZZRF0001', reason: '测试', amounts: { fundFen: 10_000_000, acctFen: 0, cashFen: 1 } },
    'his.reconciliations.run': { date: today },
    'kiosk.identify': { qrCode: 'QRCODE-0000-0000' },
    'kiosk.chooseBenefit': { benefitCode: '310-11' },
    'kiosk.createOrder': { kind: 'registration', slotId: 'D1001-20261124-AM' },
    'staff.login': { username: 'admin', password: 'wrong-password' },
    'staff.orders.search': { from: today, to: today },
    'staff.orders.export': { from: today, to: today },
    'staff.reviews.resolve': { to: 'completed', note: '核对无误', expectedVersion: 1 },
  };
}

function bodies(e: Endpoint): fc.Arbitrary<Body> {
  const ex = examples()[e.id] ?? {};
  return fc.oneof(
    { weight: 4, arbitrary: mutated(ex).map((value): Body => ({ kind: 'json', value })) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value): Body => ({ kind: 'json', value })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((b): Body => ({ kind: 'raw', bytes: Buffer.from(b) })) },
    { weight: 1, arbitrary: fc.constantFrom('{', '{"a":', '[1,2', '{"a":1}}', '\u0000', '\ufeff{}', 'null', '"str"', '1e999', '{"a":"\\ud800"}').map((t): Body => ({ kind: 'raw', bytes: Buffer.from(t) })) },
    // huge: past every body limit of the BFF (64 KB JSON, 256 KB signed)
    { weight: 1, arbitrary: fc.constantFrom(70 * 1024, 300 * 1024, 2 * 1024 * 1024).map((n): Body => ({ kind: 'raw', bytes: Buffer.from(JSON.stringify({ a: 'x'.repeat(n) })) })) },
    { weight: 1, arbitrary: fc.constant<Body>({ kind: 'none' }) },
  );
}

function paramValue(e: Endpoint, name: string): fc.Arbitrary<string> {
  const known: Record<string, string> = { orderNo, refundNo: 'FUZZRF0001', deptCode: '0101', doctorCode: 'D1001', billNo: 'MZCF000101', eventId: 'EVT-FUZZ-000001', visitId: 'V'.padEnd(24, '0'), runId: 'RC20261124000000ABCDEF' };
  return fc.oneof(
    fc.constant(enc(known[name] ?? 'x')),
    oddString.map((s) => enc(s)),
    fc.constantFrom('%', '%E0%A4%A', '%ZZ', '..', '%2e%2e%2f', 'a%00b', '%C0%AF'), // raw: malformed or sneaky escapes
  );
}

/** Credentials for the endpoint's kind of caller: valid (most of the time), missing or broken. */
function authHeaders(e: Endpoint, mode: 'valid' | 'missing' | 'broken', method: string, pathWithQuery: string, raw: string | Buffer): Record<string, string> {
  if (mode === 'missing' || e.auth === 'none') return {};
  switch (e.auth) {
    case 'patient':
      return { authorization: mode === 'valid' ? `Bearer ${patient.api.token}` : 'Bearer ' + 'A'.repeat(43) };
    case 'his':
    case 'kiosk': {
      const who = e.auth === 'his' ? his : kiosk;
      // signed over exactly the bytes that are sent (none for a GET), so the hostile part gets past the signature
      return { ...signRequest(who.id, mode === 'valid' ? who.secret : `${who.secret}x`, method, pathWithQuery, method === 'GET' ? '' : raw) };
    }
    case 'staff':
      return mode === 'valid' ? { cookie: staffCookie, 'x-csrf-token': staffCsrf } : { cookie: 'mip_staff=forged', 'x-csrf-token': 'forged' };
  }
  return {};
}

// ------------------------------------------------------------------ set-up

beforeAll(async () => {
  // the fuzzed order must outlive the run (a slow machine takes minutes): its expiry would change Redis mid-run
  stack = await testStack({ bffConfig: { unpaidOrderTtlMs: 60 * 60_000 }, sandboxConfig: { national: { policy: { accountPaysSelfPart: false } } } });
  redis = connectRedis(stack.redis.url);
  probe = new HostileProbe(stack.urls.bff, redis);
  // no HIS message pushes arriving in the middle of a case
  await postJson(`${stack.urls.his}/sandbox/config`, { pushEnabled: false });
  const c = stack.credentials.his as { hisClientId: string; hisClientSecret: string };
  his = { id: c.hisClientId, secret: c.hisClientSecret };
  const d = kioskDevicesOf(stack.credentials.national)[0];
  kiosk = { id: d.deviceId, secret: d.secret };

  // one completed order to aim at (refunds, order look-ups, notifications)
  patient = await (await new WechatPatient(stack, 'crowd0300').login()).onboard();
  const bill = await postJson(`${stack.urls.his}/sandbox/bills`, { personKey: 'crowd0300' });
  orderNo = await patient.payOutpatient([bill.body.bills[0].billNo]);
  const done = await patient.waitForState(orderNo, ['completed']);
  expect(done.state).toBe('completed');
  payOrdId = (await getJson(`${stack.urls.national}/sandbox/orders/${orderNo}`)).order.payOrdId;

  const login = await fetch(`${stack.urls.bff}${staffApi.login.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: staffPasswordFor(stack.dir) }),
  });
  staffCookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  staffCsrf = ((await login.json()) as { csrfToken: string }).csrfToken;
  // let the order's follow-up jobs (polls that find nothing to do) run out
  await waitForJobsIdle(stack.redis.url);
}, 180_000);

afterAll(async () => {
  const file = path.resolve(__dirname, '../../test-artifacts/fuzz-endpoints.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), runsPerProperty: RUNS, ...probe.stats }, null, 2));
  process.stderr.write(`\nFUZZ endpoints seed=${SEED} cases=${probe.stats.cases} 5xx=${probe.stats.fiveXX} stateChanges=${probe.stats.stateChanges} badCodes=${probe.stats.badCodes} statuses=${JSON.stringify(probe.stats.byStatus)}\n`);
  redis?.disconnect();
  await stack?.cleanup();
});

// ------------------------------------------------------------------ every endpoint of the contract

const ENDPOINTS: Endpoint[] = [
  ...Object.values(patientApi),
  ...Object.values(hisApi),
  ...Object.values(billsApi),
  ...Object.values(kioskApi),
  ...Object.values(staffApi),
  ...Object.values(opsApi),
] as Endpoint[];

describe('every endpoint of the contract, with hostile requests', () => {
  it.each(ENDPOINTS.map((e) => [e.id, e] as const))('%s', async (_id, e) => {
    const params = (e.path.match(/:(\w+)/g) ?? []).map((p) => p.slice(1));
    const request = fc.record({
      params: fc.tuple(...params.map((p) => paramValue(e, p))),
      query: queries,
      body: bodies(e),
      contentType: contentTypes,
      auth: fc.constantFrom<'valid' | 'missing' | 'broken'>('valid', 'valid', 'valid', 'missing', 'broken'),
      idem: fc.option(oddString, { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        let p = e.path;
        params.forEach((name, i) => (p = p.replace(`:${name}`, r.params[i] || 'x')));
        const pathWithQuery = p + r.query;
        const raw = r.body.kind === 'json' ? JSON.stringify(r.body.value) ?? '' : r.body.kind === 'raw' ? r.body.bytes : '';
        const headers: Record<string, string> = { ...authHeaders(e, r.auth, e.method, pathWithQuery, raw) };
        if (e.method !== 'GET' && r.contentType) headers['content-type'] = r.contentType;
        // ASCII-safe header values only (fetch refuses others before they leave)
        if (r.idem !== undefined) headers['idempotency-key'] = enc(r.idem).slice(0, 200);
        await probe.hostile(e.id, e.method, pathWithQuery, headers, e.method === 'GET' ? undefined : raw, { api: true });
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});

describe('amounts', () => {
  it('refuses refunds with negative, fractional, overflowing or excessive amounts and changes nothing', async () => {
    const bad = fc.oneof(fc.constantFrom(-1, -0.5, 0.5, 2 ** 53, 2 ** 53 + 2, 1e21, 1e308, -1e308), fc.integer({ max: -1 }), fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Number.isInteger(x)), fc.integer({ min: 1_000_000_000 }));
    const good = fc.constantFrom(0, 1);
    const amounts = fc.record({ fundFen: fc.oneof(bad, good), acctFen: fc.oneof(bad, good), cashFen: fc.oneof(bad, good) }).filter((a) => Object.values(a).some((v) => !(v === 0 || v === 1)));
    await fc.assert(
      fc.asyncProperty(amounts, fc.string({ minLength: 8, maxLength: 16, unit: fc.constantFrom(...'ABCDEFGH0123456789') }), async (a, refundNo) => {
        const body = JSON.stringify({ orderNo, refundNo: `AM${refundNo}`, reason: '金额测试', amounts: a });
        const headers = { 'content-type': 'application/json', ...signRequest(his.id, his.secret, 'POST', hisApi.createRefund.path, body) };
        const r = await probe.hostile('his.refunds.create/amounts', 'POST', hisApi.createRefund.path, headers, body, { api: true });
        if (r.status < 400) throw new Error(`accepted a refund of ${JSON.stringify(a)}`);
      }),
      { numRuns: RUNS * 2 },
    );
  }, 120_000);

  it('refuses HIS message events with hostile amounts and dates', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(oddNumber.filter((n) => !Number.isSafeInteger(n) || n < 0), fc.constantFrom('100', null)), oddString, async (amountFen, occurredAt) => {
        const body = JSON.stringify({ eventId: `EVT-AMT-${crypto.randomBytes(4).toString('hex')}`, type: 'outpatient_paid', orderNo, occurredAt, summary: { title: '门诊缴费', amountFen } });
        const headers = { 'content-type': 'application/json', ...signRequest(his.id, his.secret, 'POST', hisApi.pushMessage.path, body) };
        const r = await probe.hostile('his.messages.push/amounts', 'POST', hisApi.pushMessage.path, headers, body, { api: true });
        if (r.status < 400) throw new Error(`accepted amountFen ${String(amountFen)}`);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});

describe('replayed and re-signed requests', () => {
  it('refuses a replayed, a re-signed and a stale HIS request', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 8, maxLength: 12, unit: fc.constantFrom(...'0123456789') }), oddString, async (n, reason) => {
        const body = JSON.stringify({ orderNo: `O26112400${n}`.slice(0, 19), refundNo: `RP${n}`, reason: reason || 'x', all: true });
        const signed = signRequest(his.id, his.secret, 'POST', hisApi.createRefund.path, body);
        const headers = { 'content-type': 'application/json', ...signed };
        const first = await probe.send('POST', hisApi.createRefund.path, headers, body);
        expect(first.status).toBeLessThan(500);
        // the same bytes again: a replay
        const replay = await probe.hostile('his/replay', 'POST', hisApi.createRefund.path, headers, body, { api: true });
        expect(codeOf(replay)).toBe('REPLAYED');
        // the body changed under the old signature
        const tampered = await probe.hostile('his/tampered', 'POST', hisApi.createRefund.path, headers, body.replace('"all":true', '"all":false'), { api: true });
        expect(['SIGNATURE_INVALID', 'REPLAYED']).toContain(codeOf(tampered));
        // re-signed with a key that is not ours
        const forged = { 'content-type': 'application/json', ...signRequest(his.id, crypto.randomBytes(24).toString('base64'), 'POST', hisApi.createRefund.path, body) };
        expect(codeOf(await probe.hostile('his/forged', 'POST', hisApi.createRefund.path, forged, body, { api: true }))).toBe('SIGNATURE_INVALID');
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  }, 120_000);
});

// ------------------------------------------------------------------ notifications

describe('the 6302 settlement notification', () => {
  const url = () => new URL(stack.urls.bff).pathname.replace(/\/$/, '') + '/notify/national/settlement';
  const creds = () => {
    const c = stack.credentials.national as Record<string, string>;
    return { appId: c.appId, appSecret: c.appSecret, privateKey: c.platformPrivateKey };
  };
  const post = (label: string, body: string | Buffer, ct = 'application/json') => probe.hostile(label, 'POST', url(), { 'content-type': ct }, body, { api: false });

  it('refuses anything that is not a genuine envelope', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? ''), fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b))), async (body) => {
        const r = await post('6302/garbage', body);
        expect(r.status).toBeGreaterThanOrEqual(400);
      }),
      { numRuns: RUNS },
    );
  });

  it('answers a replayed genuine notification without changing anything, and refuses it tampered', async () => {
    const genuine = (await getJson(`${stack.urls.national}/sandbox/orders/${payOrdId}`)).lastNotification as Record<string, string>;
    expect(genuine).toBeDefined();
    const before = await digest(redis);
    const again = await probe.send('POST', url(), { 'content-type': 'application/json' }, JSON.stringify(genuine));
    expect(again.status).toBe(200);
    expect(await digest(redis)).toBe(before);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('appId', 'encType', 'signType', 'timestamp', 'version', 'encData', 'signData'), oddValue, async (field, value) => {
        fc.pre(value !== genuine[field]);
        const r = await post('6302/tampered', JSON.stringify({ ...genuine, [field]: value }));
        expect(r.status).toBeGreaterThanOrEqual(400);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses data sealed with a key that is not the centre’s, and malformed data sealed with the centre’s', async () => {
    const impostor = generateKeyPair();
    const data = fc.record(
      {
        payOrdId: fc.oneof(oddString, fc.constant(`ORD${crypto.randomBytes(6).toString('hex')}`)),
        medOrgOrd: oddValue,
        ordStas: oddValue,
        feeSumamt: oddValue,
        fundPay: oddValue,
        psnAcctPay: oddValue,
        ownPayAmt: oddValue,
        traceTime: oddValue,
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(data, fc.boolean(), async (d, forged) => {
        let env: Record<string, unknown>;
        try {
          env = seal(d, forged ? { ...creds(), privateKey: impostor.privateKey } : creds());
        } catch {
          return; // not sealable JSON (the centre could not send it either)
        }
        const r = await post(forged ? '6302/forged' : '6302/re-signed-malformed', JSON.stringify(env));
        expect(r.status).toBeGreaterThanOrEqual(400);
        if (forged) expect(codeOf(r)).toBe('SIGNATURE_INVALID');
      }),
      { numRuns: RUNS * 2 },
    );
  });
});

describe('the WeChat Pay notification', () => {
  const url = '/notify/wechat/payment';
  const side = () => {
    const c = stack.credentials.wechat as Record<string, string>;
    return new WechatpaySide(c.merchantPublicKeyPem, c.wechatpayPrivateKeyPem, c.wechatpayPublicKeyId, c.apiV3Key);
  };
  const event = (s: WechatpaySide, plain: unknown, type = 'MEDICAL_INSURANCE.SUCCESS') =>
    JSON.stringify({
      id: `EV-${crypto.randomUUID()}`,
      create_time: new Date().toISOString(),
      resource_type: 'encrypt-resource',
      event_type: type,
      summary: 'x',
      resource: { original_type: 'transaction', ...s.encryptResource(JSON.stringify(plain) ?? 'null', 'medical_insurance') },
    });

  it('refuses unsigned, badly signed and malformed notifications', async () => {
    const s = side();
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? ''), fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1'))), fc.constantFrom('none', 'garbage', 'real', 'stale'), async (body, how) => {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (how === 'garbage') Object.assign(headers, { 'wechatpay-timestamp': String(Math.floor(Date.now() / 1000)), 'wechatpay-nonce': 'n', 'wechatpay-signature': 'AAAA', 'wechatpay-serial': 'PUB_KEY_ID_X' });
        if (how === 'real') Object.assign(headers, s.signHeaders(body));
        if (how === 'stale') Object.assign(headers, s.signHeaders(body, Math.floor(Date.now() / 1000) - 3600));
        const r = await probe.hostile('wechat-notify/garbage', 'POST', url, headers, body, { api: false });
        expect(r.status).toBeGreaterThanOrEqual(400);
      }),
      { numRuns: RUNS },
    );
  });

  it('refuses genuinely signed events whose resource is malformed or of an unknown type, and changes nothing', async () => {
    const s = side();
    const resource = fc.oneof(
      oddValue,
      fc.record({ out_trade_no: oddValue, mix_trade_no: oddValue, mix_pay_status: fc.constantFrom('MIX_PAY_SUCCESS', 'x'), wechat_pay_cash_fee: oddValue, total_fee: oddValue }, { requiredKeys: [] }),
    );
    await fc.assert(
      fc.asyncProperty(resource, fc.constantFrom('MEDICAL_INSURANCE.SUCCESS', 'TRANSACTION.SUCCESS', 'REFUND.SUCCESS', 'SOMETHING.ELSE'), async (plain, type) => {
        // a resource naming our order with correct amounts is not hostile: keep to those that are not
        fc.pre(!(plain && typeof plain === 'object' && (plain as Record<string, unknown>).out_trade_no === orderNo));
        const body = event(s, plain, type);
        const r = await probe.hostile('wechat-notify/re-signed', 'POST', url, { 'content-type': 'application/json', ...s.signHeaders(body) }, body, { api: false });
        expect(r.status === 204 || r.status >= 400).toBe(true);
      }),
      { numRuns: RUNS * 2 },
    );
  });
});

describe('the Alipay notification', () => {
  const url = '/notify/alipay/payment';
  const side = () => {
    const c = stack.credentials.alipay as Record<string, string>;
    return new AlipaySide(c.appPublicKeyPem, c.alipayPrivateKeyPem);
  };

  it('refuses forms that are not signed by Alipay, and malformed ones that are', async () => {
    const s = side();
    const appId = (stack.credentials.alipay as Record<string, string>).appId;
    const form = fc.record(
      {
        notify_id: oddString,
        out_trade_no: oddString,
        trade_status: fc.constantFrom('TRADE_SUCCESS', 'TRADE_CLOSED', 'WAIT_BUYER_PAY', 'x'),
        real_amount: fc.oneof(oddString, fc.constantFrom('-1.00', '1e9', '0.001', '99999999999999999999.99')),
        total_amount: oddString,
        gmt_payment: oddString,
        app_id: fc.constantFrom(appId, 'x'),
        refund_request_no: fc.option(oddString, { nil: undefined }),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(form, fc.constantFrom('none', 'garbage', 'real'), async (f, how) => {
        const fields = Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined).map(([k, v]) => [k, String(v)])) as Record<string, string>;
        fc.pre(fields.out_trade_no !== orderNo);
        const signed = how === 'real' ? s.signNotification({ ...fields, sign_type: 'RSA2' }) : how === 'garbage' ? { ...fields, sign_type: 'RSA2', sign: 'AAAA' } : fields;
        const body = new URLSearchParams(signed).toString();
        const r = await probe.hostile(`alipay-notify/${how}`, 'POST', url, { 'content-type': 'application/x-www-form-urlencoded' }, body, { api: false });
        expect(r.status === 200 || r.status >= 400).toBe(true);
        if (r.status === 200) expect(r.text).toBe('success'); // an authentic refund notice is acknowledged
      }),
      { numRuns: RUNS * 2 },
    );
  });
});
