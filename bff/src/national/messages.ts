/**
 * Request `data` objects of the mobile-payment centre's transactions and the parsing of their
 * answers. Every scalar we send is a string ("12.30", "1"): the SDK canonicalisation turns
 * numbers into strings and the TS one keeps them, so strings make both agree (notes §3.2).
 * Field names follow the notes' tables; spelling variants seen in the wild are accepted on input.
 */
import { fenToYuan, yuanToFen, type Split } from '@mip/shared';
import type { FeeItem, PreSettlement } from '../his/port';
import { lineTotalFen, normalizeCnt, normalizePric } from './decimal';
import type { CentreOrderReport } from './port';

export type Data = Record<string, unknown>;

export class NationalFormatError extends Error {
  constructor(readonly infno: string, message: string) {
    super(`${infno}: ${message}`);
    this.name = 'NationalFormatError';
  }
}

/** A request we must not send (a field the centre requires is missing or wrong): nothing left. */
export class NationalRequestError extends Error {
  constructor(readonly infno: string, message: string) {
    super(`${infno}: ${message}`);
    this.name = 'NationalRequestError';
  }
}

/** yyyy-MM-dd HH:mm:ss / yyyyMMddHHmmss in China time. */
export function chinaTime(d: Date, compact = false): string {
  const s = new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19);
  return compact ? s.replace(/[-:T]/g, '') : s.replace('T', ' ');
}

export interface FeeUploadInput {
  orgCodg: string;
  orderNo: string;
  chrgBchno: string;
  psnNo: string;
  insutype: string;
  regionCode: string;
  /**
   * TSX sends a configured insuCode (the centre of the hospital's contract) beside the patient's
   * insured region (insuplcAdmdvs); defaults to the patient's region when not configured.
   */
  insuCode?: string;
  /** TSX derives acctUsedFlag per region and allows "" (validate6202Request) */
  acctUsedFlag?: string;
  identity: { idNo: string; name: string };
  /** exactly one of payAuthNo (mini-program authorization) and ecToken (e-voucher QR at a kiosk) */
  payAuthNo?: string;
  ecToken?: string;
  location: string;
  preSettlement: Pick<PreSettlement, 'visit'> & { items: FeeItem[] };
  totalFen: number;
}

/** 6201 费用明细上传 */
export function feeUploadData(i: FeeUploadInput): Data {
  const v = i.preSettlement.visit;
  // TSX validate6201FeeUpload: without ecToken the hospital's mdtrtId is required
  if (i.ecToken === undefined && !v.mdtrtId) throw new NationalRequestError('6201', 'mdtrtId is unavailable (HIS did not register the visit)');
  const data: Data = {
    orgCodg: i.orgCodg,
    psnNo: i.psnNo,
    insutype: i.insutype,
    medOrgOrd: i.orderNo,
    begntime: v.begntime,
    idNo: i.identity.idNo,
    userName: i.identity.name,
    idType: '01',
    ...authField('6201', i),
    insuCode: i.insuCode ?? i.regionCode,
    insuplcAdmdvs: i.regionCode,
    iptOtpNo: v.iptOtpNo,
    atddrNo: v.drCode,
    drName: v.drName,
    deptCode: v.deptCode,
    deptName: v.deptName,
    caty: v.caty,
    medType: v.medType,
    feeType: '01',
    medfeeSumamt: fenToYuan(i.totalFen),
    acctUsedFlag: i.acctUsedFlag ?? '1',
    psnSetlway: '01',
    chrgBchno: i.chrgBchno,
    pubHospRfomFlag: '1',
    uldLatlnt: i.location,
    mdtrtCertType: '01',
    diseinfoList: v.diseases.map((d, n) => ({
      diagType: '1',
      diagSrtNo: String(n + 1),
      diagCode: d.code,
      diagName: d.name,
      diagDept: v.deptCode, // a department code in TSX, not a name
      diseDorNo: v.drCode,
      diseDorName: v.drName,
      diagTime: v.begntime,
      valiFlag: '1',
    })),
    feedetailList: i.preSettlement.items.map((f) => ({ ...priceAndCount(f),
      feedetlSn: f.feedetlSn,
      psnNo: i.psnNo,
      chrgBchno: i.chrgBchno,
      rxno: f.rxno,
      rxCircFlag: '0',
      feeOcurTime: f.feeOcurTime,
      medListCodg: f.medListCodg,
      medinsListCodg: f.medinsListCodg,
      medListName: f.name,
      medListSpc: f.spec,
      detItemFeeSumamt: fenToYuan(f.amountFen),
      bilgDeptCodg: f.bilgDeptCodg,
      bilgDeptName: f.bilgDeptName,
      bilgDrCodg: f.bilgDrCodg,
      bilgDrName: f.bilgDrName,
      drordNo: f.drordNo,
      medType: v.medType,
      hospApprFlag: '1',
    })),
  };
  if (v.mdtrtId) data.mdtrtId = v.mdtrtId;
  return data;
}

