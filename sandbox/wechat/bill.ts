import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { fenToYuan } from '@mip/shared';
import { chinaDate, chinaPlain, type BillMutation, type WechatState } from './state';

const HEADER = '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
const SUMMARY = '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额';

interface Line {
  kind: 'payment' | 'refund';
  time: string;
  transactionId: string;
  outTradeNo: string;
  openid: string;
  refundId?: string;
  outRefundNo?: string;
  amountFen: number;
  description: string;
}

/** 0.6% fee, rounded half up, in fen */
const fee = (fen: number) => Math.floor((fen * 6 + 500) / 1000);

function applyMutations(lines: Line[], date: string, mutations: BillMutation[]): Line[] {
  let out = [...lines];
  for (const m of mutations) {
    if (m.date && m.date !== date) continue;
    const match = (l: Line) => l.outTradeNo === m.outTradeNo && (!m.kind || l.kind === m.kind);
    if (m.op === 'drop') out = out.filter((l) => !match(l));
    if (m.op === 'amount') out = out.map((l) => (match(l) ? { ...l, amountFen: m.amountFen ?? l.amountFen } : l));
    if (m.op === 'add') {
      out.push({
        kind: m.kind ?? 'payment',
        time: `${date}T12:00:00+08:00`,
        transactionId: `42000${Date.now()}`,
        outTradeNo: m.outTradeNo ?? `UNKNOWN${Date.now()}`,
        openid: 'sandbox-unknown',
        refundId: m.kind === 'refund' ? `50300${Date.now()}` : undefined,
        outRefundNo: m.kind === 'refund' ? `R${Date.now()}` : undefined,
        amountFen: m.amountFen ?? 100,
        description: '对账差异',
      });
    }
  }
  return out;
}

/** The ALL trade bill of one day (China time) from the sandbox's own payments and refunds. */
export function tradeBillCsv(state: WechatState, appId: string, mchId: string, date: string): string {
  let lines: Line[] = [];
  for (const t of state.txns.values()) {
    if (!t.success_time || !t.transaction_id || chinaDate(t.success_time) !== date) continue;
    lines.push({ kind: 'payment', time: t.success_time, transactionId: t.transaction_id, outTradeNo: t.out_trade_no, openid: t.openid, amountFen: t.total, description: t.description });
  }
  for (const r of state.refunds.values()) {
    if (r.status !== 'SUCCESS' || chinaDate(r.create_time) !== date) continue;
    const t = state.txns.get(r.out_trade_no);
    lines.push({
      kind: 'refund',
      time: r.create_time,
      transactionId: r.transaction_id,
      outTradeNo: r.out_trade_no,
      openid: t?.openid ?? '',
      refundId: r.refund_id,
      outRefundNo: r.out_refund_no,
      amountFen: r.amount.refund,
      description: t?.description ?? '',
    });
  }
  lines = applyMutations(lines, date, state.mutations).sort((a, b) => a.time.localeCompare(b.time));
  const y = fenToYuan;
  const rows = lines.map((l) => {
    const pay = l.kind === 'payment';
    const cells = [
      chinaPlain(l.time), appId, mchId, '0', '', l.transactionId, l.outTradeNo, l.openid, 'JSAPI', pay ? 'SUCCESS' : 'REFUND', 'OTHERS', 'CNY',
      y(pay ? l.amountFen : 0), '0.00', pay ? '0' : l.refundId ?? '', pay ? '0' : l.outRefundNo ?? '', y(pay ? 0 : l.amountFen), '0.00',
      pay ? '' : 'ORIGINAL', pay ? '' : 'SUCCESS', l.description, '', y(pay ? fee(l.amountFen) : -fee(l.amountFen)), '0.60%',
      y(pay ? l.amountFen : 0), y(pay ? 0 : l.amountFen), '',
    ];
    return cells.map((c) => `\`${c}`).join(',');
  });
  const paid = lines.filter((l) => l.kind === 'payment').reduce((s, l) => s + l.amountFen, 0);
  const refunded = lines.filter((l) => l.kind === 'refund').reduce((s, l) => s + l.amountFen, 0);
  const fees = lines.reduce((s, l) => s + (l.kind === 'payment' ? fee(l.amountFen) : -fee(l.amountFen)), 0);
  const summary = [String(lines.length), y(paid), y(refunded), '0.00', y(fees), y(paid), y(refunded)].map((c) => `\`${c}`).join(',');
  return [HEADER, ...rows, SUMMARY, summary].join('\r\n') + '\r\n';
}

export function packBill(csv: string): { gz: Buffer; sha1: string } {
  const raw = Buffer.from(csv, 'utf8');
  return { gz: zlib.gzipSync(raw), sha1: crypto.createHash('sha1').update(raw).digest('hex') };
}
