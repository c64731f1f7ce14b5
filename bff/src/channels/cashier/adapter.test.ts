import type { OrderAnswer, RefundAnswer } from '../../national/messages';
import { NationalRejectedError } from '../../national/client';
import { CashierChannel, type CentreOrderLookup } from './adapter';

const STATUSES = { paidStatuses: ['SUCCESS'], failedStatuses: ['FAIL'], pendingStatuses: ['PAYING'] };
const split = { totalFen: 10_000, fundFen: 6_000, acctFen: 1_500, cashFen: 2_500 };
const ref = { payOrdId: 'ORD1', payToken: 'T1', identity: { idNo: '440106196503122134', name: '张建国' } };

function cashier(centre: { querySettlement?: () => Promise<OrderAnswer>; refund?: (i: unknown) => Promise<RefundAnswer> }, lookup: CentreOrderLookup = async () => ref) {
  const never = async (): Promise<never> => {
    throw new Error('not expected');
  };
  return new CashierChannel(
    { unifiedOrderPath: '/u', operator: 'H5', notifyPath: '/n', ...STATUSES, ackBody: '{"code":0}', timeoutMs: 1000, baseUrl: 'http://127.0.0.1:9', frontBackUrl: 'https://h.example/' },
    { baseUrl: 'http://127.0.0.1:9', appId: 'A'.repeat(32), appSecret: 'S', privateKey: 'k', platformPublicKey: 'p', sm2UserId: '1234567812345678', version: '2.0.1', orgCodg: 'H1', orgName: 'H', timeoutMs: 1000, settledOrdStas: ['6'] },
    { querySettlement: centre.querySettlement ?? never, refund: centre.refund ?? never, timestamp: () => '1' },
    lookup,
  );
}
const q = { outTradeNo: 'O1', channelRef: 'ORD1' };
const refund = { orderNo: 'O1', outTradeNo: 'O1', channelRef: 'ORD1', refundNo: 'RF1', refundFen: 2_500, paidCashFen: 2_500, reason: '退费' };

describe('the centre cashier channel, where the cashier SDK is silent', () => {
  it('reads a settled 6301 as the cashier paid, with the cash part of the split', async () => {
    const st = await cashier({ querySettlement: async () => ({ payOrdId: 'ORD1', ordStas: '6', split }) }).queryPayment(q);
    expect(st).toMatchObject({ status: 'paid', cashPaidFen: 2_500 });
  });

  it('reads an open 6301 as pending and a failed settlement as failed', async () => {
    expect((await cashier({ querySettlement: async () => ({ payOrdId: 'ORD1', ordStas: '1' }) }).queryPayment(q)).status).toBe('pending');
    expect((await cashier({ querySettlement: async () => ({ payOrdId: 'ORD1', ordStas: '15' }) }).queryPayment(q)).status).toBe('failed');
  });

  it('does not vouch for an order whose payOrdId is not the one the query names', async () => {
    const st = await cashier({}, async () => ({ ...ref, payOrdId: 'ORD2' })).queryPayment(q);
    expect(st.status).toBe('unknown');
  });

  it('refunds the self-pay part by 6203 CASH under one number per refund', async () => {
    const sent: unknown[] = [];
    const r = await cashier({ refund: async (i) => (sent.push(i), { refStatus: 'SUCC', refdSn: 'R9' }) }).refundCash(refund);
    expect(r).toEqual({ status: 'succeeded', channelRefundId: 'R9' });
    expect(sent).toEqual([expect.objectContaining({ payOrdId: 'ORD1', appRefdSn: 'RF1C', refdType: 'CASH', amounts: { totalFen: 2_500, fundFen: 0, acctFen: 0, cashFen: 2_500 } })]);
  });

  it('never records an unauthenticated refusal of the refund as final', async () => {
    const r = await cashier({
      refund: async () => {
        throw new NationalRejectedError('6203', '9999', '系统繁忙');
      },
    }).refundCash(refund);
    expect(r.status).toBe('processing');
  });
});
