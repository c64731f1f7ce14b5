import { fenToYuan } from '@mip/shared';
import type { StaffOrderRow } from './contract';

/**
 * The order export for finance. Excel on Chinese Windows opens a CSV as GBK unless it starts
 * with a UTF-8 byte-order mark, so the file starts with one. Amounts are yuan text with two
 * decimals (never a float); times are China time. Only masked identity is ever written.
 */
export const BOM = '\uFEFF';

const KIND: Record<StaffOrderRow['kind'], string> = { registration: '挂号', outpatient: '门诊缴费' };
const CHANNEL: Record<StaffOrderRow['channel'], string> = { wechat: '微信', alipay: '支付宝', kiosk: '自助机', cashier: '医保收银台' };

export const CSV_HEADER = ['订单号', '下单时间', '支付时间', '类型', '渠道', '状态', '项目', '患者', '证件号', '总金额(元)', '统筹支付(元)', '个人账户(元)', '自费(元)', '退款含处理中(元)', '待人工核对'];

/** Beijing time as "yyyy-MM-dd HH:mm:ss", which Excel recognises as a date-time. */
export function chinaTime(iso: string | undefined): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  return new Date(t + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * Quotes a cell when needed (RFC 4180) and defuses formula injection: Excel runs a cell that
 * starts with = + - @ as a formula, and order titles come from HIS, so such text gets a leading '.
 */
export function csvCell(value: string, opts: { text?: boolean } = { text: true }): string {
  let v = value;
  if (opts.text !== false && /^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function csvRow(r: StaffOrderRow): string {
  const text = [r.orderNo, chinaTime(r.createdAt), chinaTime(r.paidAt), KIND[r.kind] + (r.payMode === 'self' ? '（自费）' : ''), CHANNEL[r.channel], r.stateLabel, r.title, r.patient.nameMasked, r.patient.idNoMasked];
  const money = [r.amounts.totalFen, r.amounts.fundFen, r.amounts.acctFen, r.amounts.cashFen, r.refundedFen].map(fenToYuan);
  return [...text.map((v) => csvCell(v)), ...money.map((v) => csvCell(v, { text: false })), r.reviewOpen ? '是' : '否'].join(',');
}

export function toCsv(rows: readonly StaffOrderRow[]): string {
  return BOM + [CSV_HEADER.join(','), ...rows.map(csvRow)].join('\r\n') + '\r\n';
}

export function exportFileName(from: string | undefined, to: string | undefined, orderNo?: string): string {
  const span = orderNo ?? `${(from ?? '').replace(/-/g, '')}-${(to ?? '').replace(/-/g, '')}`;
  return `orders-${span}.csv`;
}
