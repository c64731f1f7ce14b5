/**
 * K1/K2 through real HTTP: a kiosk device (HMAC-signed calls), the BFF, the sandbox centre
 * (e-voucher QR decoding, 6201/6202 with ecToken, its own cashier, 6302), the sandbox HIS and a
 * real redis-server. The patient shows the e-voucher QR, the kiosk shows the cashier QR, the
 * patient pays on the phone, and the order completes through the centre's notification.
 */
import { kioskApi as api } from '@mip/shared';
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
