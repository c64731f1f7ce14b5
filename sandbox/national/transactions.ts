/**
 * What the sandbox centre does with each transaction once the envelope is verified. Errors are
 * CentreError with the centre-style code and a Chinese message ([I]: the real code table is not
 * public; these codes are ours and documented in sandbox/national/README.md).
 */
import crypto from 'node:crypto';
import { fenToYuan, yuanToFen } from '@mip/shared';
import { personByIdNo } from '../seed/persons';
import { computeSplit, type SplitPolicy } from './policy';
import { CentreStore, type CentreOrder } from './store';
import { CentreError } from './errors';
import {
  checkAllRefund,
  checkFeeLines,
  checkFeeUploadMdtrtId,
  checkPayAuthorization,
  checkPayOrderBatch,
  checkPayOrderMdtrtId,
  checkRefundAuthorization,
  extraAmounts,
  NO_EXTRA_AMOUNTS,
  shapeSetlinfo,
  type ExtraAmountsPolicy,
  type SetlinfoShape,
} from './rules';

export { CentreError };

type Data = Record<string, unknown>;

const s = (d: Data, k: string): string | undefined => (typeof d[k] === 'string' ? (d[k] as string) : typeof d[k] === 'number' ? String(d[k]) : undefined);

function need(d: Data, fields: string[]): void {
  const missing = fields.filter((f) => s(d, f) === undefined || s(d, f) === '');
  if (missing.length) throw new CentreError('1001', `参数校验失败: 缺少 ${missing.join(',')}`);
}

function fen(d: Data, k: string): number {
  try {
    return yuanToFen(s(d, k) ?? '');
  } catch {
    throw new CentreError('1001', `参数校验失败: ${k} 金额格式错误`);
  }
}

function sha(v: unknown): string {
  return crypto.createHash('sha256').update(JSON.stringify(v)).digest('hex');
}

const compactNow = () => new Date(Date.now() + 8 * 3600_000).toISOString().replace(/\D/g, '').slice(0, 14);

/**
 * Lets tests make the centre misreport (a settlement whose amounts differ, an unknown ordStas) or
 * answer one order in another documented form: `extra-amounts` (a 6202 with othFeeAmt /
 * hospPartAmt, shape = ExtraAmountsPolicy) and `all-self-pay` (a 6202 pre-settlement with nothing
 * covered: fund 0, account 0, all cash).
 */
export interface Misreport {
  take(op: 'amounts' | 'ordStas' | 'extra-amounts' | 'all-self-pay', key: string): { code?: string; shape?: Record<string, string | number> } | undefined;
}

export interface CentreConfig {
  orgCodg: string;
  policy: SplitPolicy;
  /** 6203 without exactly one of payAuthNo/ecToken is refused (TSX validate6203Refund); off only for old tests */
  refundRequiresPayAuthNo: boolean;
  /** 6201 with payAuthNo needs the hospital's mdtrtId (TSX validate6201FeeUpload) */
  requireMdtrtIdIn6201?: boolean;
  /** othFeeAmt / hospPartAmt / acctMulaidPay in 6202 answers (SYN Trade6202OutData) */
  extraAmounts?: ExtraAmountsPolicy;
  /** 6301 extData.setlinfo as an object or a list (HSA ExtDataDTO) */
  setlinfoShape?: SetlinfoShape;
}

export class Centre {
  constructor(
    readonly store: CentreStore,
    private readonly cfg: CentreConfig,
    private readonly misreport?: Misreport,
  ) {}

  private order(d: Data, needToken: boolean): CentreOrder {
    const o = this.store.orders.get(s(d, 'payOrdId') ?? '');
    if (!o) throw new CentreError('2002', '支付订单不存在');
    if (needToken && s(d, 'payToken') !== o.payToken) throw new CentreError('2006', 'payToken 不正确');
    return o;
  }

  private checkOrg(d: Data): void {
    if (s(d, 'orgCodg') !== this.cfg.orgCodg) throw new CentreError('1003', '定点医药机构编码不符');
  }

