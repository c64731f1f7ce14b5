/**
 * Items of the public-rules file that live in the national adapter (sources named per test):
 * the 64-byte X‖Y key (TSX), setlinfo as a list (HSA ExtDataDTO), the extra 6202 amounts (SYN
 * Trade6202OutData, TSX assertValidMedicalInsuranceAmounts), the 6203 authorization (TSX
 * validate6203Refund), insuCode / acctUsedFlag / diagDept (TSX), pric/cnt precision (national table).
 */
import { sm2 as smCrypto } from 'sm-crypto';
import { verify } from '../crypto/sm2';
import { feeUploadData, NationalRequestError, parseNotification, parseOrderAnswer, payOrderData, refundData, type FeeUploadInput } from './messages';

describe('a 64-byte X‖Y platform key', () => {
  it('verifies an sm-crypto signature with the public key given without its 04 prefix', () => {
    const keys = smCrypto.generateKeyPairHex();
    const msg = 'payOrdId=ORD1';
    const sig = smCrypto.doSignature(msg, keys.privateKey, { hash: true, der: false });
    const bare = keys.publicKey.slice(2); // 128 hex chars = X‖Y
    expect(bare).toHaveLength(128);
    expect(verify(Buffer.from(msg), Buffer.from(sig, 'hex'), bare)).toBe(true);
    expect(verify(Buffer.from(msg), Buffer.from(sig, 'hex'), Buffer.from(bare, 'hex').toString('base64'))).toBe(true);
  });
});

describe('6202 / 6301 / 6302 answers', () => {
  const base = { payOrdId: 'ORD1', ordStas: '6', feeSumamt: '100.00', ownPayAmt: '20.00', psnAcctPay: '15.00', fundPay: '60.00' };

  it('reads setl_id from extData.setlinfo given as a list', () => {
    const a = parseOrderAnswer('6301', { ...base, othFeeAmt: '5.00', extData: { setlinfo: [{ setl_id: 'S1', mdtrt_id: 'M1' }] } });
    expect(a.setlId).toBe('S1');
    expect(a.mdtrtId).toBe('M1');
  });

  it('counts othFeeAmt in the total and takes hospPartAmt off what the patient pays', () => {
    const a = parseOrderAnswer('6202', { ...base, othFeeAmt: '5.00', hospPartAmt: '3.00' });
    expect(a.split).toEqual({ totalFen: 10_000, fundFen: 6_000, acctFen: 1_500, cashFen: 1_700, otherFundFen: 500, hospitalFen: 300 });
    expect(a.splitIssue).toBeUndefined();
  });

  it('names a total that is not cash + account + fund + othFeeAmt', () => {
    expect(parseOrderAnswer('6202', base).splitIssue).toMatch(/feeSumamt 10000/);
  });

  it('names a family-account share and own-account share that do not make psnAcctPay', () => {
    const a = parseOrderAnswer('6202', { ...base, othFeeAmt: '5.00', acctMulaidPay: '10.00', selfAcctPay: '4.00' });
    expect(a.splitIssue).toMatch(/acctMulaidPay 1000 \+ selfAcctPay 400/);
  });

  it('reads a TSX 6302 without ordStas', () => {
    const n = parseNotification({ payOrdId: 'ORD1', callType: '02', medOrgOrd: 'MO1', traceTime: '20261206100000', feeSumamt: '1.00', ownPayAmt: '1.00', psnAcctPay: '0', fundPay: '0', setlType: 'ALL', revsToken: 'R' });
    expect(n).toMatchObject({ payOrdId: 'ORD1', callType: '02', revsToken: 'R', split: { totalFen: 100, cashFen: 100 } });
    expect(n.ordStas).toBeUndefined();
  });
});

describe('6203 authorization', () => {
  const r = { payOrdId: 'ORD1', appRefdSn: 'R1', at: new Date('2026-12-06T02:00:00Z'), amounts: { totalFen: 100, fundFen: 100, acctFen: 0, cashFen: 0 }, refdType: 'HI' as const };

  it('carries the original payAuthNo and no ecToken', () => {
    const d = refundData({ ...r, authorization: { payAuthNo: 'AUTH1' } });
    expect(d.payAuthNo).toBe('AUTH1');
    expect(d).not.toHaveProperty('ecToken');
  });

  it('carries the ecToken and no payAuthNo for a kiosk order', () => {
    const d = refundData({ ...r, authorization: { ecToken: 'EC1' } });
    expect(d.ecToken).toBe('EC1');
    expect(d).not.toHaveProperty('payAuthNo');
  });
});

describe('6201 / 6202 fields', () => {
  const item = {
    feedetlSn: '1', medListCodg: 'X1', medinsListCodg: 'Y1', name: '片剂', quantity: '30', unitPriceFen: 33, unitPrice: '0.333333', amountFen: 1000, category: '乙类',
    bilgDeptCodg: 'D01', bilgDeptName: '内科', bilgDrCodg: 'DR1', bilgDrName: '李', feeOcurTime: '2026-12-06 09:00:00',
  };
  const input = (over: Partial<FeeUploadInput> = {}): FeeUploadInput => ({
    orgCodg: 'H1', orderNo: 'O1', chrgBchno: 'O1B1', psnNo: 'P1', insutype: '310', regionCode: '140100', identity: { idNo: 'x', name: 'y' }, payAuthNo: 'AUTH1', location: '0,0',
    preSettlement: { visit: { iptOtpNo: 'MZ1', mdtrtId: 'MDT1', deptCode: 'D01', deptName: '内科', caty: 'A03', drCode: 'DR1', drName: '李', medType: '11', begntime: '2026-12-06 09:00:00', diseases: [{ code: 'J00', name: '感冒' }] }, items: [item] },
    totalFen: 1000,
    ...over,
  });

  it('sends the unit price at six decimals and the quantity as given, not rounded to the fen', () => {
    const d = feeUploadData(input());
    expect((d.feedetailList as Record<string, unknown>[])[0]).toMatchObject({ pric: '0.333333', cnt: '30', detItemFeeSumamt: '10.00' });
  });

  it('refuses to send a line whose price × quantity is not its total', () => {
    expect(() => feeUploadData(input({ preSettlement: { ...input().preSettlement, items: [{ ...item, unitPrice: '0.3' }] } }))).toThrow(NationalRequestError);
  });

  it('sends the configured insuCode beside the patient region, the region acctUsedFlag and diagDept as a code', () => {
    const d = feeUploadData(input({ insuCode: '140000', acctUsedFlag: '' }));
    expect([d.insuCode, d.insuplcAdmdvs, d.acctUsedFlag]).toEqual(['140000', '140100', '']);
    expect((d.diseinfoList as Record<string, unknown>[])[0].diagDept).toBe('D01');
  });

  it('refuses a 6201 with payAuthNo but without mdtrtId, and any 6202 without it', () => {
    const noMdtrt = input();
    delete noMdtrt.preSettlement.visit.mdtrtId;
    expect(() => feeUploadData(noMdtrt)).toThrow(/mdtrtId/);
    expect(() => payOrderData({ orgCodg: 'H1', payAuthNo: 'A', payOrdId: 'P', payToken: 'T', orgBizSer: 'S', chrgBchno: 'B', location: '0,0' })).toThrow(/mdtrtId/);
  });
});
