import { AlipayStatusMap } from '../../config/channels';
import { readRefund, readTrade } from './status';

const defaults = AlipayStatusMap.parse({});
const mixed = { gov_amount: '20.00', account_amount: '5.00', other_amount: '0.00', real_amount: '10.00' };

describe('Alipay medical trade statuses read through the configured map', () => {
  it('reads a successful trade with both legs taken as paid', () => {
    expect(readTrade(defaults, { ...mixed, trade_status: 'TRADE_SUCCESS', medical_pay_status: 'SUCCESS', own_pay_status: 'SUCCESS' })).toEqual({ status: 'paid', legs: { cash: 'taken', insurance: 'taken' } });
  });

  it('reads a successful trade without leg statuses as paid, the legs following the trade', () => {
    expect(readTrade(defaults, { ...mixed, trade_status: 'TRADE_SUCCESS' })).toMatchObject({ status: 'paid' });
  });

  it('awaits confirmation when a leg status is not in the map', () => {
    expect(readTrade(defaults, { ...mixed, trade_status: 'TRADE_SUCCESS', medical_pay_status: 'MEDICAL_PAY_PROCESSING', own_pay_status: 'SUCCESS' })).toEqual({ status: 'unknown', legs: { cash: 'taken', insurance: 'unknown' } });
  });

  it('awaits confirmation when the trade status is not in the map', () => {
    expect(readTrade(defaults, { ...mixed, trade_status: 'TRADE_PENDING_REVIEW' }).status).toBe('unknown');
  });

  it('awaits confirmation when a successful trade says a leg with money failed', () => {
    expect(readTrade(defaults, { ...mixed, trade_status: 'TRADE_SUCCESS', medical_pay_status: 'FAIL', own_pay_status: 'SUCCESS' }).status).toBe('unknown');
  });

  it('reads a closed trade whose insurance failed after the cash was taken as failed with the cash leg taken', () => {
    expect(readTrade(defaults, { ...mixed, trade_status: 'TRADE_CLOSED', medical_pay_status: 'FAIL', own_pay_status: 'SUCCESS' })).toEqual({ status: 'failed', legs: { cash: 'taken', insurance: 'not_taken' } });
  });

  it('reads a closed trade with money refunded as refunded', () => {
    expect(readTrade(defaults, { ...mixed, trade_status: 'TRADE_CLOSED', refund_amount: '10.00', own_pay_status: 'REFUND', medical_pay_status: 'SUCCESS' }).status).toBe('refunded');
  });

  it('reads an all-insurance trade without an own_pay_status as paid with nothing taken in cash', () => {
    expect(readTrade(defaults, { gov_amount: '30.00', account_amount: '0.00', other_amount: '0.00', real_amount: '0.00', trade_status: 'TRADE_SUCCESS', medical_pay_status: 'SUCCESS' })).toEqual({ status: 'paid', legs: { cash: 'not_taken', insurance: 'taken' } });
  });

  it('follows a map given in configuration instead of the inferred defaults', () => {
    const custom = AlipayStatusMap.parse({ trade: { PAID: 'success', OPEN: 'pending' }, leg: { S: 'taken' } });
    expect(readTrade(custom, { ...mixed, trade_status: 'PAID', medical_pay_status: 'S', own_pay_status: 'S' }).status).toBe('paid');
    expect(readTrade(custom, { ...mixed, trade_status: 'TRADE_SUCCESS', medical_pay_status: 'S', own_pay_status: 'S' }).status).toBe('unknown');
  });

  it('reads refund_status through the map and an unknown value as still processing', () => {
    expect(readRefund(defaults, 'SUCCESS')).toBe('succeeded');
    expect(readRefund(defaults, 'REFUND_FAIL')).toBe('failed');
    expect(readRefund(defaults, 'WHATEVER')).toBe('processing');
    expect(readRefund(defaults, undefined)).toBe('processing');
  });
});
