import { parse } from 'csv-parse/sync';
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
 * Parses the 25-column detail CSV (wechat-alipay-channels.md §3.2) with csv-parse: quoted cells
 * (a product name with a comma or a quote in it) are read as one cell; "#" lines at the start of a
 * line (title, account, period, footer totals) are skipped, a "#" inside a cell is kept; cells may
 * carry trailing tabs/spaces (trimmed). Refund rows (业务类型 退款) have negative amounts; we keep
 * amounts positive and tell the kind. A row with another number of cells is a broken file (thrown).
 */
export function parseAlipayDetail(csv: string): ChannelBillRow[] {
  const records = parse(csv.replace(/^\uFEFF/, ''), {
    comment: '#',
    comment_no_infix: true,
    skip_empty_lines: true,
    relax_column_count: true,
    trim: true,
  }) as string[][];
  if (!records.length) return [];
  const header = records[0];
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
  for (const [n, record] of records.slice(1).entries()) {
    if (record.length !== DETAIL_COLUMNS) throw new Error(`Alipay detail row ${n + 1} has ${record.length} cells, expected ${DETAIL_COLUMNS}`);
    const c = record.map((x) => x.replace(/^`/, ''));
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
