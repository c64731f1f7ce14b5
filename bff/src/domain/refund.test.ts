import { orderFixture } from './fixtures';
import { requestRefund, RefundRefused } from './refund';

const now = new Date('2026-11-23T03:00:00.000Z');
const completed = () => orderFixture({ state: 'completed' });
const req = (over = {}) => ({ refundNo: 'RF1', amounts: { fundFen: 0, acctFen: 0, cashFen: 1_000 }, reason: '退费', requestedBy: 'his' as const, ...over });

describe('refund admission', () => {
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
});
