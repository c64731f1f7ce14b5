/**
 * The HIS open-API wire format as the hospital documents it (modelled on hosita-docs): JSON,
 * snake_case, money as integer fen, every answer wrapped in `{code, message, data}`.
 *
 * Code bands:
 *   "0"  success
 *   1xx  parameter error (HTTP 400; 103/104/105 signature, stale timestamp, replay: HTTP 401)
 *   2xx  partially completed / processing  -> outcome unknown
 *   3xx  service state (maintenance, moved) -> outcome unknown
 *   4xx  HIS internal / communication error -> outcome unknown
 *   5xx  business refusal (clear and final), see BUSINESS below
 *   -1   unknown system error (HTTP 500)    -> outcome unknown
 *
 * Only these schemas decide what "the documented shape" is: an answer that does not parse is
 * never read as success or as refusal.
 */
import { z } from 'zod';

export const Envelope = z.object({ code: z.string(), message: z.string(), data: z.unknown().optional() });

/** Documented business refusals (5xx). */
export const BUSINESS = {
  GENERIC: '500',
  NOT_FOUND: '501',
  NOT_OWNER: '502',
  SLOT_UNAVAILABLE: '503',
  BILL_UNAVAILABLE: '504',
  PRESETTLEMENT_GONE: '505',
  AMOUNT_MISMATCH: '506',
  REVERSAL_NOT_SUPPORTED: '507',
  ALREADY_SETTLED: '508',
  SETTLEMENT_NOT_FOUND: '509',
  REFUND_EXCEEDS: '510',
  REGION_NOT_SUPPORTED: '511',
  INSURANCE_MISMATCH: '512',
  PATIENT_MISMATCH: '513',
  /** a paid or pending registration for the same doctor session already exists (inferred code: sandbox/his/protocol.ts) */
  ALREADY_REGISTERED: '514',
  /** 退号 after the hospital's cut-off */
  CANCEL_TOO_LATE: '515',
} as const;

export const isParamCode = (code: string) => /^1\d\d$/.test(code);
export const isBusinessCode = (code: string) => /^5\d\d$/.test(code);

const fen = z.int().nonnegative();
const text = z.string();

export const RegionW = z.object({ admdvs: z.string().regex(/^\d{6}$/), admdvs_name: text });

export const BenefitW = z.object({
  benefit_code: text,
  benefit_name: text,
  insutype: text,
  insutype_name: text,
  description: text,
  psn_type: text.optional(),
});

/** insu_stas: 1 参保正常, 0 未参保, 2 暂停参保 (停保), 9 非本参保地 */
export const StatusW = z.union([
  z.object({ insu_stas: z.literal('1'), psn_no: text.min(1), insuplc_admdvs: text.min(1), benefits: z.array(BenefitW) }),
  z.object({ insu_stas: z.enum(['0', '2', '9']), stas_desc: text }),
]);

export const PatientW = z.object({ patient_id: text.min(1), outpatient_no: text.optional(), card_no: text.optional() });

export const DeptW = z.object({ dept_code: text, dept_name: text, caty: text, location: text.optional() });

export const DoctorW = z.object({
  doctor_code: text,
  doctor_name: text,
  title: text,
  dept_code: text,
  specialty: text.optional(),
  /** 1 出诊, 0 停诊 */
  status: z.enum(['0', '1']),
});

export const SlotW = z.object({
  slot_id: text,
  doctor_code: text,
  dept_code: text,
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** AM 上午, PM 下午, EV 夜间 */
  period: z.enum(['AM', 'PM', 'EV']),
  start_time: z.string().regex(/^\d{2}:\d{2}$/),
  end_time: z.string().regex(/^\d{2}:\d{2}$/),
  fee_fen: fen,
  remaining: z.int().nonnegative(),
});

