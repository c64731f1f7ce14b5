/**
 * K1/K2 through real HTTP: a kiosk device (HMAC-signed calls), the BFF, the sandbox centre
 * (the e-voucher service's ec.query, 6201/6202 with ecToken, its cashier's UNION_CHS unified order
 * and callback, 6302), the sandbox HIS and a real redis-server. The patient shows the e-voucher QR,
 * the kiosk shows the cashier QR, the patient pays on the phone, and the order completes through
 * the cashier's callback and the centre's notification — or the BFF's queries when they are lost.
 */
import { hisApi, kioskApi as api } from '@mip/shared';
import { HisClient } from '../support/his-client';
import { seal } from '../../bff/src/national/envelope';
import { getJson, postJson, testStack, type TestStack } from '../support/stack';
import { KIOSK_TEST_ENV, KioskDevice, kioskBff, type KioskBff } from '../support/kiosk';

let stack: TestStack;
let bff: KioskBff;
let kiosk: KioskDevice;

beforeAll(async () => {
  stack = await testStack({ bffEnv: KIOSK_TEST_ENV });
  bff = await kioskBff(stack);
  kiosk = KioskDevice.of(stack, bff.url);
}, 120_000);
afterAll(async () => {
  await bff?.close();
  await stack?.cleanup();
});
beforeEach(async () => {
  await stack.faults('national').clear();
  await postJson(`${stack.urls.his}/sandbox/reset`, {});
});