  /** 6201 费用明细上传 */
  feeUpload(d: Data): Data {
    need(d, ['orgCodg', 'psnNo', 'insutype', 'medOrgOrd', 'begntime', 'idNo', 'userName', 'idType', 'insuCode', 'iptOtpNo', 'deptCode',
      'deptName', 'caty', 'medType', 'feeType', 'medfeeSumamt', 'psnSetlway', 'chrgBchno', 'pubHospRfomFlag', 'uldLatlnt', 'mdtrtCertType']);
    this.checkOrg(d);
    const list = d.feedetailList;
    if (!Array.isArray(list) || list.length === 0) throw new CentreError('1001', '参数校验失败: feedetailList 不能为空');
    const lines = list.map((raw, i) => {
      const l = raw as Data;
      need(l, ['feedetlSn', 'medListCodg', 'detItemFeeSumamt', 'cnt', 'pric']);
      const amountFen = fen(l, 'detItemFeeSumamt');
      if (amountFen < 0) throw new CentreError('1001', `参数校验失败: 第${i + 1}条明细金额为负`);
      return { code: s(l, 'medListCodg')!, amountFen };
    });
    const totalFen = fen(d, 'medfeeSumamt');
    checkFeeLines(d, list as Data[], (_l, i) => lines[i].amountFen, totalFen);
    checkFeeUploadMdtrtId(d, this.cfg.requireMdtrtIdIn6201 ?? false);
    const person = personByIdNo(s(d, 'idNo')!);
    if (!person || person.name !== s(d, 'userName')) throw new CentreError('2010', '人员信息不符');
    // insuplcAdmdvs is the patient's insured region; insuCode the centre of the hospital's contract (TSX sends both)
    const region = s(d, 'insuplcAdmdvs') ?? s(d, 'insuCode');
    const ins = person.insurance.find((i) => i.regionCode === region && i.psnNo === s(d, 'psnNo'));
    if (!ins || ins.status !== 'insured') throw new CentreError('2011', '人员参保信息不符或已停保');
    if (!ins.insutypes?.includes(s(d, 'insutype')!)) throw new CentreError('2012', '险种类型不符');
    const authNo = checkPayAuthorization(d);
    const auth = this.store.auths.get(authNo);
    if (!auth || auth.expiresAt < Date.now()) throw new CentreError('2001', '支付授权码无效或已过期');
    if (auth.idNo !== person.idNo) throw new CentreError('2001', '支付授权码与参保人不符');

    const fingerprint = sha({ lines, totalFen, psnNo: s(d, 'psnNo'), chrgBchno: s(d, 'chrgBchno') });
    const existing = this.store.byMedOrgOrd.get(s(d, 'medOrgOrd')!);
    if (existing) {
      const o = this.store.orders.get(existing)!;
      if (o.uploadFingerprint !== fingerprint) throw new CentreError('2005', '医疗机构订单号重复且内容不同');
      if (['0', '1', '2'].includes(o.ordStas)) o.payAuthNo = authNo;
      return { payOrdId: o.payOrdId, payToken: o.payToken, extData: { mdtrtId: o.mdtrtId } };
    }
    const o: CentreOrder = {
      payOrdId: this.store.nextPayOrdId(),
      payToken: CentreStore.token(),
      medOrgOrd: s(d, 'medOrgOrd')!,
      chrgBchno: s(d, 'chrgBchno')!,
      mdtrtId: s(d, 'mdtrtId') ?? `MDT${Date.now()}${crypto.randomInt(1000, 9999)}`,
      psnNo: s(d, 'psnNo')!,
      insutype: s(d, 'insutype')!,
      idNo: person.idNo,
      name: person.name,
      regionCode: region!,
      insuCode: s(d, 'insuCode'),
      payAuthNo: authNo,
      lines,
      totalFen,
      uploadFingerprint: fingerprint,
      ordStas: '0',
      orgBizSers: [],
      createdAt: new Date().toISOString(),
      refunds: [],
    };
    this.store.orders.set(o.payOrdId, o);
    this.store.byMedOrgOrd.set(o.medOrgOrd, o.payOrdId);
    return { payOrdId: o.payOrdId, payToken: o.payToken, extData: { mdtrtId: o.mdtrtId } };
  }