/** chrgitm_lv 收费项目等级: 01 甲类, 02 乙类, 03 丙类 (自费) */
export const FeeItemW = z.object({
  feedetl_sn: text.min(1),
  med_list_codg: text.min(1),
  medins_list_codg: text.min(1),
  item_name: text,
  spec: text.optional(),
  unit: text.optional(),
  cnt: z.string().regex(/^\d+(\.\d+)?$/),
  pric_fen: fen,
  /** decimal unit price at the national precision (pric 16,6), e.g. per tablet */
  pric: z.string().regex(/^\d{1,10}(\.\d{1,6})?$/).optional(),
  amount_fen: fen,
  chrgitm_lv: z.enum(['01', '02', '03']),
  rxno: text.optional(),
  drord_no: text.optional(),
  bilg_dept_codg: text,
  bilg_dept_name: text,
  bilg_dr_codg: text,
  bilg_dr_name: text,
  fee_ocur_time: text,
});

export const BillSummaryW = z.object({
  bill_no: text.min(1),
  bill_title: text,
  dept_name: text,
  doctor_name: text,
  created_at: text,
  total_fen: fen,
  item_count: z.int().nonnegative(),
});

/** Money that does not add up is not a documented answer: never pass it on. */
const sumOf = (items: { amount_fen: number }[]) => items.reduce((t, i) => t + i.amount_fen, 0);

export const BillDetailW = BillSummaryW.extend({ fee_list: z.array(FeeItemW) }).refine((b) => sumOf(b.fee_list) === b.total_fen, {
  message: 'total_fen is not the sum of fee_list',
});

export const PreSettlementW = z.object({
  pre_settlement_id: text.min(1),
  total_fen: fen,
  estimate: z.object({ fund_fen: fen, acct_fen: fen, cash_fen: fen }).optional(),
  fee_list: z.array(FeeItemW).min(1),
  visit: z.object({
    ipt_otp_no: text.min(1),
    mdtrt_id: text.optional(),
    dept_code: text,
    dept_name: text,
    caty: text,
    dr_code: text,
    dr_name: text,
    med_type: text,
    begntime: text,
    diseases: z.array(z.object({ code: text, name: text })),
  }),
  expire_time: text,
})
  .refine((p) => sumOf(p.fee_list) === p.total_fen, { message: 'total_fen is not the sum of fee_list' })
  .refine((p) => !p.estimate || p.estimate.fund_fen + p.estimate.acct_fen + p.estimate.cash_fen === p.total_fen, {
    message: 'estimate does not add up to total_fen',
  });

export const SettlementW = z.object({ receipt_no: text.min(1), booked_at: text.optional() });
export const ReversalW = z.object({ reversal_no: text.min(1) });
export const RefundW = z.object({ refund_receipt_no: text.min(1) });
/** 退号 (POST /api/registration/cancel): what HIS booked as refunded, to be returned to the patient */
export const CancelW = z.object({
  cancel_no: text.min(1),
  refund_no: text.min(1),
  total_fen: fen,
  fund_fen: fen,
  acct_fen: fen,
  cash_fen: fen,
  cancelled_at: text.optional(),
});
export const ReleaseW = z.object({ pre_settlement_id: text, status: text }).nullish();
/** reconciliation_no is HIS's voucher number, or the literal "notfound" */
export const TradeCheckW = z.object({ reconciliation_no: text.min(1), trade_time: text.optional() });

/** How the request names a patient: by the configured index, with name and ID for checks. */
export interface PatientRefW {
  index_type: 'id_no' | 'outpatient_no' | 'card_no';
  index_value: string;
  id_no: string;
  name: string;
}

export interface AmountsW {
  total_fen: number;
  fund_fen: number;
  acct_fen: number;
  cash_fen: number;
  /** 其他基金支付 (6202 othFeeAmt), only when there is one */
  oth_fee_fen?: number;
  /** 医院负担 (6202 hospPartAmt, never charged to the patient), only when there is one */
  hosp_part_fen?: number;
}