/**
 * pric (16,6) and cnt (16,4) as decimal strings (national fee-detail table; HSA BigDecimal):
 * the HIS's decimal unit price when it gives one, else the fen price. pric × cnt must make the
 * line total to the fen, computed in BigInt.
 */
function priceAndCount(f: FeeItem): { pric: string; cnt: string } {
  const pric = normalizePric(f.unitPrice ?? fenToYuan(f.unitPriceFen));
  const cnt = normalizeCnt(f.quantity);
  if (pric === undefined || cnt === undefined) throw new NationalRequestError('6201', `line ${f.feedetlSn}: price or quantity beyond the national precision`);
  if (lineTotalFen(pric, cnt) !== f.amountFen) throw new NationalRequestError('6201', `line ${f.feedetlSn}: ${pric} × ${cnt} is not ${fenToYuan(f.amountFen)}`);
  return { pric, cnt };
}

export function parseFeeUpload(d: Data): { payOrdId: string; payToken: string; mdtrtId?: string } {
  const payOrdId = str(d, 'payOrdId');
  const payToken = str(d, 'payToken');
  if (!payOrdId || !payToken) throw new NationalFormatError('6201', 'answer lacks payOrdId or payToken');
  const ext = obj(d, 'extData');
  const mdtrtId = str(d, 'mdtrtId') ?? (ext ? str(ext, 'mdtrtId') : undefined);
  return { payOrdId, payToken, ...(mdtrtId ? { mdtrtId } : {}) };
}

/** The authorization field of 6201/6202: payAuthNo, or ecToken when the patient showed the e-voucher QR. */
function authField(infno: string, i: { payAuthNo?: string; ecToken?: string }): Data {
  if (i.ecToken === undefined) return { payAuthNo: i.payAuthNo };
  if (i.payAuthNo !== undefined) throw new NationalRequestError(infno, 'payAuthNo and ecToken are exclusive');
  return { ecToken: i.ecToken };
}

export interface PayOrderInput {
  orgCodg: string;
  payAuthNo?: string;
  /** instead of payAuthNo on the e-voucher QR path (kiosk) */
  ecToken?: string;
  payOrdId: string;
  payToken: string;
  /** new for every 6202 call */
  orgBizSer: string;
  chrgBchno: string;
  mdtrtId?: string;
  location: string;
  acctUsedFlag?: string;
}

/** 6202 支付下单 */
export function payOrderData(i: PayOrderInput): Data {
  // TSX validate6202Request: mdtrtId is required; "mdtrtId is unavailable" aborts before sending
  if (!i.mdtrtId) throw new NationalRequestError('6202', 'mdtrtId is unavailable');
  const data: Data = {
    ...authField('6202', i),
    payOrdId: i.payOrdId,
    payToken: i.payToken,
    orgCodg: i.orgCodg,
    orgBizSer: i.orgBizSer,
    chrgBchno: i.chrgBchno,
    feeType: '01',
    acctUsedFlag: i.acctUsedFlag ?? '1',
    setlLatlnt: i.location,
    mdtrtId: i.mdtrtId,
  };
  return data;
}

export interface OrderAnswer extends OrderFields {
  ordStas: string;
}

/** A 6302 notification: ordStas is absent in the TSX form (callType "02" instead). */
export type NotificationAnswer = OrderFields;

/** the centre's view of one order, as the port names it */
type OrderFields = CentreOrderReport;

