/**
 * The strict sandbox centre refuses what public code says the centre refuses (sources in
 * rules.ts). Requests are written out by hand here, field by field, as a hospital would send them.
 */
import { DEFAULT_POLICY } from './policy';
import { CentreStore } from './store';
import { Centre, CentreError, type CentreConfig } from './transactions';
import { notificationBody, shapeSetlinfo } from './rules';

const ORG = 'H44010600001';
const ZHANG = { idNo: '440106196503122134', name: '张建国', psnNo: '44000000000000001001' };

function centre(extra: Partial<CentreConfig> = {}) {
  const store = new CentreStore();
  const c = new Centre(store, { orgCodg: ORG, policy: DEFAULT_POLICY, refundRequiresPayAuthNo: true, requireMdtrtIdIn6201: true, ...extra });
  const auth = store.issueAuth(ZHANG.idNo, ZHANG.name, 'wechat', 60_000).payAuthNo;
  return { c, store, auth };
}

const line = (sn: string, amount: string, over: Record<string, unknown> = {}) => ({
  feedetlSn: sn, psnNo: ZHANG.psnNo, chrgBchno: 'B1', medListCodg: '001102000010000', detItemFeeSumamt: amount, cnt: '1', pric: amount, ...over,
});

function upload(auth: string, over: Record<string, unknown> = {}) {
  return {
    orgCodg: ORG, psnNo: ZHANG.psnNo, insutype: '310', medOrgOrd: 'MO1', begntime: '2026-12-06 09:00:00', idNo: ZHANG.idNo, userName: ZHANG.name,
    idType: '01', payAuthNo: auth, insuCode: '440100', insuplcAdmdvs: '440100', iptOtpNo: 'MZ1', deptCode: 'D1', deptName: '内科', caty: 'A03',
    medType: '11', feeType: '01', medfeeSumamt: '30.00', psnSetlway: '01', chrgBchno: 'B1', pubHospRfomFlag: '1', uldLatlnt: '0,0',
    mdtrtCertType: '01', mdtrtId: 'MDT1', feedetailList: [line('1', '10.00'), line('2', '20.00')], ...over,
  };
}

function refusal(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof CentreError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('not refused');
}

function ordered(extra: Partial<CentreConfig> = {}) {
  const k = centre(extra);
  const up = k.c.feeUpload(upload(k.auth)) as { payOrdId: string; payToken: string };
  const ans = k.c.payOrder({ payAuthNo: k.auth, payOrdId: up.payOrdId, payToken: up.payToken, orgCodg: ORG, orgBizSer: 'S1', chrgBchno: 'B1', feeType: '01', mdtrtId: 'MDT1' });
  return { ...k, up, ans };
}

function settled(extra: Partial<CentreConfig> = {}) {
  const k = ordered(extra);
  const o = k.store.orders.get(k.up.payOrdId)!;
  k.c.settle({ payOrdId: o.payOrdId, payAuthNo: k.auth, cashFen: o.split!.cashFen - (o.extra?.hospPartFen ?? 0), channel: 'wechat' });
  return { ...k, o };
}

const refund = (payOrdId: string, over: Record<string, unknown>) => ({
  payOrdId, appRefdSn: 'R1', appRefdTime: '20261206100000', totlRefdAmt: '30.00', cashRefdAmt: '3.00', psnAcctRefdAmt: '0.00', fundRefdAmt: '27.00', refdType: 'ALL', ...over,
});

