import type { AlipayConfig } from '../../config/channels';
import type { CreatePaymentInput } from '../port';
import { isPlainNotification, plainTradeBiz, toPlainStatus } from './plain';

const cfg = { userIdType: 'user_id' } as AlipayConfig;
const q = {
  orderNo: 'R261206120000ABCDEF',
  kind: 'registration',
  title: '挂号：内科 林国华',
  openId: '2088000000000006',
  amounts: { totalFen: 6000, fundFen: 0, acctFen: 0, cashFen: 6000 },
  payer: { name: '赵丽华', idNo: '440103199008074416' },
  cashOnly: true,
  createdAt: '2026-12-06T04:00:00.000Z',
  expiresAt: '2026-12-06T04:15:00.000Z',
  notifyUrl: 'https://h.example.cn/notify/alipay/payment',
} as CreatePaymentInput;
const at = { outTradeNo: q.orderNo, channelRef: 'T1' };

describe('the 自费 plain Alipay trade', () => {
  it('asks alipay.trade.create for the whole amount in yuan, with the buyer and no medical field', () => {
    expect(plainTradeBiz(q, cfg)).toEqual({
      out_trade_no: 'R261206120000ABCDEF',
      total_amount: '60.00',
      subject: '挂号：内科 林国华',
      product_code: 'JSAPI_PAY',
      buyer_id: '2088000000000006',
      time_expire: '2026-12-06 12:15:00',
    });
  });

  it('refuses to make a plain trade of an order with an insurance part', () => {
    expect(() => plainTradeBiz({ ...q, amounts: { totalFen: 6000, fundFen: 1000, acctFen: 0, cashFen: 5000 } }, cfg)).toThrow(/all self-pay/);
  });

  it('reads TRADE_SUCCESS as paid with the buyer amount in fen', () => {
    expect(toPlainStatus({ trade_status: 'TRADE_SUCCESS', buyer_pay_amount: '60.00', send_pay_date: '2026-12-06 12:01:02' }, at)).toMatchObject({ status: 'paid', cashPaidFen: 6000, paidAt: '2026-12-06T04:01:02.000Z' });
  });

  it('reads WAIT_BUYER_PAY as pending, TRADE_CLOSED as failed or refunded, anything else as unknown', () => {
    expect(toPlainStatus({ trade_status: 'WAIT_BUYER_PAY' }, at).status).toBe('pending');
    expect(toPlainStatus({ trade_status: 'TRADE_CLOSED' }, at).status).toBe('failed');
    expect(toPlainStatus({ trade_status: 'TRADE_CLOSED', refund_fee: '60.00' }, at).status).toBe('refunded');
    expect(toPlainStatus({ trade_status: 'SOMETHING_NEW' }, at).status).toBe('unknown');
  });

  it('tells a plain trade notification from a medical one', () => {
    expect(isPlainNotification({ out_trade_no: 'R1', trade_status: 'TRADE_SUCCESS' })).toBe(true);
    expect(isPlainNotification({ out_trade_no: 'R1', trade_status: 'TRADE_SUCCESS', pay_order_id: 'ORD1', own_pay_status: 'SUCCESS' })).toBe(false);
  });
});
