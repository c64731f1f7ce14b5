/**
 * mix_pay_status, self_pay_status and med_ins_pay_status read together (wechatpay-skills
 * 接入质量检查 #10, 开发参数与业务规则 §六, 排障手册 §2.6 Q10 and §2.8 C "混合订单只看 mix_pay_status
 * 失败就关单 — 自费可能已成功但医保失败"). A status this code does not know (MIX_PAY_USER_PAYING is
 * only named in 排障手册 268560650; anything new) is never success or failure: the order keeps polling.
 */
import type { ChannelPaymentStatus, LegState, PaymentLegs } from '../port';
import type { MedInsOrderEntity } from './med-ins';

type Status = ChannelPaymentStatus['status'];

const MIX: Record<string, Status> = {
  MIX_PAY_CREATED: 'pending',
  // 排障手册 268560650: the patient is entering the password; not final, cannot be closed
  MIX_PAY_USER_PAYING: 'pending',
  MIX_PAY_SUCCESS: 'paid',
  MIX_PAY_FAIL: 'failed',
  // 排障手册 268554200 §: MIX_PAY_REVERSED is final like MIX_PAY_FAIL; the legs say what was kept
  MIX_PAY_REVERSED: 'failed',
  MIX_PAY_REFUND: 'refunded',
};

/** money the leg holds now: SUCCESS took it; CREATED/FAIL/NO_* never did; REFUND gave it back */
const LEG: Record<string, LegState> = {
  SELF_PAY_SUCCESS: 'taken',
  SELF_PAY_CREATED: 'not_taken',
  SELF_PAY_FAIL: 'not_taken',
  SELF_PAY_REFUND: 'not_taken',
  NO_SELF_PAY: 'not_taken',
  MED_INS_PAY_SUCCESS: 'taken',
  MED_INS_PAY_CREATED: 'not_taken',
  MED_INS_PAY_FAIL: 'not_taken',
  MED_INS_PAY_REFUND: 'not_taken',
  NO_MED_INS_PAY: 'not_taken',
};

export function legsOf(o: Pick<MedInsOrderEntity, 'self_pay_status' | 'med_ins_pay_status'>): PaymentLegs {
  return { cash: (o.self_pay_status && LEG[o.self_pay_status]) || 'unknown', insurance: (o.med_ins_pay_status && LEG[o.med_ins_pay_status]) || 'unknown' };
}

/**
 * The overall status, checked against the legs: MIX_PAY_SUCCESS whose legs do not both hold the
 * money they should (e.g. SELF_PAY_FAIL on an order with a self-pay part) is 'unknown', not paid.
 */
export function readStatuses(o: MedInsOrderEntity): { status: Status; legs: PaymentLegs } {
  const legs = legsOf(o);
  const status: Status = MIX[o.mix_pay_status] ?? 'unknown';
  if (status !== 'paid') return { status, legs };
  const cash = cashFen(o);
  const insurance = (o.med_ins_gov_fee ?? 0) + (o.med_ins_self_fee ?? 0) + (o.med_ins_other_fee ?? 0);
  // a leg with money must have taken it (SUCCESS, or REFUND once part went back); a leg without
  // may read either way, but never an unknown status
  const took = (s: string | undefined) => s !== undefined && /_PAY_(SUCCESS|REFUND)$/.test(s);
  const holds = (fen: number | undefined, s: string | undefined, leg: LegState) => (fen !== undefined && fen > 0 ? took(s) : leg !== 'unknown');
  const cashOk = holds(cash, o.self_pay_status, legs.cash);
  const insOk = o.mix_pay_type === 'CASH_ONLY' || holds(insurance, o.med_ins_pay_status, legs.insurance);
  return { status: cashOk && insOk ? 'paid' : 'unknown', legs };
}

export function toPaymentStatus(o: MedInsOrderEntity): ChannelPaymentStatus {
  const { status, legs } = readStatuses(o);
  const moved = status === 'paid' || status === 'refunded';
  const insurance = [o.med_ins_gov_fee, o.med_ins_self_fee, o.med_ins_other_fee].every((p) => p === undefined)
    ? undefined
    : (o.med_ins_gov_fee ?? 0) + (o.med_ins_self_fee ?? 0) + (o.med_ins_other_fee ?? 0);
  return {
    status,
    channelRef: o.mix_trade_no,
    outTradeNo: o.out_trade_no,
    cashPaidFen: moved ? cashFen(o) : undefined,
    insurancePaidFen: moved ? insurance : undefined,
    paidAt: o.paid_time,
    legs,
    raw: {
      mix_pay_status: o.mix_pay_status,
      self_pay_status: o.self_pay_status,
      med_ins_pay_status: o.med_ins_pay_status,
      med_ins_fail_reason: o.med_ins_fail_reason,
      passthrough_response_content: o.passthrough_response_content,
    },
  };
}

/** INSURANCE_ONLY orders carry no wechat_pay_cash_fee (med-ins.ts): their cash part is 0 */
function cashFen(o: MedInsOrderEntity): number | undefined {
  return o.wechat_pay_cash_fee ?? (o.mix_pay_type === 'INSURANCE_ONLY' ? 0 : undefined);
}