  /** 6202 支付下单 */
  payOrder(d: Data): Data {
    need(d, ['payOrdId', 'payToken', 'orgCodg', 'orgBizSer', 'chrgBchno', 'feeType']);
    const authNo = checkPayAuthorization(d); // ecToken: the e-voucher QR path (kiosk.ts)
    this.checkOrg(d);
    const o = this.order(d, true);
    checkPayOrderMdtrtId(d, o);
    checkPayOrderBatch(d, o);
    const orgBizSer = s(d, 'orgBizSer')!;
    for (const other of this.store.orders.values()) {
      if (other.orgBizSers.includes(orgBizSer)) throw new CentreError('2007', '机构业务流水号重复');
    }
    if (!['0', '1', '2'].includes(o.ordStas)) throw new CentreError('2004', `订单状态不允许下单 (ordStas=${o.ordStas})`);
    const auth = this.store.auths.get(authNo);
    if (!auth || auth.expiresAt < Date.now() || auth.idNo !== o.idNo) throw new CentreError('2001', '支付授权码无效或已过期');
    if (auth.usedBy && auth.usedBy !== o.payOrdId) throw new CentreError('2001', '支付授权码已使用');
    auth.usedBy = o.payOrdId;
    o.payAuthNo = auth.payAuthNo;
    o.orgBizSers.push(orgBizSer);
    const useAcct = s(d, 'acctUsedFlag') !== '0';
    const computed = computeSplit(o.lines, o.insutype, this.store.balances.get(o.psnNo) ?? 0, useAcct, this.cfg.policy);
    const base = this.misreport?.take('all-self-pay', o.payOrdId) ? { ...computed, fundFen: 0, acctFen: 0, cashFen: computed.totalFen } : computed;
    const shaped = this.misreport?.take('extra-amounts', o.payOrdId)?.shape;
    const { cashFen, extra } = extraAmounts(base, shaped ? { ...NO_EXTRA_AMOUNTS, ...(shaped as Partial<ExtraAmountsPolicy>) } : (this.cfg.extraAmounts ?? NO_EXTRA_AMOUNTS));
    o.split = { ...base, cashFen };
    o.extra = extra;
    o.ordStas = '1';
    return { ...this.amounts(o), extData: { preSetl: { mdtrt_id: o.mdtrtId, psn_no: o.psnNo, insutype: o.insutype, medfee_sumamt: fenToYuan(o.totalFen) } } };
  }

  private amounts(o: CentreOrder): Data {
    const out: Data = { payOrdId: o.payOrdId, ordStas: o.ordStas, medOrgOrd: o.medOrgOrd };
    if (o.split) {
      out.feeSumamt = fenToYuan(o.split.totalFen);
      out.ownPayAmt = fenToYuan(o.split.cashFen);
      out.psnAcctPay = fenToYuan(o.split.acctFen);
      out.fundPay = fenToYuan(o.split.fundFen);
      // SYN Trade6202OutData; total = cash + acct + fund + othFeeAmt (TSX assertValidMedicalInsuranceAmounts)
      if (o.extra?.othFeeFen) out.othFeeAmt = fenToYuan(o.extra.othFeeFen);
      if (o.extra?.hospPartFen) out.hospPartAmt = fenToYuan(o.extra.hospPartFen);
      if (o.extra?.acctMulaidFen) out.acctMulaidPay = fenToYuan(o.extra.acctMulaidFen);
    }
    return out;
  }

  /** The patient confirmed in the channel: settle (called by the channel sandboxes). */
  settle(q: { payOrdId: string; payAuthNo: string; cashFen: number; channel: string; cashTradeNo?: string }): CentreOrder {
    const o = this.store.orders.get(q.payOrdId);
    if (!o) throw new CentreError('2002', '支付订单不存在');
    if (o.ordStas === '6') return o; // paying twice settles once
    if (!['1', '2'].includes(o.ordStas) || !o.split) throw new CentreError('2004', `订单状态不允许支付 (ordStas=${o.ordStas})`);
    if (o.payAuthNo !== q.payAuthNo) throw new CentreError('2001', '支付授权码不符');
    // the hospital-borne part of the self-pay is not the patient's to pay (TSX medicalInsurancePaymentBreakdown)
    if (q.cashFen !== o.split.cashFen - (o.extra?.hospPartFen ?? 0)) throw new CentreError('2003', '自费金额不符');
    const balance = this.store.balances.get(o.psnNo) ?? 0;
    if (balance < o.split.acctFen) throw new CentreError('2013', '个人账户余额不足');
    this.store.balances.set(o.psnNo, balance - o.split.acctFen);
    o.ordStas = '6';
    o.traceTime = compactNow();
    o.setlId = `SETL${o.payOrdId.slice(-12)}`;
    o.revsToken = `REVS${crypto.randomBytes(8).toString('hex')}`;
    o.channel = q.channel;
    o.cashTradeNo = q.cashTradeNo;
    return o;
  }