/**
 * 6202 and 6301 answers and 6302 notifications share their fields. A 6302 in the TSX form has
 * no ordStas (TSX normalizeMedicalInsuranceSettlementNotification: callType "02" instead); HSA
 * SeltSucCallbackDTO has one — `ordStasOptional` accepts both.
 */
export function parseOrderAnswer(infno: string, d: Data): OrderAnswer {
  const a = parseOrderFields(infno, d);
  if (a.ordStas === undefined) throw new NationalFormatError(infno, 'answer lacks payOrdId or ordStas');
  return { ...a, ordStas: a.ordStas };
}

export function parseNotification(d: Data): NotificationAnswer {
  return parseOrderFields('6302', d);
}

function parseOrderFields(infno: string, d: Data): OrderFields {
  const payOrdId = str(d, 'payOrdId');
  const ordStas = str(d, 'ordStas');
  if (!payOrdId) throw new NationalFormatError(infno, 'answer lacks payOrdId or ordStas');
  const out: OrderFields = { payOrdId, ...(ordStas !== undefined ? { ordStas } : {}) };
  if (str(d, 'feeSumamt') !== undefined) Object.assign(out, splitOf(infno, d));
  const ext = obj(d, 'extData');
  const setl = ext ? setlinfoOf(ext) : undefined;
  for (const [k, v] of [
    ['callType', str(d, 'callType')],
    ['setlType', str(d, 'setlType')],
    ['medOrgOrd', str(d, 'medOrgOrd')],
    ['traceTime', str(d, 'traceTime')],
    ['revsToken', str(d, 'revsToken')],
    ['setlId', str(d, 'setlId') ?? (setl ? str(setl, 'setl_id') : undefined)],
    ['mdtrtId', str(d, 'mdtrtId') ?? (setl ? str(setl, 'mdtrt_id') : undefined)],
  ] as const) {
    if (v !== undefined) (out as unknown as Record<string, string>)[k] = v;
  }
  return out;
}

/** extData.setlinfo as an object, or a list read at its first element (HSA ExtDataDTO `List<SetlInfoDTO>`, `.get(0)`). */
function setlinfoOf(ext: Data): Data | undefined {
  const v = ext.setlinfo ?? ext.setlInfo;
  if (Array.isArray(v)) return v[0] && typeof v[0] === 'object' ? (v[0] as Data) : undefined;
  return obj(ext, 'setlinfo') ?? obj(ext, 'setlInfo');
}

const fenOf = (infno: string, d: Data, k: string): number | undefined => {
  const v = str(d, k);
  if (v === undefined || v === '') return undefined;
  try {
    return yuanToFen(v);
  } catch (e) {
    throw new NationalFormatError(infno, `${k}: ${(e as Error).message}`);
  }
};

/**
 * The split of a 6202/6301/6302: SYN Trade6202OutData has othFeeAmt, hospPartAmt, deposit,
 * acctMulaidPay and selfAcctPay beside the four classic amounts. TSX checks
 * feeSumamt = ownPayAmt + psnAcctPay + fundPay + othFeeAmt (assertValidMedicalInsuranceAmounts),
 * and takes hospPartAmt off the cash the patient pays (medicalInsurancePaymentBreakdown). So
 * `cashFen` here is ownPayAmt − hospPartAmt, and total = cash + hospital + acct + fund + other.
 * [I] acctMulaidPay (family account) and selfAcctPay are parts of psnAcctPay; a deposit has no
 * place in an outpatient mobile payment — either going wrong sends the order to a person.
 */
