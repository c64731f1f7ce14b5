/**
 * What the strict sandbox centre refuses, and the shapes it can answer in, written from public
 * code (never from the BFF). Sources:
 *   TSX = the public TypeScript hospital backend for Shanxi (code corpus: `legacy-fsi-contract.ts`
 *         validate6201FeeUpload / validate6202Request / validate6203Refund / validate6401Response;
 *         `medical-insurance-order.ts` assertValidMedicalInsuranceAmounts,
 *         normalizeMedicalInsuranceSettlementNotification)
 *   HSA = github fengzaiqishi11/hsa-his, `hsa-com/src/main/java/cn/hsa/module/dzpz/hainan/`
 *         (refundSetl.java, SeltSucCallbackDTO.java, ExtDataDTO.java)
 *   SYN = the public C# client's `Trade6202OutData` (othFeeAmt, hospPartAmt, acctMulaidPay, …)
 * Every refusal is a CentreError in the centre's error format ({code, message}, no encData).
 */
import { CentreError } from './errors';

type Data = Record<string, unknown>;

const text = (d: Data, k: string): string | undefined => {
  const v = d[k];
  if (typeof v === 'string' && v.trim() !== '') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
};

/**
 * 6203 carries exactly one authorization: TSX validate6203Refund ("exactly one of ecToken and
 * payAuthNo is required"); HSA refundSetl.java sends ecToken.
 */
export function checkRefundAuthorization(d: Data): string {
  const payAuthNo = text(d, 'payAuthNo');
  const ecToken = text(d, 'ecToken');
  if (payAuthNo && ecToken) throw new CentreError('1001', '参数校验失败: payAuthNo 与 ecToken 不能同时上传');
  if (!payAuthNo && !ecToken) throw new CentreError('1001', '参数校验失败: payAuthNo 与 ecToken 必填其一');
  return (payAuthNo ?? ecToken)!;
}

/** Both at once in 6201/6202 are refused too (TSX: ecToken replaces payAuthNo on the e-voucher path). */
export function checkPayAuthorization(d: Data): string {
  return checkRefundAuthorization(d);
}

/**
 * 6201 without ecToken needs the hospital's mdtrtId (TSX validate6201FeeUpload:
 * `if (!payload.ecToken) requiredText(payload, "mdtrtId")`). With ecToken the centre assigns one
 * in its answer (TSX medical-insurance-order.ts: "6201 返回并供 6202 关联的就诊/医保结算号").
 */
export function checkFeeUploadMdtrtId(d: Data, strict: boolean): void {
  if (strict && !text(d, 'ecToken') && !text(d, 'mdtrtId')) throw new CentreError('1001', '参数校验失败: 缺少 mdtrtId');
}

/** 6202 always carries mdtrtId (TSX validate6202Request: required field list includes mdtrtId). */
export function checkPayOrderMdtrtId(d: Data, uploaded: { mdtrtId: string }): void {
  const m = text(d, 'mdtrtId');
  if (!m) throw new CentreError('1001', '参数校验失败: 缺少 mdtrtId');
  if (m !== uploaded.mdtrtId) throw new CentreError('2015', '就诊ID与费用上传不一致');
}

/** 6202's chrgBchno is the one its 6201 uploaded (TSX MedicalInsuranceSettlementContext: "6202 必须复用同一值"). */
export function checkPayOrderBatch(d: Data, uploaded: { chrgBchno: string }): void {
  if (text(d, 'chrgBchno') !== uploaded.chrgBchno) throw new CentreError('2016', '收费批次号与费用上传不一致');
}

/**
 * Detail lines belong to the header: same chrgBchno and psnNo, no repeated feedetlSn
 * (national 6201 field table; TSX keeps one chrgBchno per upload). Σ detItemFeeSumamt must be
 * medfeeSumamt (TSX validate6201FeeUpload "fee detail total must equal medfeeSumamt").
 */
export function checkFeeLines(d: Data, lines: Data[], lineFen: (l: Data, i: number) => number, totalFen: number): void {
  const seen = new Set<string>();
  let sum = 0;
  lines.forEach((l, i) => {
    const n = i + 1;
    if (text(l, 'chrgBchno') !== undefined && text(l, 'chrgBchno') !== text(d, 'chrgBchno')) throw new CentreError('2017', `第${n}条明细的收费批次号与表头不一致`);
    if (text(l, 'psnNo') !== undefined && text(l, 'psnNo') !== text(d, 'psnNo')) throw new CentreError('2017', `第${n}条明细的人员编号与表头不一致`);
    const sn = text(l, 'feedetlSn') ?? '';
    if (seen.has(sn)) throw new CentreError('2018', `费用明细流水号重复: ${sn}`);
    seen.add(sn);
    checkPriceTimesCount(l, n, lineFen(l, i));
    sum += lineFen(l, i);
  });
  if (sum !== totalFen) throw new CentreError('2003', '医疗费总额与明细合计不一致');
}

