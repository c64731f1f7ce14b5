import { ChannelRejectedError, type CreatePaymentInput } from '../port';
import { toCreatedPayment } from './medical';

const q = { orderNo: 'GH1', payOrdId: 'ORD1' } as CreatePaymentInput;
// the answer's fields as AJ response/AlipayCommerceMedicalTradeCreateandpayResponse.java names them
const answer = { code: '10000', trade_no: '2026120630001', out_trade_no: 'GH1', med_org_ord: 'GH1', pay_order_id: 'ORD1', pay_url: 'https://render.alipay.com/p/x', order_type: 'INSURANCE_PAY', alipay_trade_no: '2026120622001' };

describe('the createandpay answer', () => {
  it('gives the trade number and the pay page', () => {
    expect(toCreatedPayment(answer, q)).toEqual({ payParams: { channel: 'alipay', payUrl: 'https://render.alipay.com/p/x', tradeNo: '2026120630001' }, channelRef: '2026120630001', outTradeNo: 'GH1' });
  });

  it.each([['out_trade_no', 'GH2'], ['pay_order_id', 'ORD2'], ['med_org_ord', 'GH2']])('refuses an answer whose %s names another order', (field, value) => {
    expect(() => toCreatedPayment({ ...answer, [field]: value }, q)).toThrow(ChannelRejectedError);
  });

  it('refuses an answer without pay_url', () => {
    expect(() => toCreatedPayment({ ...answer, pay_url: undefined }, q)).toThrow(/pay_url/);
  });
});
