import { yuanToFen } from '@mip/shared';
import type { AlipayStatusMap } from '../../config/channels';
import type { CashRefundResult, ChannelPaymentStatus, LegState, PaymentLegs } from '../port';

/**
 * Alipay's medical trade statuses, read together through the configured maps (config/channels.ts
 * AlipayStatusMap; the fields are AJ response/AlipayCommerceMedicalTradeQueryResponse.java
 * trade_status, medical_pay_status (insurance leg), own_pay_status (self-pay leg), refund_amount;
 * their values are not public). Anything a map does not know, or legs that contradict the trade,
 * is 'unknown': awaiting confirmation, never success or failure.
 */
type LegRead = 'taken' | 'not_taken' | 'pending' | 'refunded' | 'unknown';

function readLeg(map: AlipayStatusMap, value: string | undefined, amountFen: number): LegRead | 'absent' {
  if (value === undefined || value === '') return amountFen === 0 ? 'not_taken' : 'absent';
  return map.leg[value] ?? 'unknown';
}

/** refunded money is back with the patient: nothing of that leg is held any more */
const toLegState = (r: LegRead | 'absent'): LegState => (r === 'taken' ? 'taken' : r === 'not_taken' || r === 'refunded' ? 'not_taken' : 'unknown');

function fenOf(v: unknown): number {
  return typeof v === 'string' && v !== '' ? yuanToFen(v) : 0;
}

export interface TradeReading {
  status: ChannelPaymentStatus['status'];
  legs: PaymentLegs;
}

/** One reading of a trade (query answer or notification fields). */
export function readTrade(map: AlipayStatusMap, f: Record<string, unknown>): TradeReading {
  const str = (k: string) => (typeof f[k] === 'string' ? (f[k] as string) : undefined);
  const insuranceFen = fenOf(f.gov_amount) + fenOf(f.account_amount) + fenOf(f.other_amount);
  const cash = readLeg(map, str('own_pay_status'), fenOf(f.real_amount));
  const insurance = readLeg(map, str('medical_pay_status'), insuranceFen);
  const legs: PaymentLegs = { cash: toLegState(cash), insurance: toLegState(insurance) };
  const tradeValue = str('trade_status');
  const trade = tradeValue ? map.trade[tradeValue] : undefined;
  const both = [cash, insurance];
  if (!trade || both.includes('unknown')) return { status: 'unknown', legs };
  if (trade === 'pending') return { status: 'pending', legs };
  if (trade === 'success') {
    // a leg not reported follows the trade; a leg with money reported as anything but taken contradicts it
    const fits = (l: LegRead | 'absent', fen: number) => l === 'taken' || l === 'absent' || (l === 'not_taken' && fen === 0);
    return { status: fits(cash, fenOf(f.real_amount)) && fits(insurance, insuranceFen) ? 'paid' : 'unknown', legs };
  }
  // closed: refunded when money went back, otherwise failed (legs tell whether cash was taken)
  if (fenOf(f.refund_amount) > 0 || both.includes('refunded')) return { status: 'refunded', legs };
  if (both.includes('pending')) return { status: 'unknown', legs };
  return { status: 'failed', legs };
}

/** refund_status (AJ response/AlipayCommerceMedicalTradeRefundResponse.java): unknown = still processing. */
export function readRefund(map: AlipayStatusMap, value: unknown): CashRefundResult['status'] {
  return (typeof value === 'string' && map.refund[value]) || 'processing';
}
