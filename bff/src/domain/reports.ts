/**
 * What the decisions of settlement.ts and self-pay.ts both read: the settlement policy (from
 * config) and a channel's report of the cash part. Here, not in settlement.ts, so that self-pay.ts
 * and settlement.ts do not import each other (.dependency-cruiser.cjs, no-circular).
 */
import type { TakenLegs } from './money-back';

export interface SettlementPolicy {
  settledOrdStas: readonly string[];
  pollBaseMs: number;
  pollMaxMs: number;
  pollMaxAttempts: number;
  writeBackDeadlineMs: number;
}

export interface CashReport {
  source: 'channel_notify' | 'channel_query';
  status: 'paid' | 'pending' | 'failed' | 'refunded' | 'unknown';
  cashPaidFen?: number;
  /** the order total as the channel has it, when it says */
  totalFen?: number;
  cashTradeNo?: string;
  paidAt?: string;
  /** each leg as the channel reports it (WeChat self_pay_status + med_ins_pay_status, 质量检查 #10) */
  legs?: TakenLegs;
}
