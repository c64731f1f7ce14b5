import { startHis, type RunningHis } from '../../../sandbox/his/testing';
import { HisUnclearError, type HisPort } from '../../../bff/src/his/port';
import { adapterFor, preSettledBills, settlementOf, ZHANG } from '../../support/his-fixtures';

let his: RunningHis;
let port: HisPort;
/** short timeout: the "never answers" faults are given up on quickly */
let impatient: HisPort;

beforeAll(async () => {
  his = await startHis();
  port = adapterFor(his);
  impatient = adapterFor(his, { timeoutMs: 300 });
});
afterAll(() => his.stop());
beforeEach(() => his.reset());

async function paidOrder(orderNo: string) {
  const ps = await preSettledBills(port, ZHANG, orderNo);
  return settlementOf(orderNo, ps);
}

describe('HIS adapter: write-back, reversal, refund and trade-check (M5, C6)', () => {
  it('records a settlement and answers its receipt number', async () => {
    const s = await paidOrder('ORD-W1');
    const r = await port.writeBackSettlement(s, { idempotencyKey: s.orderNo });
    expect(r).toEqual({ outcome: 'recorded', hisReceiptNo: expect.stringMatching(/^SJ\d+/) });
    expect((await his.ledger(s.orderNo)).settlements).toEqual([expect.objectContaining({ orderNo: 'ORD-W1', totalFen: 7850, channel: 'wechat' })]);
  });

  it('sends the order number as Idempotency-Key on a mutating call', async () => {
    const s = await paidOrder('ORD-W2');
    // the fault is keyed on the Idempotency-Key, so it only fires if the header carried it
    await his.fault({ op: 'writeBack', kind: 'fail', key: 'ORD-W2', code: '504', message: '处方已缴费' });
    expect(await port.writeBackSettlement(s, { idempotencyKey: s.orderNo })).toEqual({ outcome: 'rejected', code: '504', reason: '处方已缴费', refusal: 'business' });
  });

  it('reads "already settled" as recorded, with the receipt HIS has', async () => {
    const s = await paidOrder('ORD-W508');
    const first = await port.writeBackSettlement(s, { idempotencyKey: s.orderNo });
    await his.fault({ op: 'writeBack', kind: 'fail', key: 'ORD-W508', code: '508', message: '已结算' });
    expect(await port.writeBackSettlement(s, { idempotencyKey: s.orderNo })).toEqual(first);
  });

  it('marks a refusal of a malformed request as a request problem, not a business one', async () => {
    const s = await paidOrder('ORD-W100');
    await his.fault({ op: 'writeBack', kind: 'fail', key: 'ORD-W100', code: '100', message: '参数错误', status: 400 });
    expect(await port.writeBackSettlement(s, { idempotencyKey: s.orderNo })).toMatchObject({ outcome: 'rejected', code: '100', refusal: 'request' });
  });

  it('says a written-back settlement is booked, with the same receipt number', async () => {
    const s = await paidOrder('ORD-W3');
    const r = await port.writeBackSettlement(s, { idempotencyKey: s.orderNo });
    if (r.outcome !== 'recorded') throw new Error('expected recorded');
    expect(await port.queryBooking({ orderNo: s.orderNo, kind: 'settlement' })).toEqual({ booked: true, hisReceiptNo: r.hisReceiptNo });
  });

  it('says an order it never saw is not booked', async () => {
    expect(await port.queryBooking({ orderNo: 'ORD-NEVER', kind: 'settlement' })).toEqual({ booked: false });
  });

  it('rejects a settlement whose total differs from the pre-settlement', async () => {
    const s = await paidOrder('ORD-W4');
    const wrong = { ...s, amounts: { ...s.amounts, totalFen: s.amounts.totalFen + 1, cashFen: s.amounts.cashFen + 1 } };
    expect(await port.writeBackSettlement(wrong, { idempotencyKey: s.orderNo })).toMatchObject({ outcome: 'rejected', code: '506' });
  });

  it('reverses the insurance part of an order HIS could not book', async () => {
    const s = await paidOrder('ORD-W5');
    const r = await port.reverseInsurance({ orderNo: s.orderNo, payOrdId: s.payOrdId, revsToken: 'REVS-1', amounts: s.amounts }, { idempotencyKey: s.orderNo });
    expect(r).toEqual({ outcome: 'reversed', hisReversalNo: expect.stringMatching(/^CZ\d+/) });
    expect(await port.queryBooking({ orderNo: s.orderNo, kind: 'reversal' })).toEqual({ booked: true, hisReceiptNo: (r as { hisReversalNo: string }).hisReversalNo });
  });

  it('rejects reversing an order it has already booked', async () => {
    const s = await paidOrder('ORD-W6');
    await port.writeBackSettlement(s, { idempotencyKey: s.orderNo });
    expect(await port.reverseInsurance({ orderNo: s.orderNo, payOrdId: s.payOrdId, amounts: s.amounts }, { idempotencyKey: s.orderNo })).toMatchObject({
      outcome: 'rejected',
      code: '508',
    });
  });

  it('rejects a reversal with the documented code when the HIS does not offer one', async () => {
    await his.configure({ supportsReversal: false });
    const s = await paidOrder('ORD-W7');
    expect(await port.reverseInsurance({ orderNo: s.orderNo, payOrdId: s.payOrdId, amounts: s.amounts }, { idempotencyKey: s.orderNo })).toMatchObject({
      outcome: 'rejected',
      code: '507',
    });
  });

  it('reports the configured reversal capability', () => {
    expect(adapterFor(his, { supportsReversal: false }).capabilities).toEqual({ reversal: false, patientIndex: 'idNo' });
  });

  it('records a refund of a booked settlement and finds it by refund number', async () => {
    const s = await paidOrder('ORD-W8');
    await port.writeBackSettlement(s, { idempotencyKey: s.orderNo });
    const r = await port.refundSettlement({ orderNo: s.orderNo, refundNo: 'RF-W8', amounts: s.amounts }, { idempotencyKey: 'RF-W8' });
    expect(r).toEqual({ outcome: 'recorded', hisReceiptNo: expect.stringMatching(/^TF\d+/) });
    expect(await port.queryBooking({ orderNo: s.orderNo, kind: 'refund', refundNo: 'RF-W8' })).toMatchObject({ booked: true });
    expect(await port.queryBooking({ orderNo: s.orderNo, kind: 'refund', refundNo: 'RF-OTHER' })).toEqual({ booked: false });
  });

  it('rejects a refund larger than what is left to refund', async () => {
    const s = await paidOrder('ORD-W9');
    await port.writeBackSettlement(s, { idempotencyKey: s.orderNo });
    await port.refundSettlement({ orderNo: s.orderNo, refundNo: 'RF-W9a', amounts: s.amounts }, { idempotencyKey: 'RF-W9a' });
    expect(await port.refundSettlement({ orderNo: s.orderNo, refundNo: 'RF-W9b', amounts: s.amounts }, { idempotencyKey: 'RF-W9b' })).toMatchObject({
      outcome: 'rejected',
      code: '510',
    });
  });
});

