import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { yuanToFen } from '@mip/shared';
import type { ChannelBillRow } from '../port';
import { chinaPlainToIso } from '../time';

export class BillIntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BillIntegrityError';
  }
}

/** gunzip (when gzip) and check SHA1 of the original bill against hash_value. */
export function unpackTradeBill(file: Buffer, hashType: string, hashValue: string): string {
  const raw = file.length > 2 && file[0] === 0x1f && file[1] === 0x8b ? zlib.gunzipSync(file) : file;
  if (hashType.toUpperCase() !== 'SHA1') throw new BillIntegrityError(`unsupported hash_type ${hashType}`);
  const actual = crypto.createHash('sha1').update(raw).digest('hex');
  if (actual.toLowerCase() !== hashValue.toLowerCase()) throw new BillIntegrityError(`bill SHA1 ${actual} does not match hash_value ${hashValue}`);
  return raw.toString('utf8').replace(/^\uFEFF/, '');
}

/** A data line: every cell starts with a backtick; cells are separated by ",`". */
function cells(line: string): string[] {
  const body = line.startsWith('`') ? line.slice(1) : line;
  return body.split(',`').map((c) => c.trim());
}

/**
 * Parses the trade bill CSV (ALL, SUCCESS or REFUND): header line, data lines, then a summary
 * header starting with 总交易单数 and one summary line. Columns are found by name.
 */
export function parseTradeBill(csv: string): ChannelBillRow[] {
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (!lines.length) return [];
  const header = lines[0].split(',').map((h) => h.trim());
  const col = (name: string) => header.indexOf(name);
  const need = ['交易时间', '微信订单号', '商户订单号', '交易状态', '订单金额'];
  for (const n of need) if (col(n) < 0) throw new BillIntegrityError(`bill header lacks ${n}`);
  const rows: ChannelBillRow[] = [];
  for (const line of lines.slice(1)) {
    if (line.startsWith('总交易单数')) break;
    const c = cells(line);
    if (c.length < header.length) throw new BillIntegrityError(`bill line has ${c.length} cells, header has ${header.length}`);
    const get = (n: string) => (col(n) >= 0 ? c[col(n)] : '');
    const state = get('交易状态');
    const refund = state === 'REFUND' || (get('商户退款单号') !== '' && get('商户退款单号') !== '0');
    const amountText = refund ? get('申请退款金额') || get('退款金额') : get('订单金额');
    const row: ChannelBillRow = {
      channel: 'wechat',
      kind: refund ? 'refund' : 'payment',
      outTradeNo: get('商户订单号'),
      cashTradeNo: get('微信订单号'),
      amountFen: Math.abs(yuanToFen(amountText)),
      time: chinaPlainToIso(refund ? get('退款申请时间') || get('交易时间') : get('交易时间')),
      status: refund ? get('退款状态') || state : state,
    };
    if (refund) row.refundNo = get('商户退款单号');
    rows.push(row);
  }
  return rows;
}
