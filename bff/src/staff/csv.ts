import { fenToYuan, plainChina } from '@mip/shared';
import { BOM, cellText, csvDocument, defused } from '../reports/csv';
import type { StaffOrderRow } from './contract';

/**
 * The order export for finance, through the one CSV writer (reports/csv.ts: byte-order mark,
 * quoting, formula defusing). Amounts are yuan text with two decimals (never a float); times are
 * China time. Only masked identity is ever written.
 */
export { BOM };

const KIND: Record<StaffOrderRow['kind'], string> = { registration: '挂号', outpatient: '门诊缴费' };
const CHANNEL: Record<StaffOrderRow['channel'], string> = { wechat: '微信', alipay: '支付宝', kiosk: '自助机', cashier: '医保收银台' };

export const CSV_HEADER = ['订单号', '下单时间', '支付时间', '类型', '渠道', '状态', '项目', '患者', '证件号', '总金额(元)', '统筹支付(元)', '个人账户(元)', '自费(元)', '退款含处理中(元)', '待人工核对'];

/** Beijing time as "yyyy-MM-dd HH:mm:ss", which Excel recognises as a date-time. */
export function chinaTime(iso: string | undefined): string {
  if (!iso || Number.isNaN(Date.parse(iso))) return '';
  return plainChina(iso);
}

/** One cell as written: quoted when needed (RFC 4180); text (not amounts) has formula characters defused. */
export function csvCell(value: string, opts: { text?: boolean } = { text: true }): string {
  return cellText(opts.text === false ? value : defused(value));
}

export function csvRow(r: StaffOrderRow): string[] {
  const text = [r.orderNo, chinaTime(r.createdAt), chinaTime(r.paidAt), KIND[r.kind] + (r.payMode === 'self' ? '（自费）' : ''), CHANNEL[r.channel], r.stateLabel, r.title, r.patient.nameMasked, r.patient.idNoMasked];
  const money = [r.amounts.totalFen, r.amounts.fundFen, r.amounts.acctFen, r.amounts.cashFen, r.refundedFen].map(fenToYuan);
  return [...text.map(defused), ...money, r.reviewOpen ? '是' : '否'];
}

export function toCsv(rows: readonly StaffOrderRow[]): string {
  return csvDocument([CSV_HEADER, ...rows.map(csvRow)]);
}

export function exportFileName(from: string | undefined, to: string | undefined, orderNo?: string): string {
  const span = orderNo ?? `${(from ?? '').replace(/-/g, '')}-${(to ?? '').replace(/-/g, '')}`;
  return `orders-${span}.csv`;
}