describe('HIS adapter: unclear answers on write-back', () => {
  it('throws HisUnclearError when HIS books the settlement but never answers, and trade-check then finds it', async () => {
    const s = await paidOrder('ORD-F1');
    await his.fault({ op: 'writeBack', kind: 'timeout', after: 'act' });
    await expect(impatient.writeBackSettlement(s, { idempotencyKey: s.orderNo })).rejects.toBeInstanceOf(HisUnclearError);
    expect(await port.queryBooking({ orderNo: s.orderNo, kind: 'settlement' })).toEqual({ booked: true, hisReceiptNo: expect.stringMatching(/^SJ/) });
  });

  it('throws HisUnclearError when HIS times out before acting, and trade-check then finds nothing', async () => {
    const s = await paidOrder('ORD-F2');
    await his.fault({ op: 'writeBack', kind: 'timeout' });
    await expect(impatient.writeBackSettlement(s, { idempotencyKey: s.orderNo })).rejects.toBeInstanceOf(HisUnclearError);
    expect(await port.queryBooking({ orderNo: s.orderNo, kind: 'settlement' })).toEqual({ booked: false });
  });

  it('throws HisUnclearError when HIS drops the connection after booking', async () => {
    const s = await paidOrder('ORD-F3');
    await his.fault({ op: 'writeBack', kind: 'drop', after: 'act' });
    await expect(port.writeBackSettlement(s, { idempotencyKey: s.orderNo })).rejects.toBeInstanceOf(HisUnclearError);
    expect(await port.queryBooking({ orderNo: s.orderNo, kind: 'settlement' })).toMatchObject({ booked: true });
  });

  it('throws HisUnclearError on a non-standard JSON answer ({"result":"处理中"})', async () => {
    const s = await paidOrder('ORD-F4');
    await his.fault({ op: 'writeBack', kind: 'ambiguous', after: 'act' });
    await expect(port.writeBackSettlement(s, { idempotencyKey: s.orderNo })).rejects.toBeInstanceOf(HisUnclearError);
    expect(await port.queryBooking({ orderNo: s.orderNo, kind: 'settlement' })).toMatchObject({ booked: true });
  });

  it('throws HisUnclearError on an HTML answer', async () => {
    const s = await paidOrder('ORD-F5');
    await his.fault({ op: 'writeBack', kind: 'ambiguous', code: 'html' });
    await expect(port.writeBackSettlement(s, { idempotencyKey: s.orderNo })).rejects.toThrow(/not JSON/);
    expect(await port.queryBooking({ orderNo: s.orderNo, kind: 'settlement' })).toEqual({ booked: false });
  });

  it('throws HisUnclearError on an HTTP 500 system error', async () => {
    const s = await paidOrder('ORD-F6');
    await his.fault({ op: 'writeBack', kind: 'fail', status: 500 });
    await expect(port.writeBackSettlement(s, { idempotencyKey: s.orderNo })).rejects.toBeInstanceOf(HisUnclearError);
  });

  it('throws HisUnclearError on a "processing" code outside the refusal bands', async () => {
    const s = await paidOrder('ORD-F7');
    await his.fault({ op: 'writeBack', kind: 'fail', code: '201', message: '处理中，请稍后查询' });
    await expect(port.writeBackSettlement(s, { idempotencyKey: s.orderNo })).rejects.toBeInstanceOf(HisUnclearError);
  });

  it('returns rejected on a documented business refusal', async () => {
    const s = await paidOrder('ORD-F8');
    await his.fault({ op: 'writeBack', kind: 'fail' });
    expect(await port.writeBackSettlement(s, { idempotencyKey: s.orderNo })).toEqual({ outcome: 'rejected', code: '500', reason: '业务处理失败', refusal: 'business' });
    expect((await his.ledger(s.orderNo)).settlements).toHaveLength(0);
  });

  it('never reads a failed trade-check as "not booked"', async () => {
    await his.fault({ op: 'tradeCheck', kind: 'fail', times: -1 });
    await expect(port.queryBooking({ orderNo: 'ORD-F9', kind: 'settlement' })).rejects.toBeInstanceOf(HisUnclearError);
  });
});

describe('HIS write-back is not idempotent by default', () => {
  it('books a second settlement when the same order is written back twice', async () => {
    const s = await paidOrder('ORD-D1');
    const first = await port.writeBackSettlement(s, { idempotencyKey: s.orderNo });
    const second = await port.writeBackSettlement(s, { idempotencyKey: s.orderNo });
    expect(first).toMatchObject({ outcome: 'recorded' });
    expect(second).toMatchObject({ outcome: 'recorded' });
    expect(second).not.toEqual(first);
    expect((await his.ledger(s.orderNo)).orders[s.orderNo]).toEqual({ settlements: 2, duplicateBookings: 1, reversals: 0, refunds: 0 });
  });

  it('books once when the HIS is configured to de-duplicate on the order number', async () => {
    await his.configure({ idempotentWriteBack: true });
    const s = await paidOrder('ORD-D2');
    const first = await port.writeBackSettlement(s, { idempotencyKey: s.orderNo });
    const second = await port.writeBackSettlement(s, { idempotencyKey: s.orderNo });
    expect(second).toEqual(first);
    expect((await his.ledger(s.orderNo)).orders[s.orderNo]).toMatchObject({ settlements: 1, duplicateBookings: 0 });
  });
});
