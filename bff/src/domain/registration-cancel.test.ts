import { orderFixture } from './fixtures';
import type { Order, Refund } from './order';
import { cancelRefundNo, checkCancel, refundStateLabel } from './registration-cancel';

// 2026-11-25 08:00 China time = 2026-11-25T00:00:00Z
const paidRegistration = (over: Partial<Order> = {}): Order => {
  const o = orderFixture({ kind: 'registration', state: 'completed', ...over });
  o.preSettlement.visit = { ...o.preSettlement.visit, begntime: '2026-11-25 08:00:00' };
  return o;
};
const at = (iso: string) => new Date(iso);

describe('退号: when a patient may cancel a paid registration', () => {
  it('allows it before the session starts', () => {
    expect(checkCancel(paidRegistration(), at('2026-11-24T23:59:00Z'), 0)).toEqual({ ok: true, repeat: false });
  });

  it('refuses it once the session has started', () => {
    expect(checkCancel(paidRegistration(), at('2026-11-25T00:00:00Z'), 0)).toEqual({ ok: false, why: 'too_late' });
  });

  it('refuses it within the configured cut-off before the session', () => {
    expect(checkCancel(paidRegistration(), at('2026-11-24T23:00:00Z'), 120)).toEqual({ ok: false, why: 'too_late' });
  });

  it('refuses it for an outpatient order', () => {
    expect(checkCancel(paidRegistration({ kind: 'outpatient' }), at('2026-11-24T00:00:00Z'), 0)).toEqual({ ok: false, why: 'not_allowed' });
  });

  it('refuses it for an order that is not completed', () => {
    expect(checkCancel(paidRegistration({ state: 'paid' }), at('2026-11-24T00:00:00Z'), 0)).toEqual({ ok: false, why: 'not_allowed' });
  });

  it('answers a repeat once the cancellation exists, even after the session started', () => {
    const o = paidRegistration({ state: 'refunded' });
    o.refunds = [{ refundNo: cancelRefundNo(o.orderNo), requestedBy: 'patient', state: 'succeeded', amounts: o.amounts, reason: '患者退号', createdAt: '2026-11-24T00:00:00Z' }];
    expect(checkCancel(o, at('2026-11-26T00:00:00Z'), 0)).toEqual({ ok: true, repeat: true });
  });
});

describe('a refund state in the patient’s words', () => {
  const r = (over: Partial<Refund>): Refund => ({ refundNo: 'R1', requestedBy: 'patient', state: 'requested', amounts: { totalFen: 100, fundFen: 60, acctFen: 0, cashFen: 40 }, reason: '患者退号', createdAt: '2026-11-24T00:00:00Z', ...over });

  it.each([
    ['申请中', r({})],
    ['医保已退', r({ state: 'insurance_refunded' })],
    ['自费已退', r({ state: 'insurance_refunded', cash: { outcome: 'succeeded' } })],
    ['已完成', r({ state: 'succeeded' })],
    ['需人工处理', r({ state: 'manual_review' })],
    ['未退款', r({ state: 'failed' })],
  ])('says %s', (label, refund) => {
    expect(refundStateLabel(refund)).toBe(label);
  });
});