  fail(payOrdId: string): CentreOrder {
    const o = this.store.orders.get(payOrdId);
    if (!o) throw new CentreError('2002', '支付订单不存在');
    if (['1', '2'].includes(o.ordStas)) o.ordStas = '15';
    return o;
  }

  /** The 6302 body and the 6301 answer once settled. */
  settlementData(o: CentreOrder): Data {
    const out = this.amounts(o);
    if (o.split && this.misreport?.take('amounts', o.payOrdId)) {
      // one fen moved from self-pay to the fund: adds up, but is not what was ordered
      out.fundPay = fenToYuan(o.split.fundFen + 1);
      out.ownPayAmt = fenToYuan(o.split.cashFen - 1);
    }
    const odd = this.misreport?.take('ordStas', o.payOrdId);
    if (odd) out.ordStas = odd.code ?? '23';
    if (['6', '7', '8', '9', '10', '11'].includes(o.ordStas)) {
      Object.assign(out, {
        callType: '02',
        traceTime: o.traceTime,
        setlType: 'ALL',
        revsToken: o.revsToken,
        orgCode: this.cfg.orgCodg,
        hiChrgTime: o.traceTime,
        hiDocSn: o.setlId,
        extData: { setlinfo: shapeSetlinfo({ setl_id: o.setlId, mdtrt_id: o.mdtrtId, psn_no: o.psnNo, insutype: o.insutype }, this.cfg.setlinfoShape ?? 'object') },
      });
    }
    return out;
  }

  /** 6301 */
  query(d: Data): Data {
    need(d, ['payOrdId', 'orgCodg', 'payToken', 'idNo', 'userName', 'idType']);
    this.checkOrg(d);
    const o = this.order(d, true);
    if (s(d, 'idNo') !== o.idNo) throw new CentreError('2010', '人员信息不符');
    return this.settlementData(o);
  }

  /** 6401 */
  revoke(d: Data): Data {
    need(d, ['payOrdId', 'orgCodg', 'payToken', 'idNo', 'userName', 'idType']);
    this.checkOrg(d);
    const o = this.order(d, true);
    if (o.ordStas === '12') return { success: true, message: '已撤销' };
    if (!['0', '1', '2'].includes(o.ordStas)) throw new CentreError('2004', `订单已结算或已撤销，不能撤销 (ordStas=${o.ordStas})`);
    o.ordStas = '12';
    if (o.payAuthNo) {
      const a = this.store.auths.get(o.payAuthNo);
      if (a && a.usedBy === o.payOrdId) a.usedBy = undefined;
    }
    return { success: true, message: '撤销成功' };
  }

  /**
   * A HIS reversal (冲正) of the insurance part: the settlement's fund and account payments go
   * back (ordStas 13 医保已撤销); the self-pay part is the channel's to refund. Idempotent.
   */
  reverseInsurance(payOrdId: string): CentreOrder {
    const o = this.store.orders.get(payOrdId);
    if (!o) throw new CentreError('2002', '支付订单不存在');
    if (o.ordStas === '13') return o;
    if (o.ordStas !== '6' || !o.split || o.refunds.length) throw new CentreError('2004', `订单状态不允许冲正 (ordStas=${o.ordStas})`);
    this.store.balances.set(o.psnNo, (this.store.balances.get(o.psnNo) ?? 0) + o.split.acctFen);
    o.ordStas = '13';
    return o;
  }

