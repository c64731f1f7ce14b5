/**
 * The centre's cashier (收银台, SPC) on the wire, from the official cashier SDK sample
 * `hsa.spc.sdk` `SpcClientTest.java` (index id 37727724238):
 *  - 4.1 unified order `…/pmc/api/spc/unifiedOrder/UNION_CHS` (`testRequest`): orgCode, idNo,
 *    userName, idType, payOrdId, operator, outTradeNo, orgName, frontBackUrl, syncCalUrl,
 *    amount, feeSumamt, fundPayAmt, othPayAmt → `cashierUrl`. In the sample feeSumamt 0.03 =
 *    fundPayAmt 0.02 + othPayAmt 0 + amount 0.01: `amount` is what the cashier collects (personal
 *    account + cash).
 *  - the back-end callback (`decAndVerifyRequest`): an envelope whose data is `{traceId, amount,
 *    payType, psnAcctPayAmt, psnAcctMerchantId, outTradeNo, tradeStatus, amtMerchantId, payOrdId,
 *    queryId}` — `amount` is the cash part ("0.00" with payType PSNACCT and psnAcctPayAmt "0.01"),
 *    and there is no ordStas.
 * The sample sends amounts as BigDecimal; we send decimal strings, which the SDK's canonical form
 * (numbers → strings, notes §3.2) signs identically.
 */
import { fenToYuan, yuanToFen, type Split } from '@mip/shared';
import type { ChannelNotification, ChannelPaymentStatus } from '../port';

export interface UnifiedOrderInput {
  orgCode: string;
  orgName: string;
  operator: string;
  payer: { idNo: string; name: string };
  payOrdId: string;
  outTradeNo: string;
  frontBackUrl: string;
  syncCalUrl: string;
  amounts: Split;
}

export function unifiedOrderData(i: UnifiedOrderInput): Record<string, string> {
  return {
    orgCode: i.orgCode,
    orgName: i.orgName,
    idNo: i.payer.idNo,
    userName: i.payer.name,
    idType: '01',
    payOrdId: i.payOrdId,
    operator: i.operator,
    outTradeNo: i.outTradeNo,
    frontBackUrl: i.frontBackUrl,
    syncCalUrl: i.syncCalUrl,
    amount: fenToYuan(i.amounts.acctFen + i.amounts.cashFen),
    feeSumamt: fenToYuan(i.amounts.totalFen),
    fundPayAmt: fenToYuan(i.amounts.fundFen),
    othPayAmt: fenToYuan(i.amounts.totalFen - i.amounts.fundFen - i.amounts.acctFen - i.amounts.cashFen),
  };
}

export class CashierFormatError extends Error {
  constructor(message: string) {
    super(`cashier: ${message}`);
    this.name = 'CashierFormatError';
  }
}

/** The cashier page address of the unified order's answer; only an http(s) URL is shown to patients. */
export function cashierUrlOf(d: Record<string, unknown>): string {
  const v = d.cashierUrl;
  if (typeof v !== 'string' || !/^https?:\/\/[^\s"'<>]+$/i.test(v) || v.length > 1024) throw new CashierFormatError('unified order answer lacks a cashierUrl');
  return v;
}

export interface TradeStatusMap {
  paidStatuses: readonly string[];
  failedStatuses: readonly string[];
  pendingStatuses: readonly string[];
}

/** Only SUCCESS is public; the rest comes from configuration, and anything unlisted is unknown (awaiting confirmation). */
export function statusOf(tradeStatus: string, m: TradeStatusMap): ChannelPaymentStatus['status'] {
  if (m.paidStatuses.includes(tradeStatus)) return 'paid';
  if (m.failedStatuses.includes(tradeStatus)) return 'failed';
  if (m.pendingStatuses.includes(tradeStatus)) return 'pending';
  return 'unknown';
}

const field = (d: Record<string, unknown>, k: string): string | undefined => (typeof d[k] === 'string' && d[k] !== '' ? (d[k] as string) : typeof d[k] === 'number' ? String(d[k]) : undefined);

/** The verified, decrypted data of a cashier callback as a channel notification. */
export function parseCallback(d: Record<string, unknown>, m: TradeStatusMap): ChannelNotification {
  const tradeStatus = field(d, 'tradeStatus');
  const payOrdId = field(d, 'payOrdId');
  const outTradeNo = field(d, 'outTradeNo');
  const amount = field(d, 'amount');
  if (!tradeStatus || !payOrdId || !outTradeNo) throw new CashierFormatError('callback lacks tradeStatus, payOrdId or outTradeNo');
  const status = statusOf(tradeStatus, m);
  let cashPaidFen: number | undefined;
  if (status === 'paid') {
    if (amount === undefined) throw new CashierFormatError('a paid callback lacks amount');
    try {
      cashPaidFen = yuanToFen(amount);
    } catch (e) {
      throw new CashierFormatError((e as Error).message);
    }
  }
  const queryId = field(d, 'queryId');
  return {
    kind: 'payment',
    eventId: field(d, 'traceId') ?? `${payOrdId}:${tradeStatus}`,
    outTradeNo,
    channelRef: payOrdId,
    status,
    ...(cashPaidFen !== undefined ? { cashPaidFen } : {}),
    ...(queryId ? { cashTradeNo: queryId } : {}),
  };
}
