import { orderFixture } from './fixtures';
import { nextRefundStep, onRefundFinished, onRefundStep, requestRefund, RefundRefused } from './refund';

const now = new Date('2026-11-23T03:00:00.000Z');
const completed = () => orderFixture({ state: 'completed' });
const req = (over = {}) => ({ refundNo: 'RF1', amounts: { fundFen: 0, acctFen: 0, cashFen: 1_000 }, reason: '退费', requestedBy: 'his' as const, ...over });

describe('refund policy', () => {
  it('creates a refund and queues its job', () => {
    const c = requestRefund(completed(), req(), now)!;
    expect(c.order.refunds[0]).toMatchObject({ refundNo: 'RF1', state: 'requested', amounts: { totalFen: 1_000, cashFen: 1_000 } });
    expect(c.jobs[0]).toMatchObject({ type: 'refund.run', data: { refundNo: 'RF1' } });
  });

  it('answers a repeated refund number with the same content by doing nothing', () => {
    const o = requestRefund(completed(), req(), now)!.order;
    expect(requestRefund(o, req(), now)).toBeNull();
  });

  it('refuses a repeated refund number with other amounts', () => {
    const o = requestRefund(completed(), req(), now)!.order;
    expect(() => requestRefund(o, req({ amounts: { fundFen: 0, acctFen: 0, cashFen: 999 } }), now)).toThrow(RefundRefused);
  });

  it('never refunds more than was paid, counting earlier refunds', () => {
    const o = completed();
    o.refunds.push({ refundNo: 'RF0', requestedBy: 'his', state: 'succeeded', amounts: { totalFen: 2_000, fundFen: 0, acctFen: 0, cashFen: 2_000 }, reason: 'x', createdAt: '' });
    expect(() => requestRefund(o, req(), now)).toThrow(expect.objectContaining({ code: 'REFUND_EXCEEDS_PAYMENT' }));
  });

  it('refuses refunds of an order that is not completed', () => {
    expect(() => requestRefund(orderFixture({ state: 'paid' }), req(), now)).toThrow(expect.objectContaining({ code: 'REFUND_NOT_ALLOWED' }));
  });

  it('refunds the insurance part before the self-pay part and ends partially refunded', () => {
    let o = requestRefund(completed(), req({ amounts: { fundFen: 600, acctFen: 150, cashFen: 250 } }), now)!.order;
    expect(nextRefundStep(o.refunds[0])).toBe('insurance');
    o = onRefundStep(o, 'RF1', { step: 'insurance', outcome: 'SUCC', refdSn: 'ORD9' }, now).change!.order;
    expect(nextRefundStep(o.refunds[0])).toBe('cash');
    o = onRefundStep(o, 'RF1', { step: 'cash', outcome: 'succeeded' }, now).change!.order;
    expect(nextRefundStep(o.refunds[0])).toBe('finish');
    expect(onRefundFinished(o, 'RF1', now)!.order.state).toBe('partially_refunded');
  });

  it('ends refunded when everything went back', () => {
    let o = requestRefund(completed(), req({ amounts: { fundFen: 6_000, acctFen: 1_500, cashFen: 2_500 } }), now)!.order;
    o = onRefundStep(o, 'RF1', { step: 'insurance', outcome: 'SUCC' }, now).change!.order;
    o = onRefundStep(o, 'RF1', { step: 'cash', outcome: 'succeeded' }, now).change!.order;
    expect(onRefundFinished(o, 'RF1', now)!.order.state).toBe('refunded');
  });

  it('sends an unclear insurance refund (EXP) to a person instead of retrying it', () => {
    const o = requestRefund(completed(), req({ amounts: { fundFen: 600, acctFen: 0, cashFen: 0 } }), now)!.order;
    const d = onRefundStep(o, 'RF1', { step: 'insurance', outcome: 'EXP', detail: 'EXP' }, now);
    expect(d.retryInMs).toBeUndefined();
    expect(d.change!.order.state).toBe('manual_review');
  });
});