function splitOf(infno: string, d: Data): { split: Split; splitIssue?: string } {
  const total = fenOf(infno, d, 'feeSumamt');
  const ownPay = fenOf(infno, d, 'ownPayAmt') ?? fenOf(infno, d, 'ownpayAmt');
  const acct = fenOf(infno, d, 'psnAcctPay');
  const fund = fenOf(infno, d, 'fundPay');
  if (total === undefined || ownPay === undefined || acct === undefined || fund === undefined) throw new NationalFormatError(infno, 'amounts incomplete');
  const other = fenOf(infno, d, 'othFeeAmt') ?? 0;
  const hospital = fenOf(infno, d, 'hospPartAmt') ?? 0;
  const family = fenOf(infno, d, 'acctMulaidPay');
  const own = fenOf(infno, d, 'selfAcctPay');
  const deposit = fenOf(infno, d, 'deposit') ?? 0;
  const split: Split = { totalFen: total, fundFen: fund, acctFen: acct, cashFen: ownPay - hospital, ...(other ? { otherFundFen: other } : {}), ...(hospital ? { hospitalFen: hospital } : {}) };
  const issues: string[] = [];
  if (ownPay + acct + fund + other !== total) issues.push(`feeSumamt ${total} ≠ ownPayAmt ${ownPay} + psnAcctPay ${acct} + fundPay ${fund} + othFeeAmt ${other}`);
  if (hospital > ownPay) issues.push(`hospPartAmt ${hospital} > ownPayAmt ${ownPay}`);
  if (family !== undefined && family > acct) issues.push(`acctMulaidPay ${family} > psnAcctPay ${acct}`);
  if (family !== undefined && own !== undefined && family + own !== acct) issues.push(`acctMulaidPay ${family} + selfAcctPay ${own} ≠ psnAcctPay ${acct}`);
  if (deposit) issues.push(`deposit ${deposit} in an outpatient payment`);
  return issues.length ? { split, splitIssue: issues.join('; ') } : { split };
}

/** 6301 查询 and 6401 撤销 take the same fields. */
export function orderRefData(i: { payOrdId: string; orgCodg: string; payToken: string; identity: { idNo: string; name: string } }): Data {
  return { payOrdId: i.payOrdId, orgCodg: i.orgCodg, payToken: i.payToken, idNo: i.identity.idNo, userName: i.identity.name, idType: '01' };
}

export type RefundType = 'ALL' | 'CASH' | 'HI';

/** The one authorization a 6203 carries (TSX validate6203Refund: exactly one of the two). */
export type RefundAuthorization = { payAuthNo: string; ecToken?: undefined } | { ecToken: string; payAuthNo?: undefined };

/** 6203 医保退费 */
export function refundData(i: {
  payOrdId: string;
  appRefdSn: string;
  at: Date;
  amounts: Split;
  refdType: RefundType;
  authorization: RefundAuthorization;
  reason?: string;
}): Data {
  const data: Data = {
    payOrdId: i.payOrdId,
    appRefdSn: i.appRefdSn,
    appRefdTime: chinaTime(i.at, true),
    totlRefdAmt: fenToYuan(i.amounts.totalFen),
    psnAcctRefdAmt: fenToYuan(i.amounts.acctFen),
    fundRefdAmt: fenToYuan(i.amounts.fundFen),
    cashRefdAmt: fenToYuan(i.amounts.cashFen),
    refdType: i.refdType,
  };
  if (i.authorization.ecToken !== undefined) data.ecToken = i.authorization.ecToken;
  else data.payAuthNo = i.authorization.payAuthNo;
  if (i.reason) data.expContent = JSON.stringify({ reason: i.reason });
  return data;
}

export interface RefundAnswer {
  refdSn?: string;
  refStatus: 'SUCC' | 'FAIL' | 'EXP' | 'unknown';
  hiTrnsDate?: string;
}

export function parseRefund(d: Data): RefundAnswer {
  const s = str(d, 'refStatus');
  const refStatus = s === 'SUCC' || s === 'FAIL' || s === 'EXP' ? s : 'unknown';
  const out: RefundAnswer = { refStatus };
  const refdSn = str(d, 'refdSn');
  if (refdSn) out.refdSn = refdSn;
  const date = str(d, 'hiTrnsDate');
  if (date) out.hiTrnsDate = date;
  return out;
}

/** String value of a field, accepting numbers (some centres answer 6203 amounts as numbers). */
export function str(d: Data, key: string): string | undefined {
  const v = d[key];
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function obj(d: Data, key: string): Data | undefined {
  const v = d[key];
  if (typeof v === 'string' && v.startsWith('{')) {
    try {
      return JSON.parse(v) as Data;
    } catch {
      return undefined;
    }
  }
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Data) : undefined;
}