async function waitForLedger(orderNo: string, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ledger = await kiosk.ledger(orderNo);
    if (ledger.settlements.length > 0) return ledger;
    if (Date.now() > until) throw new Error(`HIS never recorded ${orderNo}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('paying at a self-service kiosk', () => {
  it('completes a registration paid with the e-voucher QR and the centre cashier, recorded once in HIS', async () => {
    const visit = await kiosk.identify(await kiosk.voucherQr('zhang'));
    expect(visit).toMatchObject({ insured: true, patient: { nameMasked: '张**' }, region: { code: '440100' } });
    expect(JSON.stringify(visit)).not.toContain('440106196503122134');
    await kiosk.ok(api.chooseBenefit, { params: { visitId: visit.visitId }, body: { benefitCode: visit.benefits[0].code } });
    const created = await kiosk.createRegistrationOrder(visit.visitId);
    expect(created).toMatchObject({ kind: 'registration', channel: 'kiosk', state: 'created' });

    const { order, payment } = await kiosk.pay(visit.visitId, created.orderNo);
    expect(order.state).toBe('awaiting_payment');
    expect(order.amountsFinal).toBe(true);
    expect(payment.channel).toBe('kiosk');
    expect(payment.qrCode.startsWith(`${stack.urls.national}/cashier/`)).toBe(true);

    const scanned = await kiosk.scanCashier(payment.qrCode);
    expect(scanned.page).toContain('确认支付');
    expect(scanned.result.ok).toBe(true);
    const done = await kiosk.waitForState(visit.visitId, created.orderNo, ['completed']);
    expect(done.amounts.fundFen + done.amounts.acctFen + done.amounts.cashFen).toBe(done.amounts.totalFen);
    expect((await kiosk.ledger(created.orderNo)).settlements).toHaveLength(1);
    // the cashier's callback (tradeStatus, amount, payOrdId) reached the BFF and was acknowledged
    const cashier = await kiosk.cashier((await kiosk.centreOrder(created.orderNo)).payOrdId);
    expect(cashier).toMatchObject({ state: 'paid', tradeStatus: 'SUCCESS' });
    expect(cashier.callbacksAcked).toBeGreaterThanOrEqual(1);
  });

  it('completes an outpatient payment of an unpaid bill at a kiosk, recorded once in HIS', async () => {
    const visit = await kiosk.checkIn('huang');
    const { bills } = await kiosk.ok(api.bills, { params: { visitId: visit.visitId } });
    expect(bills.length).toBeGreaterThan(0);
    const created = await kiosk.createOutpatientOrder(visit.visitId, [bills[0].billNo]);
    expect(created).toMatchObject({ kind: 'outpatient', channel: 'kiosk' });
    const { payment } = await kiosk.pay(visit.visitId, created.orderNo);
    await kiosk.scanCashier(payment.qrCode);
    const done = await kiosk.waitForState(visit.visitId, created.orderNo, ['completed']);
    expect(done.payments.map((p) => p.channel)).toContain('cashier');
    expect((await kiosk.ledger(created.orderNo)).settlements).toHaveLength(1);
  });

  it('answers a repeated pay tap with the same cashier QR code and one insurance order', async () => {
    const visit = await kiosk.checkIn('zhang');
    const created = await kiosk.createOutpatientOrder(visit.visitId);
    const first = await kiosk.pay(visit.visitId, created.orderNo);
    const second = await kiosk.pay(visit.visitId, created.orderNo);
    expect(second.payment.qrCode).toBe(first.payment.qrCode);
    const centre = (await getJson(`${stack.urls.national}/sandbox/orders/${created.orderNo}`)).order;
    expect(centre.orgBizSers).toHaveLength(1);
  });

  it('asks for the voucher again when the centre refuses a spent ecToken, and pays after the re-scan', async () => {
    const visit = await kiosk.checkIn('huang');
    const first = await kiosk.createOutpatientOrder(visit.visitId, ['MZCF000501']);
    await kiosk.scanCashier((await kiosk.pay(visit.visitId, first.orderNo)).payment.qrCode);
    await kiosk.waitForState(visit.visitId, first.orderNo, ['completed']);

    const second = await kiosk.createOutpatientOrder(visit.visitId, ['MZCF000502']);
    const refused = await kiosk.call(api.payOrder, { params: { visitId: visit.visitId, orderNo: second.orderNo } });
    expect(refused.status).toBe(422);
    expect(refused.body.error?.code).toBe('AUTHORIZATION_FAILED');
    expect(refused.body.error?.message).toContain('重新扫描医保电子凭证');

    await kiosk.identify(await kiosk.voucherQr('huang'), visit.visitId);
    const { payment } = await kiosk.pay(visit.visitId, second.orderNo);
    await kiosk.scanCashier(payment.qrCode);
    await kiosk.waitForState(visit.visitId, second.orderNo, ['completed']);
  });

  it('cancels an unpaid kiosk order with 6401 at the centre', async () => {
    const visit = await kiosk.checkIn('wang');
    const created = await kiosk.createOutpatientOrder(visit.visitId);
    await kiosk.pay(visit.visitId, created.orderNo);
    const r = await kiosk.ok(api.cancelOrder, { params: { visitId: visit.visitId, orderNo: created.orderNo } });
    expect(r.order.state).toBe('cancelled');
    expect((await getJson(`${stack.urls.national}/sandbox/orders/${created.orderNo}`)).order.ordStas).toBe('12');
  });

  it('completes a kiosk order whose 6302 notification was lost through 6301 polling', async () => {
    const visit = await kiosk.checkIn('chen');
    const created = await kiosk.createOutpatientOrder(visit.visitId);
    const { payment } = await kiosk.pay(visit.visitId, created.orderNo);
    const payOrdId = (await getJson(`${stack.urls.national}/sandbox/orders/${created.orderNo}`)).order.payOrdId as string;
    await stack.faults('national').add({ op: 'notify', kind: 'drop', key: payOrdId });
    await kiosk.scanCashier(payment.qrCode);
    // nobody looks at the order: only the BFF's settlement poll (6301) can find the payment
    const ledger = await waitForLedger(created.orderNo);
    expect(ledger.settlements).toHaveLength(1);
    const fired = (await getJson(`${stack.urls.national}/sandbox/faults`)).fired as { op: string; key?: string }[];
    expect(fired.some((f) => f.op === 'notify' && f.key === payOrdId)).toBe(true);
    expect((await kiosk.order(visit.visitId, created.orderNo)).state).toBe('completed');
  });
});

async function paidKioskOrder(personKey: string, billNo?: string) {
  const visit = await kiosk.checkIn(personKey);
  const created = await kiosk.createOutpatientOrder(visit.visitId, billNo ? [billNo] : undefined);
  const { payment } = await kiosk.pay(visit.visitId, created.orderNo);
  return { visit, orderNo: created.orderNo, qrCode: payment.qrCode, payOrdId: (await kiosk.centreOrder(created.orderNo)).payOrdId };
}

describe("the centre cashier as the kiosk's payment channel", () => {
  it('completes a kiosk order once when the cashier calls back twice, and acknowledges the repeat', async () => {
    const visit = await kiosk.checkIn('zhang');
    const created = await kiosk.createOutpatientOrder(visit.visitId);
    const { payment } = await kiosk.pay(visit.visitId, created.orderNo);
    const payOrdId = (await kiosk.centreOrder(created.orderNo)).payOrdId;
    await stack.faults('national').add({ op: 'cashier_callback', kind: 'duplicate', count: 2, key: payOrdId });
    await kiosk.scanCashier(payment.qrCode);
    await kiosk.waitForState(visit.visitId, created.orderNo, ['completed']);
    const again = await kiosk.repeatCallback(payOrdId);
    expect(again.acked).toBe(again.sent);
    expect((await kiosk.ledger(created.orderNo)).settlements).toHaveLength(1);
    expect((await kiosk.order(visit.visitId, created.orderNo)).state).toBe('completed');
  });

  it('refuses a cashier callback not signed by the platform, before reading it, and changes nothing', async () => {
    const o = await paidKioskOrder('zhang');
    const c = stack.credentials.national as { appId: string; appSecret: string; hospitalPrivateKey: string };
    const forged = seal({ tradeStatus: 'SUCCESS', amount: '0.00', payOrdId: o.payOrdId, outTradeNo: o.orderNo }, { appId: c.appId, appSecret: c.appSecret, privateKey: c.hospitalPrivateKey });
    const r = await postJson(`${stack.urls.bff}/notify/cashier/payment`, forged);
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('SIGNATURE_INVALID');
    expect((await kiosk.order(o.visit.visitId, o.orderNo)).state).toBe('awaiting_payment');
  });

  it('fails a kiosk order whose cashier payment failed (tradeStatus FAIL) and books nothing in HIS', async () => {
    const o = await paidKioskOrder('wang');
    const scanned = await kiosk.scanCashier(o.qrCode, 'fail');
    expect(scanned.result).toMatchObject({ ok: false, tradeStatus: 'FAIL' });
    const failed = await kiosk.waitForState(o.visit.visitId, o.orderNo, ['failed', 'manual_review']);
    expect(failed.state).toBe('failed');
    expect(failed.payments).toEqual([]);
    expect((await kiosk.ledger(o.orderNo)).settlements).toHaveLength(0);
  });

  it('waits for confirmation on a cashier trade status it does not know, and completes once paid', async () => {
    const o = await paidKioskOrder('chen');
    const r = await kiosk.repeatCallback(o.payOrdId, 'REFUNDING');
    expect(r.acked).toBe(1);
    expect((await kiosk.order(o.visit.visitId, o.orderNo)).state).toBe('awaiting_confirmation');
    await kiosk.scanCashier(o.qrCode);
    await kiosk.waitForState(o.visit.visitId, o.orderNo, ['completed']);
  });

  it('completes a kiosk order whose cashier callback and 6302 were both lost, by asking', async () => {
    const o = await paidKioskOrder('huang');
    await stack.faults('national').add({ op: 'cashier_callback', kind: 'drop', key: o.payOrdId });
    await stack.faults('national').add({ op: 'notify', kind: 'drop', key: o.payOrdId });
    await kiosk.scanCashier(o.qrCode);
    // nobody looks at the order: only the BFF's polls can find the payment
    const ledger = await waitForLedger(o.orderNo);
    expect(ledger.settlements).toHaveLength(1);
    expect((await kiosk.cashier(o.payOrdId)).callbacksSent).toBe(0);
  });

  it('gives all of a paid kiosk order back: the insurance part by 6203 and the self-pay part through the cashier', async () => {
    const o = await paidKioskOrder('wang'); // no personal account: the self-pay part is cash
    await kiosk.scanCashier(o.qrCode);
    const done = await kiosk.waitForState(o.visit.visitId, o.orderNo, ['completed']);
    expect(done.amounts.cashFen).toBeGreaterThan(0);
    const his = HisClient.of(stack);
    await his.ok(hisApi.createRefund, { body: { orderNo: o.orderNo, refundNo: 'RF-KIOSK-1', all: true, reason: '全部退费' } });
    await kiosk.waitForState(o.visit.visitId, o.orderNo, ['refunded'], 30_000);
    const centre = await kiosk.centreOrder(o.orderNo);
    const cash = centre.refunds.filter((r) => r.amounts.cashFen > 0);
    expect(cash).toEqual([expect.objectContaining({ appRefdSn: 'RF-KIOSK-1C', amounts: { cashFen: done.amounts.cashFen, acctFen: 0, fundFen: 0 } })]);
  });

  it('reverses a kiosk order HIS refuses to book: HIS reversal, and the self-pay part back through the cashier', async () => {
    await stack.faults('his').add({ op: 'writeBack', kind: 'fail', code: '504', message: '处方已作废', times: -1 });
    const o = await paidKioskOrder('chen'); // no personal account: the self-pay part is cash
    await kiosk.scanCashier(o.qrCode);
    const after = await kiosk.waitForState(o.visit.visitId, o.orderNo, ['reversed', 'manual_review'], 40_000);
    expect(after.state).toBe('reversed');
    expect(after.amounts.cashFen).toBeGreaterThan(0);
    const centre = await kiosk.centreOrder(o.orderNo);
    expect(centre.ordStas).toBe('13');
    expect(centre.refunds).toEqual([expect.objectContaining({ appRefdSn: `${o.orderNo}RVC`, amounts: { cashFen: after.amounts.cashFen, acctFen: 0, fundFen: 0 } })]);
  });
});

describe('the sandbox e-voucher service and cashier are strict', () => {
  const ecQuery = (body: Record<string, unknown>) => postJson(`${stack.urls.national}/localcfc/api/hsecfc/localQrCodeQuery`, body);
  const org = () => (stack.credentials.national as { orgCodg: string; orgName: string });

  it('refuses an ec.query without the operator and office HSA sends, or with another transType', async () => {
    const qrCode = await kiosk.voucherQr('zhang');
    const data = { orgId: org().orgCodg, businessType: '01101', operatorId: 'K1', operatorName: '自助机', officeId: 'MZ', officeName: '门诊', qrCode };
    expect((await ecQuery({ data: { ...data, officeId: undefined }, orgId: org().orgCodg, transType: 'ec.query' })).body.code).toBe('1001');
    expect((await ecQuery({ data, orgId: org().orgCodg, transType: 'hos.query.insu' })).body.code).toBe('1001');
    expect((await ecQuery({ data, orgId: 'H00000000000', transType: 'ec.query' })).body.code).toBe('1003');
    const ok = (await ecQuery({ data, orgId: org().orgCodg, transType: 'ec.query' })).body;
    expect(ok).toMatchObject({ code: '0', data: { userName: '张建国', insuOrg: '440100' } });
  });

  it('refuses a unified order whose amounts are not the 6202 split, or that lacks a field of the SDK sample', async () => {
    const o = await paidKioskOrder('zhou');
    const split = (await getJson(`${stack.urls.national}/sandbox/orders/${o.payOrdId}`)).order.split as { totalFen: number; fundFen: number; acctFen: number; cashFen: number };
    const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
    const centre = await kiosk.centreOrder(o.orderNo);
    const base = {
      orgCode: org().orgCodg, orgName: org().orgName, idNo: centre.idNo, userName: centre.name,
      idType: '01', payOrdId: o.payOrdId, operator: 'H5', outTradeNo: o.orderNo, frontBackUrl: 'https://h.example/', syncCalUrl: 'https://h.example/n',
      amount: yuan(split.acctFen + split.cashFen), feeSumamt: yuan(split.totalFen), fundPayAmt: yuan(split.fundFen), othPayAmt: '0',
    };
    const path = '/pmc/api/spc/unifiedOrder/UNION_CHS';
    expect(await kiosk.sealedToCentre(path, { ...base, amount: yuan(split.acctFen + split.cashFen + 1) })).toMatchObject({ code: '2003' });
    const { syncCalUrl: _dropped, ...noCallback } = base;
    expect(await kiosk.sealedToCentre(path, noCallback)).toMatchObject({ code: '1001' });
    expect(await kiosk.sealedToCentre(path, { ...base, outTradeNo: 'OTHER0001' })).toMatchObject({ code: '2007' });
    expect(await kiosk.sealedToCentre(path, base)).toEqual({ cashierUrl: o.qrCode });
  });
});
