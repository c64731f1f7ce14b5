import { dayBillCsv, textCell } from './csv';
import { buildDayBill } from './records';
import { DAY, paidOrder, refund } from './test-fixtures';

const now = new Date('2026-11-24T02:00:00.000Z');

function day() {
  return [
    paidOrder(1),
    paidOrder(2, { state: 'partially_refunded', refunds: [refund({ refundNo: 'RFPART', amounts: { totalFen: 1_234, fundFen: 0, acctFen: 0, cashFen: 1_234 } })] }),
    paidOrder(3, { channel: 'alipay', payment: { ...paidOrder(3).payment!, channel: 'alipay' } }),
  ];
}

describe('the day bill for HIS', () => {
  it('lists every payment and refund of the day with the insurance and self-pay split in fen', () => {
    const bill = buildDayBill(day(), DAY, now);
    expect(bill.records.map((r) => [r.type, r.orderNo, r.amounts.totalFen, r.amounts.cashFen])).toEqual([
      ['payment', day()[0].orderNo, 10_000, 2_500],
      ['payment', day()[1].orderNo, 10_000, 2_500],
      ['payment', day()[2].orderNo, 10_000, 2_500],
      ['refund', day()[1].orderNo, 1_234, 1_234],
    ]);
    expect(bill.records[3]).toMatchObject({ refundNo: 'RFPART', payOrdId: 'ORD2', outTradeNo: day()[1].orderNo, cashTradeNo: '42002', time: '2026-11-23T06:00:05.000Z' });
  });

  it('totals each channel: payments, succeeded refunds, pending refunds apart and the net', () => {
    const orders = day();
    orders[0].refunds.push(refund({ refundNo: 'RFWAIT', state: 'requested', finishedAt: undefined }));
    const wechat = buildDayBill(orders, DAY, now).totals.find((t) => t.channel === 'wechat')!;
    expect(wechat).toMatchObject({ paymentCount: 2, refundCount: 1, refundsPending: 1 });
    expect(wechat.paid).toEqual({ totalFen: 20_000, fundFen: 12_000, acctFen: 3_000, cashFen: 5_000 });
    expect(wechat.net).toEqual({ totalFen: 18_766, fundFen: 12_000, acctFen: 3_000, cashFen: 3_766 });
  });

  it('keeps to one channel when asked', () => {
    const bill = buildDayBill(day(), DAY, now, 'alipay');
    expect(bill.records.map((r) => r.channel)).toEqual(['alipay']);
    expect(bill.totals.map((t) => t.channel)).toEqual(['alipay']);
  });

  it('shows the patient masked and nothing else personal', () => {
    const text = JSON.stringify(buildDayBill(day(), DAY, now));
    expect(text).toContain('张**');
    expect(text).not.toMatch(/sealed|hash-of-id|piiSealed|patientIdHash/);
  });

  it('puts a refund of an order paid days before on the day the refund was requested', () => {
    const old = paidOrder(9, { paidAt: '2026-11-20T02:00:00.000Z', refunds: [refund()] });
    expect(buildDayBill([old], DAY, now).records.map((r) => r.type)).toEqual(['refund']);
    expect(buildDayBill([old], '2026-11-20', now).records.map((r) => r.type)).toEqual(['payment']);
  });
});

describe('the day bill as CSV', () => {
  const csv = () => dayBillCsv(buildDayBill(day(), DAY, now));
  const lines = () => csv().replace(/^\uFEFF/, '').split('\r\n');

  it('starts with a UTF-8 byte-order mark and the record header, with CRLF lines', () => {
    expect(csv().startsWith('\uFEFF记录类型,订单号,')).toBe(true);
    expect(csv().endsWith('\r\n')).toBe(true);
    expect(csv()).not.toMatch(/[^\r]\n/);
  });

  it('writes amounts as yuan text with two decimals, refunds negative', () => {
    const [payment, , , refundLine] = lines().slice(1, 5);
    expect(payment.split(',').slice(9, 13)).toEqual(['100.00', '60.00', '15.00', '25.00']);
    expect(refundLine.split(',').slice(0, 1)).toEqual(['退款']);
    expect(refundLine.split(',').slice(9, 13)).toEqual(['-12.34', '0.00', '0.00', '-12.34']);
  });

  it('writes times in China time', () => {
    expect(lines()[1]).toContain(',2026-11-23 12:00:00,');
  });

  it('ends with one totals line per channel after an empty line', () => {
    const l = lines();
    const at = l.indexOf('');
    expect(l[at + 1].startsWith('渠道,支付笔数,')).toBe(true);
    expect(l[at + 2].split(',').slice(0, 3)).toEqual(['微信', '2', '200.00']);
    expect(l[at + 3].split(',').slice(0, 3)).toEqual(['支付宝', '1', '100.00']);
  });

  it('quotes text with commas or quotes and defuses formula characters', () => {
    expect(textCell('a,b')).toBe('"a,b"');
    expect(textCell('say "hi"')).toBe('"say ""hi"""');
    expect(textCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(textCell(undefined)).toBe('');
  });
});
