/**
 * The day bill as CSV for HIS and finance staff: UTF-8 with a byte-order mark (so spreadsheet
 * programs read the Chinese headers), CRLF lines, amounts as yuan text through fenToYuan (the
 * only place yuan appear). Refund amounts are negative so that a column sums to the day's net.
 * Layout: the record header and one line per record, an empty line, the totals header and one
 * line per channel. Times are China time "yyyy-MM-dd HH:mm:ss".
 */
import { fenToYuan, plainChina, type Split } from '@mip/shared';
import { cellText, csvDocument, defused } from '../reports/csv';
import type { BillRecord, ChannelTotals, DayBill } from './contract';

const RECORD_HEADER = [
  '记录类型', '订单号', '业务类型', '渠道', '医保支付订单号', '医保结算ID', '商户订单号', '渠道交易号', '退款单号',
  '费用总额(元)', '统筹基金支付(元)', '个人账户支付(元)', '个人自付(元)', '时间', '状态', '患者',
];

const TOTALS_HEADER = [
  '渠道', '支付笔数', '支付总额(元)', '统筹基金(元)', '个人账户(元)', '个人自付(元)',
  '退款笔数', '退款总额(元)', '退款统筹基金(元)', '退款个人账户(元)', '退款个人自付(元)', '处理中退款笔数', '净额(元)', '净自付(元)',
];

const CHANNEL_TEXT: Record<BillRecord['channel'], string> = { wechat: '微信', alipay: '支付宝', kiosk: '自助机', cashier: '医保收银台' };
const KIND_TEXT: Record<BillRecord['kind'], string> = { registration: '挂号', outpatient: '门诊' };

/** A text cell as written to the file: quoted when needed; a leading formula character is neutralised. */
export function textCell(v: string | undefined): string {
  return cellText(defused(v));
}

function yuan(fen: number, sign: 1 | -1 = 1): string {
  return fenToYuan(sign * fen);
}

function splitCells(s: Split, sign: 1 | -1): string[] {
  return [yuan(s.totalFen, sign), yuan(s.fundFen, sign), yuan(s.acctFen, sign), yuan(s.cashFen, sign)];
}

function recordRow(r: BillRecord): string[] {
  const type = r.type === 'payment' ? '支付' : r.requestedBy === 'reversal' ? '冲正退款' : '退款';
  const text = [type, r.orderNo, KIND_TEXT[r.kind], CHANNEL_TEXT[r.channel], r.payOrdId, r.setlId, r.outTradeNo, r.cashTradeNo, r.refundNo].map(defused);
  const money = splitCells(r.amounts, r.type === 'payment' ? 1 : -1);
  return [...text, ...money, defused(plainChina(r.time)), defused(r.state), defused(r.patient.nameMasked)];
}

function totalsRow(t: ChannelTotals): string[] {
  return [
    defused(CHANNEL_TEXT[t.channel]), String(t.paymentCount), ...splitCells(t.paid, 1),
    String(t.refundCount), ...splitCells(t.refunded, 1), String(t.refundsPending), fenToYuan(t.net.totalFen), fenToYuan(t.net.cashFen),
  ];
}

export function dayBillCsv(bill: DayBill): string {
  return csvDocument([RECORD_HEADER, ...bill.records.map(recordRow)], [TOTALS_HEADER, ...bill.totals.map(totalsRow)]);
}
