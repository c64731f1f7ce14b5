/**
 * Request `data` objects of the mobile-payment centre's transactions and the parsing of their
 * answers. Every scalar we send is a string ("12.30", "1"): the SDK canonicalisation turns
 * numbers into strings and the TS one keeps them, so strings make both agree (notes §3.2).
 * Field names follow the notes' tables; spelling variants seen in the wild are accepted on input.
 */
import { fenToYuan, yuanToFen, type Split } from '@mip/shared';
import type { FeeItem, PreSettlement } from '../his/port';

export type Data = Record<string, unknown>;

export class NationalFormatError extends Error {
  constructor(readonly infno: string, message: string) {
    super(`${infno}: ${message}`);
    this.name = 'NationalFormatError';
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
    insuCode: i.regionCode,
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
    acctUsedFlag: '1',
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
      diagDept: v.deptName,
      diseDorNo: v.drCode,
      diseDorName: v.drName,
      diagTime: v.begntime,
      valiFlag: '1',
    })),
    feedetailList: i.preSettlement.items.map((f) => ({
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
      cnt: f.quantity,
      pric: fenToYuan(f.unitPriceFen),
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
  if (i.payAuthNo !== undefined) throw new NationalFormatError(infno, 'payAuthNo and ecToken are exclusive');
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
}

/** 6202 支付下单 */
export function payOrderData(i: PayOrderInput): Data {
  const data: Data = {
    ...authField('6202', i),
    payOrdId: i.payOrdId,
    payToken: i.payToken,
    orgCodg: i.orgCodg,
    orgBizSer: i.orgBizSer,
    chrgBchno: i.chrgBchno,
    feeType: '01',
    acctUsedFlag: '1',
    setlLatlnt: i.location,
  };
  if (i.mdtrtId) data.mdtrtId = i.mdtrtId;
  return data;
}

export interface OrderAnswer {
  payOrdId: string;
  ordStas: string;
  split?: Split;
  medOrgOrd?: string;
  traceTime?: string;
  setlId?: string;
  mdtrtId?: string;
  revsToken?: string;
}

/** 6202 and 6301 answers and 6302 notifications share their fields. */
export function parseOrderAnswer(infno: string, d: Data): OrderAnswer {
  const payOrdId = str(d, 'payOrdId');
  const ordStas = str(d, 'ordStas');
  if (!payOrdId || ordStas === undefined) throw new NationalFormatError(infno, 'answer lacks payOrdId or ordStas');
  const out: OrderAnswer = { payOrdId, ordStas };
  const total = str(d, 'feeSumamt');
  if (total !== undefined) {
    const cash = str(d, 'ownPayAmt') ?? str(d, 'ownpayAmt');
    const acct = str(d, 'psnAcctPay');
    const fund = str(d, 'fundPay');
    if (cash === undefined || acct === undefined || fund === undefined) throw new NationalFormatError(infno, 'amounts incomplete');
    try {
      out.split = { totalFen: yuanToFen(total), cashFen: yuanToFen(cash), acctFen: yuanToFen(acct), fundFen: yuanToFen(fund) };
    } catch (e) {
      throw new NationalFormatError(infno, (e as Error).message);
    }
  }
  const ext = obj(d, 'extData');
  const setl = ext ? (obj(ext, 'setlinfo') ?? obj(ext, 'setlInfo')) : undefined;
  for (const [k, v] of [
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

/** 6301 查询 and 6401 撤销 take the same fields. */
export function orderRefData(i: { payOrdId: string; orgCodg: string; payToken: string; identity: { idNo: string; name: string } }): Data {
  return { payOrdId: i.payOrdId, orgCodg: i.orgCodg, payToken: i.payToken, idNo: i.identity.idNo, userName: i.identity.name, idType: '01' };
}

export type RefundType = 'ALL' | 'CASH' | 'HI';

/** 6203 医保退费 */
export function refundData(i: {
  payOrdId: string;
  appRefdSn: string;
  at: Date;
  amounts: Split;
  refdType: RefundType;
  payAuthNo?: string;
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
  if (i.payAuthNo) data.payAuthNo = i.payAuthNo;
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
