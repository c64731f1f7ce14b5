import { yuanToFen } from '@mip/shared';
import type { ChannelBillRow } from '../port';
import { chinaPlainToIso } from '../time';
import { readZip } from './zip';

export const DETAIL_COLUMNS = 25;

/** The detail file (…_业务明细.csv, not …(汇总).csv) from the bill archive, decoded from GBK. */
export function detailCsvFromZip(zip: Buffer): string {
  const entries = readZip(zip);
  const detail = entries.find((e) => e.name.endsWith('业务明细.csv')) ?? entries.find((e) => !e.name.includes('汇总'));
  if (!detail) throw new Error('the Alipay bill archive holds no detail file');
  return new TextDecoder('gbk').decode(detail.data);
}

/**
 * Parses the 25-column detail CSV: "#" lines (title, account, period, footer totals) are skipped,
 * the header names the columns, cells may carry trailing tabs/spaces. Refund rows (业务类型 退款)
 * have negative amounts; we keep amounts positive and tell the kind.
 */
export function parseAlipayDetail(csv: string): ChannelBillRow[] {
  const lines = csv.replace(/^\uFEFF/, '').split(/\r?\n/).map((l) => l.trimEnd()).filter((l) => l && !l.startsWith('#'));
  if (!lines.length) return [];
  const header = lines[0].split(',').map((h) => h.trim());
  if (header.length !== DETAIL_COLUMNS) throw new Error(`Alipay detail header has ${header.length} columns, expected ${DETAIL_COLUMNS}`);
  const col = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`Alipay detail header lacks ${name}`);
    return i;
  };
  const iTrade = col('支付宝交易号');
  const iOut = col('商户订单号');
  const iType = col('业务类型');
  const iCreated = col('创建时间');
  const iDone = col('完成时间');
  const iAmount = col('订单金额（元）');
  const iRefundNo = col('退款批次号/请求号');
  const rows: ChannelBillRow[] = [];
  for (const line of lines.slice(1)) {
    const c = line.split(',').map((x) => x.replace(/^[\s\t`]+|[\s\t]+$/g, ''));
    if (c.length !== DETAIL_COLUMNS) throw new Error(`Alipay detail row has ${c.length} cells, expected ${DETAIL_COLUMNS}`);
    const refund = c[iType] === '退款';
    const row: ChannelBillRow = {
      channel: 'alipay',
      kind: refund ? 'refund' : 'payment',
      outTradeNo: c[iOut],
      cashTradeNo: c[iTrade],
      amountFen: Math.abs(yuanToFen(c[iAmount])),
      time: chinaPlainToIso(c[iDone] || c[iCreated]),
      status: c[iType],
    };
    if (refund) row.refundNo = c[iRefundNo];
    rows.push(row);
  }
  return rows;
}
