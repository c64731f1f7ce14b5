import crypto from 'node:crypto';
import { PERSONS } from '../seed/persons';
import type { SplitResult } from './policy';
import type { ExtraAmounts } from './rules';

export interface PayAuth {
  payAuthNo: string;
  idNo: string;
  name: string;
  channel: string;
  expiresAt: number;
  /** the order whose 6202 used it: a pay authorization pays one order only */
  usedBy?: string;
}

export interface CentreRefund {
  appRefdSn: string;
  fingerprint: string;
  answer: Record<string, unknown>;
  amounts: { fundFen: number; acctFen: number; cashFen: number };
}

export interface CentreOrder {
  payOrdId: string;
  payToken: string;
  medOrgOrd: string;
  chrgBchno: string;
  mdtrtId: string;
  psnNo: string;
  insutype: string;
  idNo: string;
  name: string;
  regionCode: string;
  /** the insuCode the hospital sent (TSX: its contract's centre, separate from insuplcAdmdvs) */
  insuCode?: string;
  payAuthNo: string;
  lines: { code: string; amountFen: number }[];
  totalFen: number;
  uploadFingerprint: string;
  split?: SplitResult;
  /** othFeeAmt / hospPartAmt / acctMulaidPay of the 6202 answer (sandbox/national/rules.ts) */
  extra?: ExtraAmounts;
  ordStas: string;
  orgBizSers: string[];
  createdAt: string;
  traceTime?: string;
  setlId?: string;
  revsToken?: string;
  channel?: string;
  cashTradeNo?: string;
  refunds: CentreRefund[];
  /** the last 6302 envelope sent, so tests can replay it */
  lastNotification?: Record<string, unknown>;
}

/** The sandbox centre's memory: orders, pay authorizations and personal-account balances. */
export class CentreStore {
  readonly orders = new Map<string, CentreOrder>();
  readonly byMedOrgOrd = new Map<string, string>();
  readonly auths = new Map<string, PayAuth>();
  readonly balances = new Map<string, number>();
  private seq = 0;

  constructor() {
    this.reset();
  }

  reset(): void {
    this.orders.clear();
    this.byMedOrgOrd.clear();
    this.auths.clear();
    this.balances.clear();
    for (const p of PERSONS) for (const ins of p.insurance) if (ins.psnNo) this.balances.set(ins.psnNo, ins.acctBalanceFen ?? 0);
  }

  nextPayOrdId(): string {
    this.seq++;
    const t = new Date(Date.now() + 8 * 3600_000).toISOString().replace(/\D/g, '').slice(0, 14);
    return `ORD440100${t}${String(this.seq).padStart(7, '0')}`;
  }

  issueAuth(idNo: string, name: string, channel: string, ttlMs: number): PayAuth {
    const a: PayAuth = {
      payAuthNo: `AUTH440100${crypto.randomBytes(12).toString('hex').toUpperCase()}`,
      idNo,
      name,
      channel,
      expiresAt: Date.now() + ttlMs,
    };
    this.auths.set(a.payAuthNo, a);
    return a;
  }

  static token(): string {
    return crypto.randomBytes(16).toString('hex');
  }
}
