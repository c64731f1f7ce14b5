import { OrderView } from '@mip/shared';
import { orderFixture } from '../domain/fixtures';
import { paymentsOf, toOrderView } from './views';

const at = '2026-11-23T02:05:00.000Z';

describe('the payments of an order view', () => {
  it('lists none while nothing was taken', () => {
    const view = toOrderView(orderFixture());
    expect(view.payments).toEqual([]);
    expect(OrderView.parse(view).payments).toEqual([]);
  });

  it('lists the insurance part and the self-pay part once both are known, insurance first', () => {
    const o = orderFixture({
      state: 'completed',
      paidAt: at,
      evidence: {
        insuranceSettled: { source: 'notify_6302', ordStas: '6', at },
        cashPaid: { source: 'channel_notify', at: '2026-11-23T10:04:59+08:00', cashTradeNo: '4200' },
      },
    });
    const view = toOrderView(o);
    expect(view.payments).toEqual([
      { kind: 'insurance', amountFen: 7_500, at, channel: 'wechat' },
      { kind: 'self_pay', amountFen: 2_500, at: '2026-11-23T10:04:59+08:00', channel: 'wechat' },
    ]);
    expect(() => OrderView.parse(view)).not.toThrow();
  });

  it('shows an insurance-only settlement as one payment (no self-pay leg was needed)', () => {
    const o = orderFixture({
      state: 'completed',
      amounts: { totalFen: 6_000, fundFen: 5_400, acctFen: 600, cashFen: 0 },
      evidence: { insuranceSettled: { source: 'query_6301', ordStas: '6', at }, cashPaid: { source: 'not_needed', at } },
    });
    expect(paymentsOf(o)).toEqual([{ kind: 'insurance', amountFen: 6_000, at, channel: 'wechat' }]);
  });

  it('shows a self-pay part already taken while the centre has not confirmed yet', () => {
    const o = orderFixture({ state: 'awaiting_confirmation', evidence: { cashPaid: { source: 'channel_query', at } } });
    expect(paymentsOf(o)).toEqual([{ kind: 'self_pay', amountFen: 2_500, at, channel: 'wechat' }]);
  });

  it('names the channel the money went through, the centre cashier of a kiosk order included', () => {
    const o = orderFixture({
      channel: 'kiosk',
      payment: { channel: 'cashier', channelRef: 'ORD1', outTradeNo: 'O1', createdAt: at, expiresAt: at },
      evidence: { insuranceSettled: { source: 'notify_6302', ordStas: '6', at }, cashPaid: { source: 'channel_notify', at } },
    });
    expect(paymentsOf(o).map((p) => p.channel)).toEqual(['cashier', 'cashier']);
  });
});
