/**
 * Who may use the kiosk API, and with which voucher: HMAC signatures per device, visits bound to
 * the device that opened them, and e-voucher QR codes that expire and work once. Real HTTP, the
 * sandbox processes and a real redis-server.
 */
import { kioskApi as api } from '@mip/shared';
import { signRequest } from '../../bff/src/security/hmac-request';
import { connectRedis, type RedisClient } from '../../bff/src/store/redis';
import { postJson, testStack, type TestStack } from '../support/stack';
import { KIOSK_TEST_ENV, KioskDevice, kioskBff, type KioskBff, type Signing } from '../support/kiosk';

let stack: TestStack;
let bff: KioskBff;
let kioskA: KioskDevice;
let kioskB: KioskDevice;
let redis: RedisClient;

beforeAll(async () => {
  stack = await testStack({ bffEnv: KIOSK_TEST_ENV });
  bff = await kioskBff(stack);
  kioskA = KioskDevice.of(stack, bff.url, 0);
  kioskB = KioskDevice.of(stack, bff.url, 1);
  redis = connectRedis(stack.redis.url);
}, 120_000);
afterAll(async () => {
  redis?.disconnect();
  await bff?.close();
  await stack?.cleanup();
});
beforeEach(async () => {
  await stack.faults('national').clear();
  await postJson(`${stack.urls.his}/sandbox/reset`, {});
});

/** Orders and visits in Redis (order call logs and visit order sets excluded). */
async function stored(): Promise<{ orders: number; visits: number }> {
  const keys = await redis.keys('mip:*');
  return {
    orders: keys.filter((k) => /:order:[A-Z0-9]+$/.test(k)).length,
    visits: keys.filter((k) => /\{sess:kiosk-visit:[^}]+\}$/.test(k)).length,
  };
}

const signings: [string, () => Signing, string][] = [
  ['without a signature', () => 'none', 'UNAUTHENTICATED'],
  ['with a bad signature', () => ({ deviceId: kioskA.deviceId, secret: 'not-the-device-secret-0000' }), 'SIGNATURE_INVALID'],
  ["with another device's signature", () => ({ deviceId: kioskA.deviceId, secret: kioskB.secret }), 'SIGNATURE_INVALID'],
];

describe('kiosk access', () => {
  it.each(signings)('refuses a request %s with 401 and changes nothing', async (_what, signing, code) => {
    const visit = await kioskA.checkIn('zhang');
    const qrCode = await kioskA.voucherQr('huang');
    const before = await stored();

    const identify = await kioskA.call(api.identify, { body: { qrCode }, sign: signing() });
    const order = await kioskA.call(api.createOrder, {
      params: { visitId: visit.visitId },
      body: { kind: 'outpatient', billNos: ['MZCF000101'] },
      headers: { 'idempotency-key': `refused-${Date.now()}` },
      sign: signing(),
    });
    for (const r of [identify, order]) {
      expect(r.status).toBe(401);
      expect(r.body.error?.code).toBe(code);
    }
    expect(await stored()).toEqual(before);
    // the voucher QR never reached the centre: it still works once, for the real kiosk
    expect((await kioskA.identify(qrCode)).insured).toBe(true);
  });

  it('refuses a replayed kiosk request', async () => {
    const qrCode = await kioskA.voucherQr('zhou');
    const raw = JSON.stringify({ qrCode });
    const headers = { ...signRequest(kioskA.deviceId, kioskA.secret, 'POST', api.identify.path, raw), 'content-type': 'application/json' };
    const first = await fetch(bff.url + api.identify.path, { method: 'POST', headers, body: raw });
    const again = await fetch(bff.url + api.identify.path, { method: 'POST', headers, body: raw });
    expect(first.status).toBe(200);
    expect(again.status).toBe(409);
  });

  it('does not let another kiosk use a visit opened at one kiosk', async () => {
    const visit = await kioskA.checkIn('huang');
    const params = { visitId: visit.visitId };
    const bills = await kioskB.call(api.bills, { params });
    const order = await kioskB.call(api.createOrder, { params, body: { kind: 'outpatient', billNos: ['MZCF000501'] }, headers: { 'idempotency-key': `other-${Date.now()}` } });
    for (const r of [bills, order]) {
      expect(r.status).toBe(409);
      expect(r.body.error?.code).toBe('IDENTITY_REQUIRED');
    }
    // the visit is untouched for the kiosk that opened it
    expect((await kioskA.ok(api.bills, { params })).bills.length).toBeGreaterThan(0);
  });

  it("does not show a kiosk's order to another kiosk, nor in another visit", async () => {
    const visit = await kioskA.checkIn('zhang');
    const created = await kioskA.createOutpatientOrder(visit.visitId);
    const otherVisit = await kioskA.checkIn('huang');
    const inOtherVisit = await kioskA.call(api.getOrder, { params: { visitId: otherVisit.visitId, orderNo: created.orderNo } });
    expect(inOtherVisit.status).toBe(404);
    expect(inOtherVisit.body.error?.code).toBe('ORDER_NOT_FOUND');
    const fromOtherKiosk = await kioskB.call(api.getOrder, { params: { visitId: visit.visitId, orderNo: created.orderNo } });
    expect(fromOtherKiosk.status).toBe(409);
  });

  it('refuses an expired voucher QR code with a plain instruction to refresh it', async () => {
    const qrCode = await kioskA.voucherQr('zhang', 1);
    await new Promise((r) => setTimeout(r, 20));
    const r = await kioskA.call(api.identify, { body: { qrCode } });
    expect(r.status).toBe(422);
    expect(r.body.error?.code).toBe('AUTHORIZATION_FAILED');
    expect(r.body.error?.message).toContain('刷新二维码');
  });

  it('refuses a voucher QR code that was already used', async () => {
    const qrCode = await kioskA.voucherQr('zhang');
    await kioskA.identify(qrCode);
    const r = await kioskA.call(api.identify, { body: { qrCode } });
    expect(r.status).toBe(422);
    expect(r.body.error?.code).toBe('AUTHORIZATION_FAILED');
    expect(r.body.error?.message).toContain('已使用');
  });

  it('tells a patient insured in a region the hospital does not support that insurance cannot be used here', async () => {
    const visit = await kioskA.identify(await kioskA.voucherQr('li'));
    expect(visit.insured).toBe(false);
    expect(visit.benefits).toEqual([]);
    expect(visit.notice).toContain('人工收费窗口');
    const r = await kioskA.call(api.chooseBenefit, { params: { visitId: visit.visitId }, body: { benefitCode: 'any' } });
    expect(r.body.error?.code).toBe('NOT_INSURED');
  });

  it('renews the voucher authorization of a visit when the same patient scans a fresh QR code', async () => {
    const visit = await kioskA.checkIn('zhou');
    const renewed = await kioskA.identify(await kioskA.voucherQr('zhou'), visit.visitId);
    expect(renewed.visitId).toBe(visit.visitId);
    expect(renewed.benefit?.code).toBe(visit.benefits[0].code);
  });

  it('ends a visit on request, after which it cannot be used', async () => {
    const visit = await kioskA.checkIn('zhang');
    await kioskA.ok(api.endVisit, { params: { visitId: visit.visitId } });
    const r = await kioskA.call(api.bills, { params: { visitId: visit.visitId } });
    expect(r.status).toBe(409);
    expect(r.body.error?.code).toBe('IDENTITY_REQUIRED');
  });
});
