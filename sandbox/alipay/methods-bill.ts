import crypto from 'node:crypto';
import { fenToYuan } from '@mip/shared';
import type { BillMutation } from '../wechat/state';
import { bizError, type AlipayCtx, type MethodCall, type MethodResult } from './context';
import { chinaNow } from './crypto';
import { encodeGbk } from './gbk';
import type { AlipayState } from './state';
import { writeZip } from './zip';

const URL_TTL_MS = 30_000;
export const DETAIL_HEADER =
  '支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注';

interface Row {
  refund: boolean;
  tradeNo: string;
  outTradeNo: string;
  subject: string;
  created: string;
  done: string;
  amountFen: number;
  refundNo: string;
}

function rowsOf(state: AlipayState, date: string): Row[] {
  const rows: Row[] = [];
  for (const t of state.trades.values()) {
    if (!t.alipay_trade_no || !t.paid || t.own_pay_status === 'NONE') continue;
    if (t.paid.startsWith(date)) rows.push({ refund: false, tradeNo: t.alipay_trade_no, outTradeNo: t.out_trade_no, subject: t.subject, created: t.created, done: t.paid, amountFen: t.realFen, refundNo: '' });
    for (const r of t.refunds) {
      if (r.time.startsWith(date)) rows.push({ refund: true, tradeNo: t.alipay_trade_no, outTradeNo: t.out_trade_no, subject: t.subject, created: t.created, done: r.time, amountFen: r.amountFen, refundNo: r.refund_request_no });
    }
  }
  return rows;
}

function mutate(rows: Row[], date: string, mutations: BillMutation[]): Row[] {
  let out = [...rows];
  for (const m of mutations) {
    if (m.date && m.date !== date) continue;
    const hit = (r: Row) => r.outTradeNo === m.outTradeNo && (!m.kind || r.refund === (m.kind === 'refund'));
    if (m.op === 'drop') out = out.filter((r) => !hit(r));
    if (m.op === 'amount') out = out.map((r) => (hit(r) ? { ...r, amountFen: m.amountFen ?? r.amountFen } : r));
    if (m.op === 'add') {
      const at = `${date} 12:00:00`;
      out.push({ refund: m.kind === 'refund', tradeNo: `${date.replaceAll('-', '')}22001${Date.now()}`, outTradeNo: m.outTradeNo ?? `UNKNOWN${Date.now()}`, subject: '对账差异', created: at, done: at, amountFen: m.amountFen ?? 100, refundNo: m.kind === 'refund' ? `R${Date.now()}` : '' });
    }
  }
  return out;
}

/** RFC 4180 quoting: a cell with a comma, quote or line break is quoted, quotes doubled (as Excel-made CSVs do). */
export function csvCell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/** The 25-column detail CSV with its # header and footer lines. */
export function detailCsv(state: AlipayState, pid: string, date: string): string {
  const rows = mutate(rowsOf(state, date), date, state.mutations).sort((a, b) => a.done.localeCompare(b.done));
  const y = (fen: number, neg: boolean) => fenToYuan(neg ? -fen : fen);
  const fee = (fen: number) => Math.floor((fen * 6 + 500) / 1000);
  const lines = rows.map((r) =>
    [
      `${r.tradeNo}\t`, `${r.outTradeNo}\t`, r.refund ? '退款' : '交易', csvCell(r.subject), r.created, r.done, '', '', '', '', '张*(sandbox)',
      y(r.amountFen, r.refund), y(r.amountFen, r.refund), '0.00', '0.00', '0.00', '0.00', '0.00', '', '0.00', '0.00', r.refundNo,
      y(fee(r.amountFen), !r.refund), '0.00', '',
    ].join(','),
  );
  const pays = rows.filter((r) => !r.refund);
  const refunds = rows.filter((r) => r.refund);
  const sum = (list: Row[]) => fenToYuan(list.reduce((s, r) => s + r.amountFen, 0));
  const d = date.split('-');
  return [
    '#支付宝业务明细查询',
    `#账号：[${pid}]`,
    `#起始日期：[${d[0]}年${d[1]}月${d[2]}日 00:00:00]   终止日期：[${d[0]}年${d[1]}月${d[2]}日 23:59:59]`,
    '#-----------------------------------------业务明细列表----------------------------------------',
    DETAIL_HEADER,
    ...lines,
    '#-----------------------------------------业务明细列表结束------------------------------------',
    `#交易合计：${pays.length}笔，商家实收共${sum(pays)}元，商家优惠共0.00元`,
    `#退款合计：${refunds.length}笔，商家实收退款共-${sum(refunds)}元，商家优惠退款共0.00元`,
    `#导出时间：[${chinaNow()}]`,
  ].join('\r\n') + '\r\n';
}

/** alipay.data.dataservice.bill.downloadurl.query → a 30-second URL to a zip of GBK CSVs. */
export function billDownloadUrl(w: AlipayCtx, c: MethodCall): MethodResult {
  const date = String(c.biz.bill_date ?? '');
  if (c.biz.bill_type !== 'trade') return bizError('INVAILID_ARGUMENTS', '沙箱只提供 bill_type=trade', '40002');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return bizError('INVAILID_ARGUMENTS', 'bill_date 格式为 yyyy-MM-dd', '40002');
  if (date > chinaNow().slice(0, 10)) return bizError('isp.bill_not_exist', '账单不存在');
  const day = date.replaceAll('-', '');
  const detail = detailCsv(w.state, w.cfg.pid, date);
  const summary = `#支付宝业务汇总查询\r\n门店编号,门店名称,交易订单总笔数,退款订单总笔数\r\n,,${detail.split('\r\n').filter((l) => l.includes(',交易,')).length},${detail.split('\r\n').filter((l) => l.includes(',退款,')).length}\r\n`;
  const zip = writeZip([
    { name: `${w.cfg.pid}_${day}_业务明细.csv`, data: encodeGbk(detail) },
    { name: `${w.cfg.pid}_${day}_业务明细(汇总).csv`, data: encodeGbk(summary) },
  ]);
  const token = crypto.randomBytes(18).toString('base64url');
  for (const [k, f] of w.state.billFiles) if (f.expiresAt < Date.now()) w.state.billFiles.delete(k);
  w.state.billFiles.set(token, { data: zip, expiresAt: Date.now() + URL_TTL_MS });
  return { ok: true, body: { bill_download_url: `${c.origin}/sandbox/bill-files/${token}?bizType=trade&fileId=${day}` } };
}