describe('strict sandbox centre', () => {
  it('refuses a 6203 without payAuthNo or ecToken', () => {
    const { c, o } = settled();
    expect(refusal(() => c.refund(refund(o.payOrdId, {}))).message).toMatch(/必填其一/);
  });

  it('refuses a 6203 that carries both payAuthNo and ecToken', () => {
    const { c, o, auth } = settled();
    expect(refusal(() => c.refund(refund(o.payOrdId, { payAuthNo: auth, ecToken: 'EC1' }))).message).toMatch(/不能同时/);
  });

  it('refuses a 6203 whose authorization is not the one the order was paid with', () => {
    const { c, o } = settled();
    expect(refusal(() => c.refund(refund(o.payOrdId, { payAuthNo: 'AUTH-OTHER' }))).code).toBe('2001');
  });

  it('refuses an ALL refund that does not match the original split', () => {
    const { c, o, auth } = settled();
    const split = o.split!;
    const r = refusal(() => c.refund(refund(o.payOrdId, { payAuthNo: auth, totlRefdAmt: '1.00', cashRefdAmt: '1.00', psnAcctRefdAmt: '0.00', fundRefdAmt: '0.00' })));
    expect(r.message).toMatch(/ALL 退费/);
    expect(split.totalFen).toBe(3000);
  });

  it('refunds an ALL refund carrying the original payAuthNo and every component', () => {
    const { c, o, auth } = settled();
    const s = o.split!;
    const yuan = (f: number) => `${Math.floor(f / 100)}.${String(f % 100).padStart(2, '0')}`;
    const a = c.refund(refund(o.payOrdId, { payAuthNo: auth, cashRefdAmt: yuan(s.cashFen), psnAcctRefdAmt: yuan(s.acctFen), fundRefdAmt: yuan(s.fundFen) }));
    expect(a.refStatus).toBe('SUCC');
  });

  it('refuses a 6202 without mdtrtId', () => {
    const { c, auth } = centre();
    const up = c.feeUpload(upload(auth)) as { payOrdId: string; payToken: string };
    const r = refusal(() => c.payOrder({ payAuthNo: auth, payOrdId: up.payOrdId, payToken: up.payToken, orgCodg: ORG, orgBizSer: 'S1', chrgBchno: 'B1', feeType: '01' }));
    expect(r.message).toMatch(/mdtrtId/);
  });

  it('refuses a 6202 whose chrgBchno differs from its 6201', () => {
    const { c, auth } = centre();
    const up = c.feeUpload(upload(auth)) as { payOrdId: string; payToken: string };
    const r = refusal(() => c.payOrder({ payAuthNo: auth, payOrdId: up.payOrdId, payToken: up.payToken, orgCodg: ORG, orgBizSer: 'S1', chrgBchno: 'B2', feeType: '01', mdtrtId: 'MDT1' }));
    expect(r.code).toBe('2016');
  });

  it('refuses a 6201 with payAuthNo but without mdtrtId', () => {
    const { c, auth } = centre();
    expect(refusal(() => c.feeUpload(upload(auth, { mdtrtId: undefined }))).message).toMatch(/mdtrtId/);
  });

  it('refuses a 6201 carrying both payAuthNo and ecToken', () => {
    const { c, auth } = centre();
    expect(refusal(() => c.feeUpload(upload(auth, { ecToken: 'EC1' }))).message).toMatch(/不能同时/);
  });

  it('refuses a 6201 detail line whose chrgBchno differs from the header', () => {
    const { c, auth } = centre();
    expect(refusal(() => c.feeUpload(upload(auth, { feedetailList: [line('1', '10.00'), line('2', '20.00', { chrgBchno: 'B9' })] }))).code).toBe('2017');
  });

  it('refuses a 6201 detail line whose psnNo differs from the header', () => {
    const { c, auth } = centre();
    expect(refusal(() => c.feeUpload(upload(auth, { feedetailList: [line('1', '10.00', { psnNo: 'P9' }), line('2', '20.00')] }))).code).toBe('2017');
  });

  it('refuses a 6201 whose feedetlSn repeats', () => {
    const { c, auth } = centre();
    expect(refusal(() => c.feeUpload(upload(auth, { feedetailList: [line('1', '10.00'), line('1', '20.00')] }))).code).toBe('2018');
  });

  it('refuses a 6201 whose medfeeSumamt is not the sum of its lines', () => {
    const { c, auth } = centre();
    expect(refusal(() => c.feeUpload(upload(auth, { medfeeSumamt: '30.01' }))).code).toBe('2003');
  });

  it('refuses a 6201 line whose pric × cnt is not its total', () => {
    const { c, auth } = centre();
    expect(refusal(() => c.feeUpload(upload(auth, { feedetailList: [line('1', '10.00', { pric: '0.333333', cnt: '31' }), line('2', '20.00')] }))).message).toMatch(/单价×数量/);
  });

  it('takes a per-tablet price at six decimals whose product rounds to the line total', () => {
    const { c, auth } = centre();
    const up = c.feeUpload(upload(auth, { feedetailList: [line('1', '10.00', { pric: '0.333333', cnt: '30' }), line('2', '20.00')] }));
    expect(up.payOrdId).toBeDefined();
  });

  it('refuses a unit price beyond six decimals', () => {
    const { c, auth } = centre();
    expect(refusal(() => c.feeUpload(upload(auth, { feedetailList: [line('1', '10.00', { pric: '0.3333333', cnt: '30' }), line('2', '20.00')] }))).message).toMatch(/16,6/);
  });

  it('answers 6202 with othFeeAmt, hospPartAmt and acctMulaidPay when its policy says so', () => {
    const { ans } = ordered({ extraAmounts: { otherFundBp: 5000, hospitalPartBp: 5000, familyAccountBp: 0 } });
    // 30.00: fund 27.00 (category A, 90 %), account 3.00 → no cash left for extras
    expect(ans.feeSumamt).toBe('30.00');
    const { ans: poor } = (() => {
      const k = centre({ extraAmounts: { otherFundBp: 5000, hospitalPartBp: 5000, familyAccountBp: 0 } });
      k.store.balances.set(ZHANG.psnNo, 0);
      const up = k.c.feeUpload(upload(k.auth)) as { payOrdId: string; payToken: string };
      return { ans: k.c.payOrder({ payAuthNo: k.auth, payOrdId: up.payOrdId, payToken: up.payToken, orgCodg: ORG, orgBizSer: 'S2', chrgBchno: 'B1', feeType: '01', mdtrtId: 'MDT1' }) };
    })();
    // cash 3.00 → other fund 1.50, own pay 1.50 of which the hospital bears 0.75
    expect([poor.ownPayAmt, poor.othFeeAmt, poor.hospPartAmt, poor.fundPay, poor.psnAcctPay]).toEqual(['1.50', '1.50', '0.75', '27.00', '0.00']);
  });

  it('answers 6301 with setlinfo as a list when configured', () => {
    const { c, o, up } = settled({ setlinfoShape: 'list' });
    const a = c.query({ payOrdId: o.payOrdId, orgCodg: ORG, payToken: up.payToken, idNo: ZHANG.idNo, userName: ZHANG.name, idType: '01' });
    expect(Array.isArray((a.extData as { setlinfo: unknown }).setlinfo)).toBe(true);
    expect(shapeSetlinfo({ a: 1 }, 'object')).toEqual({ a: 1 });
  });

  it('sends a TSX-form 6302 without ordStas and an HSA-form one with it', () => {
    const { c, o } = settled();
    const data = c.settlementData(o);
    const tsx = notificationBody(data, 'tsx');
    expect(tsx).not.toHaveProperty('ordStas');
    expect(tsx).toMatchObject({ callType: '02', setlType: 'ALL', medOrgOrd: 'MO1' });
    expect(typeof tsx.revsToken).toBe('string');
    expect(notificationBody(data, 'hsa')).toHaveProperty('ordStas', '6');
  });
});