  /** 6203 */
  refund(d: Data): Data {
    need(d, ['payOrdId', 'appRefdSn', 'appRefdTime', 'totlRefdAmt', 'cashRefdAmt', 'refdType']);
    const o = this.order(d, false);
    if (this.cfg.refundRequiresPayAuthNo) {
      const auth = checkRefundAuthorization(d);
      // the original authorization of the order (HSA sends the visit's ecToken; a C# plug-in the original payAuthNo)
      if (auth !== o.payAuthNo) throw new CentreError('2001', '退费授权与原支付授权不符');
    }
    const amounts = {
      cashFen: fen(d, 'cashRefdAmt'),
      acctFen: s(d, 'psnAcctRefdAmt') ? fen(d, 'psnAcctRefdAmt') : 0,
      fundFen: s(d, 'fundRefdAmt') ? fen(d, 'fundRefdAmt') : 0,
    };
    const total = fen(d, 'totlRefdAmt');
    const fingerprint = sha({ amounts, total, type: s(d, 'refdType') });
    const prev = o.refunds.find((r) => r.appRefdSn === s(d, 'appRefdSn'));
    if (prev) {
      if (prev.fingerprint !== fingerprint) throw new CentreError('2005', '退款流水号重复且内容不同');
      return prev.answer;
    }
    // the self-pay part paid in the centre's own cashier stays the centre's to refund after a HIS reversal (ordStas 13)
    const cashierCashAfterReversal = o.ordStas === '13' && o.channel === 'cashier' && s(d, 'refdType') === 'CASH';
    if (!o.split || (!['6', '7', '8', '9', '10', '11'].includes(o.ordStas) && !cashierCashAfterReversal)) throw new CentreError('2004', `订单未结算，不能退费 (ordStas=${o.ordStas})`);
    if (Object.values(amounts).some((v) => v < 0) || amounts.cashFen + amounts.acctFen + amounts.fundFen !== total) {
      throw new CentreError('2003', '退费金额不一致');
    }
    const type = s(d, 'refdType');
    if (type === 'CASH' && (amounts.acctFen || amounts.fundFen)) throw new CentreError('2003', 'CASH 退费只能退现金');
    if (type === 'HI' && amounts.cashFen) throw new CentreError('2003', 'HI 退费不能退现金');
    if (type !== 'ALL' && type !== 'CASH' && type !== 'HI') throw new CentreError('1001', '参数校验失败: refdType');
    checkAllRefund(type, amounts, o.split);
    const done = o.refunds.reduce((a, r) => ({ cashFen: a.cashFen + r.amounts.cashFen, acctFen: a.acctFen + r.amounts.acctFen, fundFen: a.fundFen + r.amounts.fundFen }), { cashFen: 0, acctFen: 0, fundFen: 0 });
    if (done.cashFen + amounts.cashFen > o.split.cashFen || done.acctFen + amounts.acctFen > o.split.acctFen || done.fundFen + amounts.fundFen > o.split.fundFen) {
      throw new CentreError('2014', '退费金额超过可退金额');
    }
    this.store.balances.set(o.psnNo, (this.store.balances.get(o.psnNo) ?? 0) + amounts.acctFen);
    const after = { cashFen: done.cashFen + amounts.cashFen, acctFen: done.acctFen + amounts.acctFen, fundFen: done.fundFen + amounts.fundFen };
    const hiAll = after.acctFen === o.split.acctFen && after.fundFen === o.split.fundFen;
    const cashAll = after.cashFen === o.split.cashFen;
    if (!cashierCashAfterReversal) o.ordStas = hiAll && cashAll ? '7' : hiAll ? (after.cashFen > 0 ? '11' : '8') : cashAll ? '9' : '10';
    const now = compactNow();
    const answer: Data = {
      refdSn: `ORD${now}${String(crypto.randomInt(0, 1e13)).padStart(13, '0')}`,
      hiTrnsDate: now.slice(0, 8),
      hiTrnsTime: now.slice(8),
      refStatus: 'SUCC',
      // the real centre answers these amounts as JSON numbers (notes §11)
      extData: { setlInfo: { setl_id: o.setlId, mdtrt_id: o.mdtrtId, medfee_sumamt: -total / 100, fund_pay_sumamt: -amounts.fundFen / 100, acct_pay: -amounts.acctFen / 100, psn_cash_pay: -amounts.cashFen / 100 } },
    };
    if (amounts.fundFen + amounts.acctFen > 0) answer.hiFefdSn = String(crypto.randomInt(1e11, 1e12 - 1));
    o.refunds.push({ appRefdSn: s(d, 'appRefdSn')!, fingerprint, answer, amounts });
    return answer;
  }
}