/**
 * pric is 16,6 and cnt 16,4 (national fee-detail table; HSA carries both as BigDecimal), and
 * pric × cnt makes the line total to the fen (half up). Decimal strings, multiplied as integers.
 */
export function checkPriceTimesCount(l: Data, n: number, lineFen: number): void {
  const p = /^(\d{1,10})(?:\.(\d{1,6}))?$/.exec(text(l, 'pric') ?? '');
  const c = /^(\d{1,12})(?:\.(\d{1,4}))?$/.exec(text(l, 'cnt') ?? '');
  if (!p || !c) throw new CentreError('1001', `参数校验失败: 第${n}条明细单价或数量精度不符 (pric 16,6 / cnt 16,4)`);
  const pric = BigInt(p[1] + (p[2] ?? '').padEnd(6, '0')); // yuan × 10^6
  const cnt = BigInt(c[1] + (c[2] ?? '').padEnd(4, '0')); // × 10^4
  const fen = (pric * cnt + 50_000_000n) / 100_000_000n; // yuan × 10^10 → fen, half up
  if (fen !== BigInt(lineFen)) throw new CentreError('2003', `第${n}条明细单价×数量与明细金额不一致`);
}

/**
 * An ALL refund equals every component of the original split (TSX validate6203Refund "ALL
 * refund must equal every original settlement component").
 */
export function checkAllRefund(type: string | undefined, refund: { cashFen: number; acctFen: number; fundFen: number }, split: { cashFen: number; acctFen: number; fundFen: number }): void {
  if (type !== 'ALL') return;
  if (refund.cashFen !== split.cashFen || refund.acctFen !== split.acctFen || refund.fundFen !== split.fundFen) {
    throw new CentreError('2003', 'ALL 退费须与原结算各项金额一致');
  }
}

/**
 * Extra 6202 amounts (SYN Trade6202OutData; TSX MedicalInsuranceAmounts): a configurable policy
 * moves part of the self-pay share to another fund (othFeeAmt, in the total: TSX checks
 * total = cash + acct + fund + othFeeAmt) and names a hospital-borne part of the self-pay
 * (hospPartAmt, not in that sum: TSX medicalInsurancePaymentBreakdown takes it off the cash).
 * acctMulaidPay is the family-account (共济) share of psnAcctPay.
 */
export interface ExtraAmountsPolicy {
  /** basis points of the self-pay part paid by another fund (othFeeAmt) */
  otherFundBp: number;
  /** basis points of the remaining self-pay part borne by the hospital (hospPartAmt) */
  hospitalPartBp: number;
  /** basis points of the personal-account part paid from a family account (acctMulaidPay) */
  familyAccountBp: number;
}

export const NO_EXTRA_AMOUNTS: ExtraAmountsPolicy = { otherFundBp: 0, hospitalPartBp: 0, familyAccountBp: 0 };

export interface ExtraAmounts {
  othFeeFen: number;
  hospPartFen: number;
  acctMulaidFen: number;
}

/** Splits the cash share further; returns the new cash (ownPayAmt, hospital part included) and the extras. */
export function extraAmounts(split: { cashFen: number; acctFen: number }, p: ExtraAmountsPolicy): { cashFen: number; extra: ExtraAmounts } {
  const othFeeFen = Math.floor((split.cashFen * p.otherFundBp) / 10_000);
  const cashFen = split.cashFen - othFeeFen;
  const hospPartFen = Math.floor((cashFen * p.hospitalPartBp) / 10_000);
  const acctMulaidFen = Math.floor((split.acctFen * p.familyAccountBp) / 10_000);
  return { cashFen, extra: { othFeeFen, hospPartFen, acctMulaidFen } };
}

/**
 * 6302 forms. TSX: payOrdId, callType "02", medOrgOrd, traceTime, feeSumamt, ownPayAmt,
 * psnAcctPay, fundPay, setlType, revsToken — no ordStas (normalizeMedicalInsuranceSettlementNotification).
 * HSA SeltSucCallbackDTO.java adds ordStas.
 */
export type NotificationForm = 'tsx' | 'hsa';

export function notificationBody(settled: Data, form: NotificationForm): Data {
  if (form === 'hsa') return settled;
  const { ordStas: _dropped, extData: _ext, ...rest } = settled;
  return rest;
}

/** 6301 setlinfo as one object or a list of them (HSA ExtDataDTO.java: `List<SetlInfoDTO> setlinfo`). */
export type SetlinfoShape = 'object' | 'list';

export function shapeSetlinfo(setlinfo: Data, shape: SetlinfoShape): Data | Data[] {
  return shape === 'list' ? [setlinfo] : setlinfo;
}

/** The acknowledgement forms a hospital may answer a 6302 with: TSX `{success:true, message}`, or `{code:0}`. */
export function isNotificationAcknowledged(status: number, body: Record<string, unknown>): boolean {
  if (status !== 200) return false;
  return body.success === true || String(body.code) === '0';
}
